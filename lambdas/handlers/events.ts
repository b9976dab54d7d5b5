import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type Clock, entryPoint, optionalEnv, requiredEnv, systemClock } from '../config.js';
import { QueuedEvent, queuedEventsIn } from '../domain/webhook-event.js';
import { mailSenderFromEnvironment } from '../mail/send.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { DealEventProcessor, type DealEventPorts } from '../journeys/deal-events.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import { enqueueEvents, eventReceivesBeforeDeadLetter } from '../queue/events-queue.js';
import { storeFromEnvironment } from '../store/from-environment.js';

/**
 * The events queue's consumer. Each record is one HubSpot event; a record that
 * fails (bad body, store or HubSpot down) is reported in `batchItemFailures`,
 * so SQS retries just that one and, after a few tries, moves it to the DLQ.
 */
export function createEventsHandler(ports: DealEventPorts) {
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const deals = new DealEventProcessor(ports);
    // One round of reads for the whole batch; a record whose body does not parse fails on its own below.
    deals.prepare(event.Records.flatMap(({ body }) => queuedEventsIn(body)));

    const processor = new BatchProcessor(EventType.SQS, { parser, innerSchema: QueuedEvent, transformer: 'json', logger });
    return processPartialResponse(
      event,
      async (record: { body: QueuedEvent; messageId: string; attributes: { ApproximateReceiveCount: string } }) => {
        const { portalId, eventId, subscriptionType } = record.body;
        const receiveCount = Number(record.attributes.ApproximateReceiveCount);
        try {
          const outcome = await deals.process(record.body, receiveCount);
          logger.info('event processed', { portalId, eventId, subscriptionType, outcome });
        } catch (error) {
          // Why it is retried, and on its last receive dead-lettered: SQS keeps no reason of its own.
          logger.error('event failed', { portalId, eventId, subscriptionType, messageId: record.messageId, error: (error as Error).message });
          if (receiveCount >= eventReceivesBeforeDeadLetter) count('EventsDeadLettered');
          throw error;
        }
      },
      processor,
      { context, throwOnFullBatchFailure: false },
    );
  };
}

export async function eventsHandlerFromEnvironment(now: Clock = systemClock) {
  const store = storeFromEnvironment();
  const sqs = new SQSClient({ endpoint: optionalEnv('SQS_ENDPOINT') });
  const eventsQueueUrl = requiredEnv('EVENTS_QUEUE_URL');
  return createEventsHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store),
    sendMail: mailSenderFromEnvironment(),
    // A stage history backfill asks for its next page on its own queue (lambdas/journeys/stage-visits.ts).
    requestStageHistory: (request) => enqueueEvents(sqs, eventsQueueUrl, [request]),
    now,
  });
}

export const handler = entryPoint(eventsHandlerFromEnvironment);
