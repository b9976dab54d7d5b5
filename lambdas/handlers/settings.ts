import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { InvalidInputError, parseOrThrow, PortalSettingsWrite, SettingsView, TemplateChoice, TestSurveyRequest, TouchpointWrite } from '@touchpoints/contracts';
import { entryPoint, optionalEnv } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { hubspotAppFromEnvironment, secretFromEnvironment } from '../secrets.js';
import { PortalSettingsAdmin, type PortalSettingsPorts } from '../journeys/portal-settings.js';
import { sendRawMail, sesClientFor } from '../mail/send.js';
import { logger } from '../logger.js';
import { storeFromEnvironment } from '../store/from-environment.js';
import { errorResponse, json, publicBaseUrl, rawBody } from './http.js';
import { requireConnected, verifiedHubSpotFetch } from './hubspot-fetch.js';

export interface SettingsDependencies extends Omit<PortalSettingsPorts, 'surveyBaseUrl'> {
  clientSecret: string;
  /** Unset on AWS: the URL (and the survey links' base) comes from the request's host. */
  publicApiUrl?: string;
}

const ExpectedVersion = z.object({ expectedVersion: z.string().regex(/^[1-9]\d{0,8}$/, { error: 'must be the version you read' }).transform(Number) });

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const body = rawBody(event);
  if (!body.trim()) throw new InvalidInputError('request', ['body: is required, as a JSON object']);
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidInputError('request', ['body: is not valid JSON']);
  }
}

/**
 * The settings page's back end. Only signed `hubspot.fetch` requests; the
 * portal and the admin come from HubSpot's signed identity.
 */
export function createSettingsHandler(dependencies: SettingsDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const admin = new PortalSettingsAdmin({ ...dependencies, surveyBaseUrl: publicBaseUrl(event, dependencies.publicApiUrl) });
      const identity = verifiedHubSpotFetch(event, { ...dependencies, now: () => dependencies.now().getTime() });
      const who = { portalId: identity.portalId, userEmail: identity.userEmail ?? `user ${identity.userId ?? 'unknown'}` };
      await requireConnected(dependencies.store, who.portalId);
      const id = event.pathParameters?.id ?? event.pathParameters?.templateId ?? '';
      switch (event.routeKey) {
        case 'GET /settings':
          return json(200, SettingsView.parse(await admin.view(who.portalId)));
        case 'PUT /settings/portal': {
          const write = parseOrThrow(PortalSettingsWrite, jsonBody(event), 'request');
          return json(200, { version: await admin.savePortalSettings(who, write.settings, write.expectedVersion) });
        }
        case 'PUT /settings/touchpoints/{id}': {
          const write = parseOrThrow(TouchpointWrite, jsonBody(event), 'request');
          return json(200, { version: await admin.saveTouchpoint(who, id, write.touchpoint, write.expectedVersion) });
        }
        case 'DELETE /settings/touchpoints/{id}': {
          const { expectedVersion } = parseOrThrow(ExpectedVersion, event.queryStringParameters ?? {}, 'request');
          await admin.deleteTouchpoint(who, id, expectedVersion);
          return { statusCode: 204 };
        }
        case 'POST /settings/templates/{templateId}': {
          const choice = parseOrThrow(TemplateChoice, jsonBody(event), 'template choice');
          return json(200, await admin.applyTemplate(who, id, choice.pipelineId, choice.stageOfStep));
        }
        case 'DELETE /settings/install': {
          const deleted = await admin.uninstall(who);
          logger.info('portal uninstalled and forgotten', { portalId: who.portalId, deleted });
          return { statusCode: 204 };
        }
        case 'POST /settings/test-survey': {
          if (!identity.userEmail) throw new InvalidInputError('test survey', ['userEmail: HubSpot did not say who you are']);
          const { touchpointId } = parseOrThrow(TestSurveyRequest, jsonBody(event), 'test survey');
          return json(200, { sentTo: await admin.sendTestSurvey(who, touchpointId) });
        }
        default:
          return json(404, { message: `No such settings route: ${event.routeKey}` });
      }
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function settingsHandlerFromEnvironment() {
  const store = storeFromEnvironment();
  const ses = sesClientFor(optionalEnv('SES_ENDPOINT'));
  const configurationSetName = optionalEnv('SES_CONFIGURATION_SET');
  const publicApiUrl = optionalEnv('PUBLIC_API_URL');
  const [app, surveyTokenSecret] = await Promise.all([hubspotAppFromEnvironment(), secretFromEnvironment('SURVEY_TOKEN_SECRET')]);
  return createSettingsHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store),
    sendMail: (raw) => sendRawMail(ses, raw, configurationSetName ? { configurationSetName } : undefined),
    surveyTokenSecret,
    now: () => new Date(),
    clientSecret: app.clientSecret,
    ...(publicApiUrl ? { publicApiUrl } : {}),
  });
}

export const handler = entryPoint(settingsHandlerFromEnvironment);
