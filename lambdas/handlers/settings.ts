import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Clock, entryPoint, optionalEnv, systemClock } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { hubspotAppFromEnvironment, secretFromEnvironment } from '../secrets.js';
import { PortalSettingsAdmin, type PortalSettingsPorts } from '../journeys/portal-settings.js';
import { InterviewTasks, type InterviewTaskPorts } from '../journeys/interview-tasks.js';
import { mailSenderFromEnvironment } from '../mail/send.js';
import { senderIdentitiesFromEnvironment, sharedSenderDomainsFromEnvironment } from '../mail/sender-identities.js';
import { storeFromEnvironment } from '../store/from-environment.js';
import { errorResponse, json, publicBaseUrl } from '../http/responses.js';
import { settingsRoutes } from '../http/settings-routes.js';
import { requireConnected, verifiedHubSpotFetch } from '../http/hubspot-requests.js';
import type { TouchpointsStore } from '../store/store.js';

export interface SettingsDependencies extends Omit<PortalSettingsPorts, 'surveyBaseUrl'> {
  store: PortalSettingsPorts['store'] & InterviewTaskPorts['store'] & Pick<TouchpointsStore, 'getInstall'>;
  clientSecret: string;
  /** Unset on AWS: the URL (and the survey links' base) comes from the request's host. */
  publicApiUrl?: string;
}

/**
 * The settings page's back end. Only signed `hubspot.fetch` requests; the
 * portal and the admin come from HubSpot's signed identity.
 */
export function createSettingsHandler(dependencies: SettingsDependencies) {
  const interviews = new InterviewTasks(dependencies);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const settings = new PortalSettingsAdmin({ ...dependencies, surveyBaseUrl: publicBaseUrl(event, dependencies.publicApiUrl) });
      const identity = verifiedHubSpotFetch(event, { ...dependencies, now: () => dependencies.now().getTime() });
      const admin = { portalId: identity.portalId, userEmail: identity.userEmail ?? `user ${identity.userId ?? 'unknown'}` };
      await requireConnected(dependencies.store, admin.portalId);
      const route = Object.hasOwn(settingsRoutes, event.routeKey) ? settingsRoutes[event.routeKey as keyof typeof settingsRoutes] : undefined;
      if (!route) return json(404, { message: `No such settings route: ${event.routeKey}` });
      const id = event.pathParameters?.id ?? event.pathParameters?.templateId ?? '';
      return await route({ event, settings, interviews, admin, verifiedEmail: identity.userEmail, id });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function settingsHandlerFromEnvironment(now: Clock = systemClock) {
  const store = storeFromEnvironment();
  const publicApiUrl = optionalEnv('PUBLIC_API_URL');
  const [app, surveyTokenSecret] = await Promise.all([hubspotAppFromEnvironment(), secretFromEnvironment('SURVEY_TOKEN_SECRET')]);
  return createSettingsHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store, app),
    sendMail: mailSenderFromEnvironment(),
    identities: senderIdentitiesFromEnvironment(),
    sharedSenderDomains: sharedSenderDomainsFromEnvironment(),
    surveyTokenSecret,
    now,
    clientSecret: app.clientSecret,
    ...(publicApiUrl ? { publicApiUrl } : {}),
  });
}

export const handler = entryPoint(settingsHandlerFromEnvironment);
