import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Clock, entryPoint, optionalEnv, requiredEnv, systemClock } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { InstallRefusedError } from '../errors.js';
import { PortalInstalls, type InstallPorts } from '../journeys/installs.js';
import { logger } from '../logger.js';
import { enqueueEvents } from '../queue/events-queue.js';
import { hubspotAppFromEnvironment } from '../secrets.js';
import { storeFromEnvironment } from '../store/from-environment.js';
import { installPage } from '../survey-pages/pages.js';
import { publicBaseUrl } from '../http/responses.js';

/**
 * `GET /oauth/install` sends the admin to HubSpot's consent screen;
 * `GET /oauth/callback` finishes the install. The redirect URL is this API's
 * own `/oauth/callback`, which must be listed in the app's `redirectUrls`.
 */
export function createOAuthHandler(dependencies: InstallPorts & { publicApiUrl?: string }) {
  const installs = new PortalInstalls(dependencies);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const redirectUri = `${publicBaseUrl(event, dependencies.publicApiUrl)}/oauth/callback`;
    if (event.rawPath === '/oauth/install') return { statusCode: 302, headers: { location: installs.installUrl(redirectUri), 'cache-control': 'no-store' } };

    const { code, state, error } = event.queryStringParameters ?? {};
    if (error) return installPage(400, 'Install cancelled', 'HubSpot did not grant access, so Touchpoints was not installed.');
    if (!code || !state) return installPage(400, 'Install link incomplete', 'Start the install again from the Touchpoints listing.');
    try {
      const { portalId, firstInstall } = await installs.complete(code, state, redirectUri);
      logger.info('portal installed', { portalId, firstInstall });
      return installPage(200, 'Touchpoints is installed', `Portal ${portalId} is connected. Open the app's settings in HubSpot to choose a template and your touchpoints.`);
    } catch (failure) {
      if (failure instanceof InstallRefusedError) return installPage(400, 'Install not completed', failure.message);
      logger.error('install failed', { error: (failure as Error).message });
      return installPage(503, 'Install not completed', 'HubSpot could not be reached. Please try again in a minute.');
    }
  };
}

export async function oauthHandlerFromEnvironment(now: Clock = systemClock) {
  const store = storeFromEnvironment();
  const publicApiUrl = optionalEnv('PUBLIC_API_URL');
  const sqs = new SQSClient({ endpoint: optionalEnv('SQS_ENDPOINT') });
  const eventsQueueUrl = requiredEnv('EVENTS_QUEUE_URL');
  return createOAuthHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store),
    app: await hubspotAppFromEnvironment(),
    authorizeUrl: optionalEnv('HUBSPOT_AUTHORIZE_URL') ?? 'https://app.hubspot.com/oauth/authorize',
    // The app's requiredScopes (app-hsmeta.json), set by the CDK stack and the local stack.
    scopes: requiredEnv('HUBSPOT_SCOPES').split(' '),
    requestStageHistory: (request) => enqueueEvents(sqs, eventsQueueUrl, [request]),
    now,
    ...(publicApiUrl ? { publicApiUrl } : {}),
  });
}

export const handler = entryPoint(oauthHandlerFromEnvironment);
