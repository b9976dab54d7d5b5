import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSqs, type LocalSqsOptions, type RunningLocalSqs, type SqsConsumer } from '../../local/services/sqs-queue.js';

/** A local queue driven by the real SDK client, started once per describe. */
function localQueue(consumer: SqsConsumer, options: Partial<LocalSqsOptions> = {}) {
  const context = {} as { queue: RunningLocalSqs; client: SQSClient };
  beforeAll(async () => {
    context.queue = await startLocalSqs({ consumer, visibilityTimeoutMs: 10, batchWindowMs: 5, ...options });
    context.client = new SQSClient({
      endpoint: context.queue.endpoint,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    context.client.destroy();
    await context.queue.close();
  });
  return context;
}

function sendBatch(context: { queue: RunningLocalSqs; client: SQSClient }, bodies: string[]) {
  const Entries = bodies.map((MessageBody, index) => ({ Id: `m${index}`, MessageBody }));
  return context.client.send(new SendMessageBatchCommand({ QueueUrl: context.queue.queueUrl, Entries }));
}

const bodiesOf = (events: SQSEvent[]) => events.flatMap((event) => event.Records.map((record) => record.body));
const receiveCounts = (events: SQSEvent[], body: string) =>
  events.flatMap((event) => event.Records.filter((record) => record.body === body).map((record) => record.attributes.ApproximateReceiveCount));

describe('sending to the local queue', () => {
  const events: SQSEvent[] = [];
  const context = localQueue(async (event) => {
    events.push(event);
  });

  it('delivers 25 messages sent in three batch calls exactly once each, in batches of at most ten', async () => {
    const bodies = Array.from({ length: 25 }, (_, index) => JSON.stringify({ eventId: index }));
    for (const chunk of [bodies.slice(0, 10), bodies.slice(10, 20), bodies.slice(20)]) {
      const result = await sendBatch(context, chunk);
      expect([result.Successful?.length, result.Failed]).toEqual([chunk.length, []]);
    }
    await context.queue.idle();

    expect(bodiesOf(events).sort()).toEqual([...bodies].sort());
    expect(events.every((event) => event.Records.length <= 10)).toBe(true);
    expect(context.queue.stats()).toMatchObject({ deleted: 25, visible: 0, notVisible: 0, deadLettered: 0 });
  });

  it('delivers a SendMessage as the SQS record Lambda receives', async () => {
    const body = '{"portalId":24681357,"dealstage":"offersent"}';
    const sent = await context.client.send(new SendMessageCommand({ QueueUrl: context.queue.queueUrl, MessageBody: body }));
    await context.queue.idle();

    const record = events.at(-1)?.Records[0];
    expect(record).toMatchObject<Partial<SQSRecord>>({
      messageId: sent.MessageId!,
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      messageAttributes: {},
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:touchpoints-events',
      awsRegion: 'local',
    });
    expect(record?.attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: expect.any(String) });
    expect(Number(record?.attributes.SentTimestamp)).toBeLessThanOrEqual(Number(record?.attributes.ApproximateFirstReceiveTimestamp));
    expect(record?.receiptHandle).toEqual(expect.any(String));
  });

  it('answers with the MD5 the SDK checks, also for a body beyond ASCII', async () => {
    const body = 'Bilhuset Nord — «tilbud» sendt 🚗';
    const sent = await context.client.send(new SendMessageCommand({ QueueUrl: context.queue.queueUrl, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body, 'utf8').digest('hex'));
    await context.queue.idle();
    expect(bodiesOf(events).at(-1)).toBe(body);
  });

  it.each([
    ['eleven entries', Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })), TooManyEntriesInBatchRequest],
    ['two entries with one Id', [{ Id: 'same', MessageBody: 'a' }, { Id: 'same', MessageBody: 'b' }], BatchEntryIdsNotDistinct],
    ['no entries', [], EmptyBatchRequest],
    ['more than 256 KiB in all', ['a', 'b'].map((Id) => ({ Id, MessageBody: 'x'.repeat(200_000) })), BatchRequestTooLong],
  ])('refuses a batch of %s with the named SQS exception', async (_, Entries, exception) => {
    const sending = context.client.send(new SendMessageBatchCommand({ QueueUrl: context.queue.queueUrl, Entries }));
    await expect(sending).rejects.toBeInstanceOf(exception);
    // Type comes only from the x-amzn-query-error header SQS adds for its query-compatible clients.
    await expect(sending).rejects.toMatchObject({ name: exception.name, Type: 'Sender', $metadata: { httpStatusCode: 400 } });
  });

  it('fails only the entry with an invalid delay and sends the rest', async () => {
    const before = context.queue.stats().deleted;
    const result = await context.client.send(
      new SendMessageBatchCommand({
        QueueUrl: context.queue.queueUrl,
        Entries: [
          { Id: 'fine', MessageBody: 'fine' },
          { Id: 'too-late', MessageBody: 'too late', DelaySeconds: 901 },
        ],
      }),
    );
    await context.queue.idle();

    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['fine']);
    expect(result.Failed).toEqual([{ Id: 'too-late', SenderFault: true, Code: 'InvalidParameterValue', Message: expect.stringContaining('DelaySeconds') }]);
    expect(context.queue.stats().deleted).toBe(before + 1);
  });

  it('refuses a queue URL it does not serve with QueueDoesNotExist', async () => {
    const QueueUrl = context.queue.queueUrl.replace('touchpoints-events', 'elsewhere');
    await expect(context.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('refuses ReceiveMessage with UnsupportedOperation, as the event source mapping does the receiving', async () => {
    const receiving = context.client.send(new ReceiveMessageCommand({ QueueUrl: context.queue.queueUrl }));
    await expect(receiving).rejects.toBeInstanceOf(UnsupportedOperation);
  });
});

describe('the batching window', () => {
  const events: SQSEvent[] = [];
  const context = localQueue(
    async (event) => {
      events.push(event);
    },
    { batchWindowMs: 60_000 },
  );

  it('gathers messages sent one by one and delivers them as soon as the batch is full', async () => {
    for (const body of ['one', 'two', 'three']) {
      await context.client.send(new SendMessageCommand({ QueueUrl: context.queue.queueUrl, MessageBody: body }));
    }
    expect(context.queue.stats()).toMatchObject({ visible: 3, deliveries: 0 });

    await sendBatch(context, Array.from({ length: 7 }, (_, index) => `more-${index}`));
    await context.queue.idle();
    expect(events.map((event) => event.Records.length)).toEqual([10]);
  });

  it('sleeps until the batch window ends while a batch gathers, rather than on a timer already due', async () => {
    const warnings: string[] = [];
    const keepWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', keepWarning);
    try {
      await context.client.send(new SendMessageCommand({ QueueUrl: context.queue.queueUrl, MessageBody: 'alone' }));
    } finally {
      process.off('warning', keepWarning);
    }
    // Node clamps a timer set in the past to 1 ms and says so: the poller would spin through the window.
    expect(warnings).toEqual([]);
    expect(context.queue.stats()).toMatchObject({ visible: 1 });
  });
});

describe('partial batch failures', () => {
  const events: SQSEvent[] = [];
  const context = localQueue(async (event): Promise<SQSBatchResponse> => {
    events.push(event);
    const firstTry = event.Records.filter((record) => record.body === 'flaky' && record.attributes.ApproximateReceiveCount === '1');
    return { batchItemFailures: firstTry.map((record) => ({ itemIdentifier: record.messageId })) };
  });

  it('redelivers exactly the item reported failed, with receive count 2, and never the others', async () => {
    await sendBatch(context, ['steady-1', 'flaky', 'steady-2']);
    await context.queue.idle();

    expect(events).toHaveLength(2);
    expect(receiveCounts(events, 'flaky')).toEqual(['1', '2']);
    expect(receiveCounts(events, 'steady-1')).toEqual(['1']);
    expect(receiveCounts(events, 'steady-2')).toEqual(['1']);
    expect(events[1]?.Records[0]?.messageId).toBe(events[0]?.Records[1]?.messageId);
  });
});

describe('senders side by side (the event source\'s maximum concurrency)', () => {
  let running = 0;
  let mostAtOnce = 0;
  const remaining: number[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const context = localQueue(
    async (_event, lambda) => {
      remaining.push(lambda.getRemainingTimeInMillis());
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await gate;
      running -= 1;
    },
    { batchSize: 2, maxConcurrency: 3, consumerTimeoutMs: 20_000 },
  );

  it('delivers at most maxConcurrency batches at once, each told the time left before its timeout', async () => {
    await sendBatch(context, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    await expect.poll(() => running).toBe(3);
    release();
    await context.queue.idle();
    expect(mostAtOnce).toBe(3);
    expect(remaining).toHaveLength(4);
    for (const left of remaining) expect(left).toBeGreaterThan(15_000);
    for (const left of remaining) expect(left).toBeLessThanOrEqual(20_000);
  });
});

describe('a failure naming a message that is not in the batch', () => {
  const events: SQSEvent[] = [];
  const context = localQueue(async (event): Promise<SQSBatchResponse> => {
    events.push(event);
    return { batchItemFailures: events.length === 1 ? [{ itemIdentifier: 'not-a-message-of-this-batch' }] : [] };
  });

  it('fails the whole batch, as Lambda does', async () => {
    await sendBatch(context, ['a', 'b']);
    await context.queue.idle();

    expect(events.map((event) => event.Records.map((record) => record.attributes.ApproximateReceiveCount))).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
  });
});

describe('a consumer that throws', () => {
  const events: SQSEvent[] = [];
  const context = localQueue(async (event) => {
    events.push(event);
    if (events.length === 1) throw new Error('DynamoDB was unreachable');
  });

  it('gets the whole batch again', async () => {
    await sendBatch(context, ['a', 'b', 'c']);
    await context.queue.idle();

    const ids = (event: SQSEvent | undefined) => event?.Records.map((record) => record.messageId).sort();
    expect(events).toHaveLength(2);
    expect(ids(events[1])).toEqual(ids(events[0]));
    expect(events[1]?.Records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
  });
});

describe('dead letters', () => {
  const events: SQSEvent[] = [];
  const context = localQueue(
    async (event): Promise<SQSBatchResponse> => {
      events.push(event);
      if (event.Records.some((record) => record.body === 'poison-throws')) throw new Error('cannot parse the event');
      const poison = event.Records.filter((record) => record.body === 'poison');
      return { batchItemFailures: poison.map((record) => ({ itemIdentifier: record.messageId })) };
    },
    { maxReceiveCount: 3 },
  );

  it('moves a message that failed maxReceiveCount times to the DLQ and delivers it no more', async () => {
    await sendBatch(context, ['poison', 'healthy']);
    await context.queue.idle();

    expect(receiveCounts(events, 'poison')).toEqual(['1', '2', '3']);
    expect(receiveCounts(events, 'healthy')).toEqual(['1']);
    expect(context.queue.dlq()).toEqual([
      { messageId: expect.any(String), body: 'poison', sentTimestamp: expect.any(Number), receiveCount: 3, reason: 'reported in batchItemFailures' },
    ]);
  });

  it('keeps the last error of a consumer that threw as the reason', async () => {
    await context.client.send(new SendMessageCommand({ QueueUrl: context.queue.queueUrl, MessageBody: 'poison-throws' }));
    await context.queue.idle();

    expect(context.queue.dlq().at(-1)).toMatchObject({ body: 'poison-throws', receiveCount: 3, reason: 'cannot parse the event' });
  });

  it('counts the dead letters in the DLQ attributes', async () => {
    const { Attributes } = await context.client.send(
      new GetQueueAttributesCommand({ QueueUrl: context.queue.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '2' });
  });
});

describe('queue attributes and purging', () => {
  const events: SQSEvent[] = [];
  let openGate = () => {};
  let gate = Promise.resolve();
  const context = localQueue(
    async (event) => {
      events.push(event);
      await gate;
    },
    { delayScale: 0.01 },
  );
  const attributes = async () =>
    (await context.client.send(new GetQueueAttributesCommand({ QueueUrl: context.queue.queueUrl, AttributeNames: ['All'] }))).Attributes;

  it('counts visible, in-flight and delayed messages', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    await sendBatch(context, Array.from({ length: 10 }, (_, index) => `held-${index}`));
    await sendBatch(context, ['waiting-1', 'waiting-2']);
    await context.client.send(new SendMessageCommand({ QueueUrl: context.queue.queueUrl, MessageBody: 'later', DelaySeconds: 60 }));

    expect(await attributes()).toMatchObject({
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesNotVisible: '10',
      ApproximateNumberOfMessagesDelayed: '1',
      QueueArn: 'arn:aws:sqs:local:000000000000:touchpoints-events',
    });
    openGate();
    await context.queue.idle();
    expect(await attributes()).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' });
    expect(bodiesOf(events)).toHaveLength(13);
  });

  it('drops the waiting messages on PurgeQueue', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    const deliveriesBefore = context.queue.stats().deliveries;
    await sendBatch(context, Array.from({ length: 10 }, (_, index) => `held-${index}`));
    await sendBatch(context, ['purged-1', 'purged-2']);
    await context.client.send(new PurgeQueueCommand({ QueueUrl: context.queue.queueUrl }));
    openGate();
    await context.queue.idle();

    expect(context.queue.stats().deliveries).toBe(deliveriesBefore + 1);
    expect(bodiesOf(events)).not.toContain('purged-1');
  });
});
