import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { entryPoint, optionalEnv } from '../config.js';
import { QueuedEvent } from '../domain/webhook-event.js';
import { sendRawMail, sesClientFor } from '../mail/send.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { DealEventProcessor, type DealEventPorts } from '../journeys/deal-events.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import { eventReceivesBeforeDeadLetter } from '../queue/events-queue.js';
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
    deals.prepare(event.Records.flatMap(({ body }) => parsedOrNothing(body)));

    const processor = new BatchProcessor(EventType.SQS, { parser, innerSchema: QueuedEvent, transformer: 'json', logger });
    const droppedPortals = new Set<number>();
    return processPartialResponse(
      event,
      async (record: { body: QueuedEvent; messageId: string; attributes: { ApproximateReceiveCount: string } }) => {
        const { portalId, eventId, subscriptionType } = record.body;
        const receiveCount = Number(record.attributes.ApproximateReceiveCount);
        try {
          const outcome = await deals.process(record.body, receiveCount);
          if (outcome === 'not_installed' && !droppedPortals.has(portalId)) {
            droppedPortals.add(portalId);
            logger.warn('events dropped: the portal has not installed Touchpoints', { portalId });
          }
          logger.info('event processed', { portalId, eventId, subscriptionType, outcome });
          if (outcome === 'answered_red') count('AnswersRed');
          if (outcome === 'answered_yellow') count('AnswersYellow');
          if (outcome === 'answered_green') count('AnswersGreen');
        } catch (error) {
          // The reason a message is retried, and in the end dead-lettered: SQS keeps none of its own.
          logger.error('event failed', { portalId, eventId, subscriptionType, messageId: record.messageId, error: (error as Error).message });
          // Its last receive: SQS moves it to the dead-letter queue now.
          if (receiveCount >= eventReceivesBeforeDeadLetter) count('EventsDeadLettered');
          throw error;
        }
      },
      processor,
      { context, throwOnFullBatchFailure: false },
    );
  };
}

function parsedOrNothing(body: string): QueuedEvent[] {
  try {
    const parsed = QueuedEvent.safeParse(JSON.parse(body));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
}

export async function eventsHandlerFromEnvironment() {
  const store = storeFromEnvironment();
  const ses = sesClientFor(optionalEnv('SES_ENDPOINT'));
  const configurationSetName = optionalEnv('SES_CONFIGURATION_SET');
  return createEventsHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store),
    sendMail: (raw) => sendRawMail(ses, raw, configurationSetName ? { configurationSetName } : undefined),
    now: () => new Date(),
  });
}

export const handler = entryPoint(eventsHandlerFromEnvironment);
