import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { closeServer, listenOnLoopback } from './loopback.js';

/** What Lambda's context tells a consumer of its invocation: the time left before its timeout. */
export type LocalLambdaContext = Pick<Context, 'getRemainingTimeInMillis'>;
export type SqsConsumer = (event: SQSEvent, context: LocalLambdaContext) => Promise<SQSBatchResponse | void>;

/** A message that failed `maxReceiveCount` times, kept for inspection as the DLQ would keep it. */
export interface DeadLetter {
  messageId: string;
  body: string;
  sentTimestamp: number;
  receiveCount: number;
  /** The consumer's last error, or which rule failed the message. */
  reason: string;
}

export interface LocalSqsStats {
  /** Ready for the next batch. */
  visible: number;
  /** In the running batch, or waiting out the visibility timeout after a failure. */
  notVisible: number;
  /** Sent with DelaySeconds that have not yet passed. */
  delayed: number;
  deadLettered: number;
  /** Consumer invocations, as Lambda would count them. */
  deliveries: number;
  deleted: number;
}

export interface LocalSqsOptions {
  port?: number;
  consumer: SqsConsumer;
  queueName?: string;
  batchSize?: number;
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  /** Like the event source mapping's MaximumBatchingWindow: how long to gather a batch. */
  batchWindowMs?: number;
  /** DelaySeconds are multiplied by this, so a 900 s delay need not take 15 minutes locally. */
  delayScale?: number;
  /**
   * Like the function's timeout (default 60 s, the events λ's in cdk): an
   * invocation that has not answered by then is given up, as Lambda gives up a
   * timed-out or crashed one, and its whole batch comes back after the
   * visibility timeout. Whatever it still does is not waited for.
   */
  consumerTimeoutMs?: number;
  /** Like the event source's maximum concurrency: batches delivered side by side (default 1). */
  maxConcurrency?: number;
}

/** One invocation of the consumer, as `onInvocation` reports it once its messages are deleted, retried or dead-lettered. */
export interface LocalSqsInvocation {
  messageIds: string[];
  /** The messages that failed, to be retried or dead-lettered. */
  failed: string[];
  /** Why they failed, as a dead letter would keep it; undefined when none did. */
  reason?: string;
}

interface QueuedMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentTimestamp: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

const accountId = '000000000000';
const region = 'local';
const senderId = 'AIDALOCALSQSSENDER';
// SQS's default is now 1 MiB (per message and per batch); we hold to the classic 256 KiB so a growing payload shows up locally first.
const maxMessageBytes = 256 * 1024;
const maxBatchEntries = 10;
const maxDelaySeconds = 900;
const contentType = 'application/x-amz-json-1.0';

/** The code SQS puts in `x-amzn-query-error`; the SDK (awsQueryCompatible) maps it back to its exception class. */
const queryErrorCodes = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  InvalidMessageContents: 'InvalidMessageContents',
  InvalidAttributeName: 'InvalidAttributeName',
  InvalidParameterValue: 'InvalidParameterValue',
} as const;

class SqsError extends Error {
  constructor(readonly type: keyof typeof queryErrorCodes, message: string) {
    super(message);
  }
}

const MessageFields = {
  MessageBody: z.string(),
  DelaySeconds: z.int().optional(),
  MessageAttributes: z.record(z.string(), z.unknown()).optional(),
  MessageSystemAttributes: z.record(z.string(), z.unknown()).optional(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
};
const SendMessageRequest = z.object({ QueueUrl: z.string(), ...MessageFields });
const SendMessageBatchRequest = z.object({ QueueUrl: z.string(), Entries: z.array(z.object({ Id: z.string(), ...MessageFields })).optional() });
const GetQueueAttributesRequest = z.object({ QueueUrl: z.string(), AttributeNames: z.array(z.string()).optional() });
const PurgeQueueRequest = z.object({ QueueUrl: z.string() });

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new SqsError('InvalidParameterValue', z.prettifyError(result.error));
  return result.data;
}

const md5Hex = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
// The characters SQS accepts in a message body (XML 1.0's), as code points.
const invalidBodyCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

type Refusal = [type: keyof typeof queryErrorCodes, message: string];

/** Why SQS would refuse this message, or undefined if it would take it. */
function messageRefusal(message: z.infer<typeof SendMessageRequest>): Refusal | undefined {
  const { MessageBody: body, DelaySeconds: delay = 0 } = message;
  if (body.length === 0) return ['InvalidParameterValue', 'The message body must not be empty.'];
  if (Buffer.byteLength(body) > maxMessageBytes) return ['InvalidParameterValue', `Message must be shorter than ${maxMessageBytes} bytes.`];
  if (invalidBodyCharacter.test(body)) return ['InvalidMessageContents', 'Invalid characters found in the message body.'];
  if (delay < 0 || delay > maxDelaySeconds) return ['InvalidParameterValue', `DelaySeconds must be >= 0 and <= ${maxDelaySeconds}.`];
  // Refused rather than dropped, so nobody relies on attributes that never arrive.
  if (message.MessageAttributes || message.MessageSystemAttributes) return ['InvalidParameterValue', 'The local queue does not keep message attributes.'];
  return undefined;
}

/** Why SQS would refuse the whole SendMessageBatch request, or undefined. */
function batchRefusal(entries: { Id: string; MessageBody: string }[]): Refusal | undefined {
  const totalBytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody), 0);
  if (entries.length === 0) return ['EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.'];
  if (entries.length > maxBatchEntries) return ['TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${maxBatchEntries}.`];
  if (entries.some((entry) => !/^[\w-]{1,80}$/.test(entry.Id))) return ['InvalidBatchEntryId', 'A batch entry id is 1-80 letters, digits, - or _.'];
  if (new Set(entries.map((entry) => entry.Id)).size < entries.length) return ['BatchEntryIdsNotDistinct', 'Two batch entries have the same Id.'];
  if (totalBytes > maxMessageBytes) return ['BatchRequestTooLong', `Batch requests cannot be longer than ${maxMessageBytes} bytes.`];
  return undefined;
}

/**
 * An SQS queue with its dead-letter queue and a Lambda event source mapping,
 * in process: the AWS SDK talks to it over the SQS JSON protocol, and it
 * delivers `SQSEvent` batches to `consumer` with Lambda's partial-batch rules.
 */
export async function startLocalSqs(options: LocalSqsOptions) {
  const { consumer, queueName = 'touchpoints-events', batchSize = 10, visibilityTimeoutMs = 200, maxReceiveCount = 3 } = options;
  const { batchWindowMs = 20, delayScale = 1, consumerTimeoutMs = 60_000, maxConcurrency = 1 } = options;
  const dlqName = `${queueName}-dlq`;
  const queueArn = `arn:aws:sqs:${region}:${accountId}:${queueName}`;
  const dlqArn = `arn:aws:sqs:${region}:${accountId}:${dlqName}`;
  const waiting: QueuedMessage[] = []; // delayed, visible, or waiting out a visibility timeout
  const inFlight = new Set<QueuedMessage>();
  const batchesDone = new Set<Promise<void>>();
  let running = 0;
  const deadLetters: DeadLetter[] = [];
  const idleWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const invocationListeners = new Set<(invocation: LocalSqsInvocation) => void>();
  let deliveries = 0;
  let deleted = 0;
  let purges = 0;
  let gatherUntil: number | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let closed = false;

  function enqueue(message: z.infer<typeof SendMessageRequest>, toDeadLetterQueue: boolean) {
    const now = Date.now();
    const delayMs = (message.DelaySeconds ?? 0) * 1000 * delayScale;
    const queued: QueuedMessage = {
      messageId: randomUUID(),
      body: message.MessageBody,
      md5OfBody: md5Hex(message.MessageBody),
      sentTimestamp: now,
      visibleAt: now + delayMs,
      receiveCount: 0,
      messageGroupId: message.MessageGroupId,
      messageDeduplicationId: message.MessageDeduplicationId,
    };
    if (toDeadLetterQueue) deadLetters.push(deadLetter(queued, 'sent to the dead-letter queue directly'));
    else waiting.push(queued);
    return { MessageId: queued.messageId, MD5OfMessageBody: queued.md5OfBody };
  }

  function deadLetter({ messageId, body, sentTimestamp, receiveCount }: QueuedMessage, reason: string): DeadLetter {
    return { messageId, body, sentTimestamp, receiveCount, reason };
  }

  function toRecord(message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: randomBytes(48).toString('base64'),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: senderId,
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
        ...(message.messageGroupId === undefined ? {} : { MessageGroupId: message.messageGroupId }),
        ...(message.messageDeduplicationId === undefined ? {} : { MessageDeduplicationId: message.messageDeduplicationId }),
      },
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    };
  }

  /** The poller: delivers a batch when one is full or its window has passed, else sleeps until something changes. */
  function poll() {
    clearTimeout(wakeTimer);
    if (closed || running >= maxConcurrency) return;
    const now = Date.now();
    const visible = waiting.filter((message) => message.visibleAt <= now);
    if (visible.length === 0) gatherUntil = undefined;
    else gatherUntil ??= now + batchWindowMs;
    if (visible.length >= batchSize || (gatherUntil !== undefined && now >= gatherUntil)) {
      gatherUntil = undefined;
      const done = deliver(visible.slice(0, batchSize));
      batchesDone.add(done);
      void done.finally(() => batchesDone.delete(done));
      // Another batch may be ready for a free slot at once.
      if (running < maxConcurrency) setImmediate(poll);
      return;
    }
    // The batch window's end, or the next hidden message becoming visible: a visible one already counts in the window.
    const nextWake = Math.min(gatherUntil ?? Infinity, ...waiting.filter((message) => message.visibleAt > now).map((message) => message.visibleAt));
    if (nextWake !== Infinity) wakeTimer = setTimeout(poll, nextWake - now);
  }

  async function deliver(batch: QueuedMessage[]) {
    const now = Date.now();
    running += 1;
    for (const message of batch) inFlight.add(message);
    for (const message of batch) {
      waiting.splice(waiting.indexOf(message), 1);
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
    }
    const purgesBefore = purges;
    deliveries += 1;
    let failed: Set<string>;
    let reason: string;
    let timeout: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        const seconds = (consumerTimeoutMs / 1000).toFixed(2);
        timeout = setTimeout(() => reject(new Error(`Task timed out after ${seconds} seconds`)), consumerTimeoutMs);
      });
      const deadline = Date.now() + consumerTimeoutMs;
      const response = await Promise.race([consumer({ Records: batch.map(toRecord) }, { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) }), timedOut]);
      const named = (response?.batchItemFailures ?? []).map((failure) => failure?.itemIdentifier);
      // Lambda fails the whole batch when a failure names no message of it.
      const ids = new Set(batch.map((message) => message.messageId));
      const unknown = named.find((id) => typeof id !== 'string' || !ids.has(id));
      failed = unknown === undefined ? new Set(named) : ids;
      reason = unknown === undefined ? 'reported in batchItemFailures' : `batchItemFailures named an unknown message: ${String(unknown)}`;
    } catch (error) {
      failed = new Set(batch.map((message) => message.messageId));
      reason = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timeout);
    }
    const settledAt = Date.now();
    for (const message of batch) {
      if (!failed.has(message.messageId)) deleted += 1;
      else if (purges !== purgesBefore) continue; // purged while in flight: gone, not retried
      else if (message.receiveCount >= maxReceiveCount) deadLetters.push(deadLetter(message, reason));
      else waiting.push({ ...message, visibleAt: settledAt + visibilityTimeoutMs });
    }
    running -= 1;
    for (const message of batch) inFlight.delete(message);
    const invocation = { messageIds: batch.map((message) => message.messageId), failed: [...failed], ...(failed.size ? { reason } : {}) };
    for (const listener of invocationListeners) {
      try {
        listener(invocation);
      } catch (error) {
        console.error('local SQS invocation listener failed', error);
      }
    }
    poll();
    settleIdleWaiters();
  }

  function settleIdleWaiters() {
    if (waiting.length > 0 || inFlight.size > 0) return;
    for (const waiter of idleWaiters.splice(0)) waiter.resolve();
  }

  function stats(): LocalSqsStats {
    const now = Date.now();
    const delayed = waiting.filter((message) => message.visibleAt > now && message.receiveCount === 0).length;
    const visible = waiting.filter((message) => message.visibleAt <= now).length;
    return { visible, notVisible: waiting.length - visible - delayed + inFlight.size, delayed, deadLettered: deadLetters.length, deliveries, deleted };
  }

  function queueAttributes(isDeadLetterQueue: boolean, requested: string[]) {
    const counts = isDeadLetterQueue ? { visible: deadLetters.length, notVisible: 0, delayed: 0 } : stats();
    const attributes: Record<string, string> = {
      QueueArn: isDeadLetterQueue ? dlqArn : queueArn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      ...(isDeadLetterQueue ? {} : { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) }),
    };
    if (requested.includes('All')) return attributes;
    const unknown = requested.find((name) => !(name in attributes));
    if (unknown !== undefined) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
    return Object.fromEntries(requested.map((name) => [name, attributes[name]]));
  }

  /** Which of our two queues a QueueUrl names, by path, so localhost and 127.0.0.1 both work. */
  function resolveQueue(queueUrl: string): 'queue' | 'dlq' {
    const path = URL.canParse(queueUrl) ? new URL(queueUrl).pathname : '';
    if (path === `/${accountId}/${queueName}`) return 'queue';
    if (path === `/${accountId}/${dlqName}`) return 'dlq';
    throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  }

  const actions: Record<string, (input: unknown) => object> = {
    SendMessage(input) {
      const request = parse(SendMessageRequest, input);
      const target = resolveQueue(request.QueueUrl);
      const refused = messageRefusal(request);
      if (refused) throw new SqsError(...refused);
      return enqueue(request, target === 'dlq');
    },
    SendMessageBatch(input) {
      const { QueueUrl, Entries = [] } = parse(SendMessageBatchRequest, input);
      const target = resolveQueue(QueueUrl);
      const refused = batchRefusal(Entries);
      if (refused) throw new SqsError(...refused);
      const Successful: object[] = [];
      const Failed: object[] = [];
      for (const entry of Entries) {
        const refused = messageRefusal({ QueueUrl, ...entry });
        if (refused) Failed.push({ Id: entry.Id, SenderFault: true, Code: refused[0], Message: refused[1] });
        else Successful.push({ Id: entry.Id, ...enqueue({ QueueUrl, ...entry }, target === 'dlq') });
      }
      return { Successful, Failed };
    },
    GetQueueAttributes(input) {
      const request = parse(GetQueueAttributesRequest, input);
      return { Attributes: queueAttributes(resolveQueue(request.QueueUrl) === 'dlq', request.AttributeNames ?? []) };
    },
    PurgeQueue(input) {
      if (resolveQueue(parse(PurgeQueueRequest, input).QueueUrl) === 'dlq') deadLetters.splice(0);
      else {
        waiting.splice(0);
        purges += 1; // the batch in flight is purged too: its failures are not retried
      }
      return {};
    },
  };

  function respond(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
    response.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), ...headers });
    response.end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['x-amz-target'] ?? '(no X-Amz-Target)';
    try {
      const actionName = typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
      const action = request.method === 'POST' && Object.hasOwn(actions, actionName) ? actions[actionName] : undefined;
      if (!action) throw new SqsError('UnsupportedOperation', `${String(target)} is not supported by the local queue.`);
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        throw new SqsError('InvalidParameterValue', 'The request body is not JSON.');
      }
      respond(response, 200, action(input));
      poll();
      settleIdleWaiters();
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      const queryError = `${queryErrorCodes[error.type]};Sender`;
      respond(response, 400, { __type: `com.amazonaws.sqs#${error.type}`, message: error.message }, { 'x-amzn-query-error': queryError });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('local SQS failed', error);
      if (!response.headersSent) respond(response, 500, { __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error.' });
    });
  });
  const { url } = await listenOnLoopback(server, options.port ?? 0);

  return {
    endpoint: url,
    queueUrl: `${url}/${accountId}/${queueName}`,
    dlqUrl: `${url}/${accountId}/${dlqName}`,
    /** Resolves when nothing is queued, delayed, in flight or waiting to be retried (dead letters do not count). */
    idle(): Promise<void> {
      if (closed) return Promise.reject(new Error('The local queue is closed.'));
      return new Promise<void>((resolve, reject) => {
        idleWaiters.push({ resolve, reject });
        settleIdleWaiters();
      });
    },
    dlq: (): readonly DeadLetter[] => [...deadLetters],
    stats,
    /** Calls `listener` as each invocation ends, before anything is redelivered; returns the unsubscribe. */
    onInvocation(listener: (invocation: LocalSqsInvocation) => void): () => void {
      invocationListeners.add(listener);
      return () => invocationListeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(wakeTimer);
      await closeServer(server);
      await Promise.all(batchesDone);
      for (const waiter of idleWaiters.splice(0)) waiter.reject(new Error('The local queue closed before it was idle.'));
    },
  };
}

export type RunningLocalSqs = Awaited<ReturnType<typeof startLocalSqs>>;
