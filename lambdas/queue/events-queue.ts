import { chunks } from '../domain/chunks.js';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { EventsNotQueuedError } from '../errors.js';

/** How often SQS hands an event to the events λ before it goes to the DLQ (the queue's redrive policy). */
export const eventReceivesBeforeDeadLetter = 3;
const maxEntriesPerBatch = 10;
const attemptsPerEntry = 3;

/**
 * Puts each event on the events queue as its own message, ten per
 * SendMessageBatch; entries SQS refuses are sent again, a few times.
 */
export async function enqueueEvents(sqs: SQSClient, queueUrl: string, events: readonly unknown[]): Promise<void> {
  let pending: SendMessageBatchRequestEntry[] = events.map((event, index) => ({ Id: String(index), MessageBody: JSON.stringify(event) }));
  for (let attempt = 1; pending.length > 0 && attempt <= attemptsPerEntry; attempt += 1) {
    const failedIds = new Set<string>();
    await Promise.all(
      chunks(pending, maxEntriesPerBatch).map(async (entries) => {
        try {
          const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          for (const { Id } of Failed) if (Id) failedIds.add(Id);
        } catch {
          for (const { Id } of entries) failedIds.add(Id!);
        }
      }),
    );
    pending = pending.filter(({ Id }) => failedIds.has(Id!));
  }
  if (pending.length > 0) throw new EventsNotQueuedError(pending.length);
}
