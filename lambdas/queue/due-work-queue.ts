import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { DueWork, DueWorkQueue } from '../journeys/due-work.js';
import { enqueueEvents } from './events-queue.js';

/** How often SQS hands a due work message to a sender before it goes to the DLQ (the queue's redrive policy). */
export const dueWorkReceivesBeforeDeadLetter = 3;

/** Timers a sender takes at once: the sender λ's event source batch size (SQS's most without a batching window). */
export const dueWorkBatchSize = 10;

/** One handed-out timer as it travels on the due work queue (a message each, so a sender can give back just the ones it did not take). */
export const DueWorkMessage = z.object({
  runAt: z.iso.datetime(),
  timer: z.object({
    id: z.string().min(1),
    kind: z.enum(['survey', 'reminder', 'follow_up', 'settle_answer']),
    dueAt: z.iso.datetime(),
    dealId: z.string().min(1),
    touchpointId: z.string().min(1),
    contactId: z.string().min(1).optional(),
    portalId: z.number().int().positive(),
  }),
});
export type DueWorkMessage = z.infer<typeof DueWorkMessage>;

export function dueWorkMessage({ timer, runAt }: DueWork): DueWorkMessage {
  return { runAt: runAt.toISOString(), timer: { ...timer, dueAt: timer.dueAt.toISOString() } };
}

export function dueWorkOf({ timer, runAt }: DueWorkMessage): DueWork {
  return { runAt: new Date(runAt), timer: { ...timer, dueAt: new Date(timer.dueAt) } };
}

/** A sender's batch: each record's timer, and the records that are none (to fail, and in the end dead-letter). */
export function dueWorkIn(records: readonly Pick<SQSRecord, 'messageId' | 'body'>[]) {
  const work: (DueWork & { messageId: string })[] = [];
  const unreadable: { messageId: string; error: string }[] = [];
  for (const { messageId, body } of records) {
    const parsed = DueWorkMessage.safeParse(jsonOrUndefined(body));
    if (parsed.success) work.push({ ...dueWorkOf(parsed.data), messageId });
    else unreadable.push({ messageId, error: parsed.error.message });
  }
  return { work, unreadable };
}

function jsonOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The due work queue on SQS: a message per timer, a portal's batch in one SendMessageBatch. The
 * client talks to the host the queue's URL names (SQS's regional endpoint on AWS, the local queue's
 * server locally).
 */
export function sqsDueWorkQueue(queueUrl: string): DueWorkQueue {
  const sqs = new SQSClient({ endpoint: new URL(queueUrl).origin });
  return {
    batchSize: dueWorkBatchSize,
    async queued() {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    handOut: (work) => enqueueEvents(sqs, queueUrl, work.map(dueWorkMessage)),
  };
}
