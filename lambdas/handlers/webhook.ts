import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Clock, entryPoint, optionalEnv, requiredEnv, systemClock } from '../config.js';
import { parseOrThrow } from '@touchpoints/contracts';
import { HubSpotWebhookBatch } from '../domain/webhook-event.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import { hubspotAppFromEnvironment } from '../secrets.js';
import { UnauthenticatedError } from '../errors.js';
import { enqueueEvents } from '../queue/events-queue.js';
import { errorResponse, jsonBody } from '../http/responses.js';
import { requireHubSpotSignature } from '../http/hubspot-requests.js';

export interface WebhookDependencies {
  clientSecret: string;
  /** Unset on AWS: the URL comes from the request's host. */
  publicApiUrl?: string;
  queueUrl: string;
  sqs: SQSClient;
  now?: () => number;
}

/**
 * HubSpot's webhook: verify the v3 signature, parse the batch, queue each
 * event, answer 204. No HubSpot call, no per-event store work: HubSpot wants
 * an answer within 5 s and retries anything else.
 */
export function createWebhookHandler(dependencies: WebhookDependencies) {
  const now = dependencies.now ?? Date.now;
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      requireHubSpotSignature(event, { ...dependencies, now });
      const events = parseOrThrow(HubSpotWebhookBatch, jsonBody(event, 'webhook batch'), 'webhook batch');
      await enqueueEvents(dependencies.sqs, dependencies.queueUrl, events); // EventsNotQueuedError answers 503: HubSpot retries
      logger.info('webhook batch queued', { portalIds: [...new Set(events.map(({ portalId }) => portalId))], events: events.length });
      count('WebhookEventsAccepted', events.length);
      return { statusCode: 204 };
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) logger.warn('webhook refused', { error: (error as Error).message });
      count('WebhookRequestsRefused');
      return errorResponse(error);
    }
  };
}

export async function webhookHandlerFromEnvironment(now: Clock = systemClock) {
  const publicApiUrl = optionalEnv('PUBLIC_API_URL');
  return createWebhookHandler({
    clientSecret: (await hubspotAppFromEnvironment()).clientSecret,
    ...(publicApiUrl ? { publicApiUrl } : {}),
    queueUrl: requiredEnv('EVENTS_QUEUE_URL'),
    sqs: new SQSClient({ endpoint: optionalEnv('SQS_ENDPOINT') }),
    now: () => now().getTime(),
  });
}

export const handler = entryPoint(webhookHandlerFromEnvironment);
