import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { PurgeQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Client } from '@hubspot/api-client';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../lambdas/handlers/events.js';
import { HubSpotClients } from '../../lambdas/hubspot/clients.js';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { ensureTouchpointsProperties } from '../../lambdas/hubspot/writes.js';
import { sendRawMail, sesClientFor } from '../../lambdas/mail/send.js';
import { enqueueEvents } from '../../lambdas/queue/events-queue.js';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { stageHistoryRequest } from '../../lambdas/journeys/stage-visits.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import { ensureTable } from '../../lambdas/store/table.js';
import { carSalesPipelineId, demoAccessToken, demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { seedDemoActivity, seedDemoConfiguration } from '../../local/demo/seed-app.js';
import { demoPortalSeed } from '../../local/demo/stage-histories.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../local/hubspot-sandbox/server.js';
import { dynaliteAt, startDynalite, type DynamoRequest, type RunningDynamo } from '../../local/services/dynalite.js';
import { startLocalSes, type RunningLocalSes } from '../../local/services/local-ses.js';
import { startLocalSqs, type LocalSqsInvocation } from '../../local/services/sqs-queue.js';
import { mailsTo } from '../support/local-ses.js';
import { dealStageChange } from '../support/webhook-events.js';
import { startTestStack, tableSnapshot } from '../support/local-stack.js';

/*
 * Outages the events λ must live through, each with real protocols end to end:
 * dynalite really stops listening (connections refused, requests in flight
 * dropped) and comes back with its data; a Lambda invocation really never
 * returns and the local SQS gives it up at the function timeout, as Lambda does.
 * After each: no event lost, nothing done twice, every failure retried to
 * success or in the DLQ with a reason. "As without the fault" means the table
 * equals, item for item, the table of a run without any fault (times, sealed
 * tokens and HubSpot's random event ids aside).
 *
 * Deterministic by construction: no move starts a follow-up promise, and the
 * faults strike at the batch's first invitation write, so the outcome is the
 * same however the deals of the batch interleave. The narrower windows (between
 * a follow-up and its timer, an invitation and its mirrors, an effect and the
 * write remembering it) have their own tests at the end.
 */
const portal = demoPortalId;
type Moves = readonly (readonly [dealId: string, stageId: string])[];
/** One webhook batch, one SQS batch: seven deals, every kind of invitation (scheduled, two contacts, no email, opted out, no contacts). */
const batchMoves: Moves = [
  ['302', 'offersent'],
  ['304', 'cardelivered'],
  ['306', 'offersent'],
  ['307', 'cardelivered'],
  ['308', 'testdrive'],
  ['309', 'offersent'],
  ['310', 'cardelivered'],
];
/** Moves after the outage: the work that comes in once the table is back. */
const laterMoves: Moves = [
  ['301', 'offersent'],
  ['305', 'testdrive'],
];

const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const attributeString = (value: unknown) => (value as { S?: string } | undefined)?.S ?? '';
/** The key of the item a PutItem (marshalled, as dynalite receives it) writes. */
const putKey = ({ body }: DynamoRequest) => {
  const item = body.Item as Record<string, unknown> | undefined;
  return { PK: attributeString(item?.PK), SK: attributeString(item?.SK) };
};
/** An invitation's pointer on its contact: the first write of every invitation. */
const isInvitationPointerPut = (request: DynamoRequest) =>
  request.operation === 'PutItem' && putKey(request).PK.includes('#contact#') && putKey(request).SK.startsWith('INV#');

type Labels = Map<string, string>;
const label = (event: { eventId: number | string; objectId: number; propertyValue?: string }) => [String(event.eventId), `${event.objectId}→${event.propertyValue}`] as const;

/** The table as a multiset of items, with what differs between two runs of the same work masked. */
function normalized(items: readonly string[], labels: Labels): string[] {
  return items
    .map((item) =>
      item
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?/g, '<time>')
        .replace(/"ttl":\d+/g, '"ttl":"<time>"')
        .replace(/v1\.[\w-]+\.[\w-]+\.[\w-]+/g, '<sealed>')
        // A backfilled stage visit is named by its time in HubSpot's history: the sandbox seeds each stack's deals at its own start.
        .replace(/history-\d+-/g, 'history-<time>-')
        .replace(/\d{10,}/g, (eventId) => labels.get(eventId) ?? eventId),
    )
    .sort();
}

type Stack = Awaited<ReturnType<typeof startTestStack>>;

function moveDeals(stack: Stack, moves: Moves) {
  for (const [dealId, stageId] of moves) stack.sandbox.moveDeal(portal, dealId, stageId);
}

/** The stack's table, with each event id named by the move the sandbox sent it for. */
async function stackState(stack: Stack): Promise<string[]> {
  const labels: Labels = new Map();
  for (const { attempts } of stack.sandbox.webhooks.deliveries()) {
    for (const { body } of attempts) for (const event of JSON.parse(body) as Parameters<typeof label>[0][]) labels.set(...label(event));
  }
  return normalized(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName), labels);
}

let reference: string[];

beforeAll(async () => {
  // The run without faults every outage is held to.
  const stack = await startTestStack();
  try {
    moveDeals(stack, batchMoves);
    await stack.settled();
    moveDeals(stack, laterMoves);
    await stack.settled();
    expect(stack.queue.dlq()).toEqual([]);
    reference = await stackState(stack);
  } finally {
    await stack.close();
  }
});

describe('DynamoDB unreachable mid-batch', () => {
  // Real: the whole local stack (signed webhooks from the sandbox, the webhook λ, the local SQS with its
  // DLQ, the events λ built from its environment as on AWS, the AWS SDK with its own retries). Injected:
  // dynalite stops listening and drops its open connections at one chosen request, then listens again on
  // the same port with its data. The cut is the batch's first invitation write: by then stage records,
  // gaps and survey slots are written for some deals, so the outage leaves real half-done work behind.
  let stack: Stack;
  let dynamo: RunningDynamo;
  const invocations: LocalSqsInvocation[] = [];
  let writesBeforeCut = 0;

  const running: Stack[] = [];
  afterEach(async () => {
    for (const started of running.splice(0)) await started.close();
    invocations.length = 0;
    writesBeforeCut = 0;
  });

  /** Starts a stack whose dynalite goes down at the batch's first invitation write, until `backWhen` says. */
  async function stackWithOutage(backWhen: (stack: Stack) => boolean) {
    stack = await startTestStack();
    running.push(stack);
    dynamo = dynaliteAt(stack.info.dynamoEndpoint)!;
    let cut = false;
    dynamo.onRequest((request) => {
      if (!cut && isInvitationPointerPut(request)) {
        cut = true;
        void dynamo.pause();
      } else if (!cut && writeOperations.has(request.operation)) writesBeforeCut += 1;
    });
    stack.queue.onInvocation((invocation) => {
      invocations.push(invocation);
      if (dynamo.paused && backWhen(stack)) void dynamo.resume();
    });
  }

  it('retries the events a short outage cut to success: each done once, as without the fault, nothing dead-lettered', async () => {
    await stackWithOutage(() => true); // back as soon as the invocation it cut has failed
    moveDeals(stack, batchMoves);
    await stack.settled();
    moveDeals(stack, laterMoves);
    await stack.settled();

    expect(writesBeforeCut).toBeGreaterThan(0);
    expect(invocations[0]).toEqual(expect.objectContaining({ failed: expect.arrayContaining([expect.any(String)]), reason: 'reported in batchItemFailures' }));
    expect(invocations.slice(1).flatMap(({ failed }) => failed)).toEqual([]); // the first retry did it
    expect(stack.queue.dlq()).toEqual([]);
    expect(await stackState(stack)).toEqual(reference);
  });

  it('dead-letters what a long outage cut, with the reason; processes what comes after; a redrive then ends as without the fault', async () => {
    await stackWithOutage((stack) => stack.queue.dlq().length > 0); // down until a message ran out of receives
    moveDeals(stack, batchMoves);
    await stack.settled();

    const deadLetters = stack.queue.dlq();
    expect(deadLetters.length).toBeGreaterThan(0);
    for (const deadLetter of deadLetters) expect(deadLetter).toEqual(expect.objectContaining({ receiveCount: 3, reason: 'reported in batchItemFailures' }));
    // Each of the batch's seven messages was either done or is in the DLQ: none vanished.
    const delivered = new Set(invocations.flatMap(({ messageIds }) => messageIds));
    const done = invocations.flatMap(({ messageIds, failed }) => messageIds.filter((id) => !failed.includes(id)));
    expect(delivered.size).toBe(batchMoves.length);
    expect(new Set([...done, ...deadLetters.map(({ messageId }) => messageId)])).toEqual(delivered);
    expect(writesBeforeCut).toBeGreaterThan(0); // and half-done work stayed behind

    // The table is back: new work goes through at once.
    moveDeals(stack, laterMoves);
    await stack.settled();
    expect(await stack.store.listInvitations(portal, '301')).toHaveLength(1);
    expect(await stack.store.listInvitations(portal, '305')).toHaveLength(1);

    // What an operator does about the DLQ (StartMessageMoveTask): move its messages back to the queue.
    const sqs = new SQSClient({ endpoint: stack.queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: stack.queue.queueUrl, Entries: deadLetters.map(({ body }, index) => ({ Id: `redrive-${index}`, MessageBody: body })) }),
      );
      await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.queue.dlqUrl }));
    } finally {
      sqs.destroy();
    }
    await stack.settled();
    expect(stack.queue.dlq()).toEqual([]);
    expect(await stackState(stack)).toEqual(reference);
  });
});

/** The invocation of the events λ a call belongs to: Lambda's process, as the kill switch sees it. */
const invocationOf = new AsyncLocalStorage<{ dead: boolean }>();
const never = () => new Promise<never>(() => undefined);
/** The events λ's function timeout here (60 s on AWS): a healthy batch takes 30–200 ms. */
const lambdaTimeoutMs = 1_500;
/** On AWS a batch that failed comes back after the queue's visibility timeout: 6 minutes (6 × the λ's timeout, cdk). */
const awsVisibilityTimeoutMs = 6 * 60_000;

/** A write as the document client's middleware sees it, before marshalling. */
interface WriteInput {
  command: string;
  Item?: Record<string, unknown> & { PK?: string; SK?: string };
}
/** Where an invocation dies: when it sends the write `write` matches, which then lands (`lands`) or never leaves the process. */
interface KillPoint {
  write: (input: WriteInput) => boolean;
  lands: boolean;
}

let nextEventId = 5_000_000_000; // ten digits and more, so the state names it by its move
function stageChange([dealId, stageId]: readonly [string, string]) {
  return dealStageChange(nextEventId++, dealId, stageId);
}

/** Ingrid's red answer on deal 303's offer (seeded): a note, a task for the owner and a reply mail to her. */
const redAnswer = () => ({
  subscriptionType: 'touchpoints.answerRecorded',
  eventId: `answer-303-offer-103-${randomUUID()}`,
  portalId: portal,
  occurredAt: Date.now(),
  dealId: '303',
  touchpointId: 'offer',
  contactId: '103',
});

describe('the events λ behind its own local SQS', () => {
  // Real: dynalite, the HubSpot sandbox, the local SES, the local SQS with its DLQ and a function timeout,
  // the events λ as createEventsHandler builds it, the AWS SDK. The events are queued as the webhook λ
  // queues them (the stack above covers that path), so each test gets a fresh table in a second, not a
  // stack. The λ's clock moves on by the visibility timeout AWS waits before a redelivery (6 minutes):
  // claims of side effects have a 5-minute lease, and a redelivery must see it as AWS would.
  let dynamo: RunningDynamo;
  let sandbox: HubSpotSandbox;
  let ses: RunningLocalSes;
  let lambda: Awaited<ReturnType<typeof startEventsLambda>> | undefined;
  const unsubscribe: (() => void)[] = [];

  beforeAll(async () => {
    dynamo = await startDynalite();
    sandbox = await startHubSpotSandbox({ ...demoApp, portals: [demoPortalSeed] });
    ses = await startLocalSes();
  });
  afterAll(async () => {
    await ses?.close();
    await sandbox?.close();
    await dynamo?.close();
  });
  afterEach(async () => {
    for (const stop of unsubscribe.splice(0)) stop();
    await dynamo.resume();
    await lambda?.close();
    lambda = undefined;
    sandbox.reset();
  });

  /** A fresh table with the demo's configuration and activity, and the events λ behind its own local SQS. */
  async function startEventsLambda() {
    let skewMs = 0;
    const now = () => new Date(Date.now() + skewMs);
    const kill: { at?: KillPoint } = {};
    const client = createDynamoClient({ endpoint: dynamo.endpoint, region: 'eu-north-1' });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const invocation = invocationOf.getStore();
        if (invocation?.dead) return never();
        if (invocation && kill.at?.write({ ...(args.input as Omit<WriteInput, 'command'>), command: String(context.commandName) })) {
          const { lands } = kill.at;
          kill.at = undefined;
          invocation.dead = true;
          if (lands) void next(args).catch(() => undefined);
          return never();
        }
        const output = await next(args);
        if (invocation?.dead) return never(); // an answer that comes back to a dead process
        return output;
      },
      { step: 'initialize', name: 'killSwitch' },
    );
    const tableName = `outages-${randomUUID().slice(0, 8)}`;
    await ensureTable(client, tableName);
    const store = new TouchpointsStore(createDocumentClient(client), tableName, now);
    const sealer = new TokenSealer('outages-test-key');
    await seedDemoConfiguration(store, portal, carSalesPipelineId, sealer, now());
    await seedDemoActivity(store, portal, now());
    await ensureTouchpointsProperties(new Client({ accessToken: demoAccessToken, basePath: sandbox.url }));
    const sesClient = sesClientFor(ses.endpoint);
    const handler = createEventsHandler({
      store,
      hubspot: new HubSpotClients(store, { basePath: sandbox.url, app: demoApp, sealer, now }),
      sendMail: (raw) => sendRawMail(sesClient, raw),
      // The install's stage history backfill runs through this queue as on the stack (`sqs` is made below).
      requestStageHistory: (request) => enqueueEvents(sqs, queue.queueUrl, [request]),
      now,
    });
    const queue = await startLocalSqs({
      consumer: (event: SQSEvent) => invocationOf.run({ dead: false }, () => handler(event)),
      visibilityTimeoutMs: 10,
      batchWindowMs: 5,
      consumerTimeoutMs: lambdaTimeoutMs,
    });
    const invocations: LocalSqsInvocation[] = [];
    queue.onInvocation((invocation) => {
      invocations.push(invocation);
      if (invocation.failed.length) skewMs += awsVisibilityTimeoutMs;
    });
    const sqs = new SQSClient({ endpoint: queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // As the local stack does at its first start: the demo deals' stage history, read before any test event.
    await enqueueEvents(sqs, queue.queueUrl, [stageHistoryRequest(portal, new Date(now()))]);
    await queue.idle();
    invocations.length = 0;
    const labels: Labels = new Map();
    return {
      store,
      queue,
      invocations,
      kill,
      /** Queues the events (one SQS batch) and waits until each is done or dead-lettered. */
      async send(events: readonly object[]) {
        for (const event of events) if ('propertyValue' in event) labels.set(...label(event as Parameters<typeof label>[0]));
        await enqueueEvents(sqs, queue.queueUrl, events);
        await queue.idle();
      },
      state: async () => normalized(await tableSnapshot(dynamo.endpoint, tableName), labels),
      async close() {
        sqs.destroy();
        await queue.close();
        sesClient.destroy();
        client.destroy();
      },
    };
  }

  const hubspot = () => new Client({ accessToken: demoAccessToken, basePath: sandbox.url });
  async function tasksOfDeal(dealId: string) {
    const links = await hubspot().crm.associations.v4.basicApi.getPage('deals', dealId, 'tasks');
    if (links.results.length === 0) return [];
    const tasks = await hubspot().crm.objects.tasks.batchApi.read({ inputs: links.results.map(({ toObjectId }) => ({ id: String(toObjectId) })), properties: ['hs_task_subject'], propertiesWithHistory: [] });
    return tasks.results.map(({ properties }) => properties.hs_task_subject);
  }
  const notesOfDeal = async (dealId: string) => (await hubspot().crm.associations.v4.basicApi.getPage('deals', dealId, 'notes')).results;
  const repliesToIngrid = async () => (await mailsTo(ses.endpoint, 'ingrid.haugen@example.no')).length;
  /** The side effects of Ingrid's red answer, as HubSpot and the mail server have them. */
  async function answerEffects(repliesBefore: number) {
    return { notes: (await notesOfDeal('303')).length, tasks: await tasksOfDeal('303'), replies: (await repliesToIngrid()) - repliesBefore };
  }
  const oneOfEach = { notes: 1, tasks: ['Red score on The offer: call Ingrid'], replies: 1 };

  describe('killed mid-run', () => {
    // Injected: the death of one invocation. Its DynamoDB calls run through a middleware that knows which
    // invocation made them (AsyncLocalStorage); at the chosen write the invocation dies: that write lands
    // (or not), and no call it makes afterwards leaves the process or returns. So its promise never settles,
    // as a Lambda killed by its timeout or a crash never answers, and the local SQS gives it up at the
    // function timeout, then redelivers the whole batch after the visibility timeout.

    it('the local SQS gives an invocation that never answers up at the function timeout and redelivers its batch', async () => {
      // Real: the local SQS and the SDK. Injected: a consumer whose first invocation never settles. Lambda
      // gives such an invocation up at the function timeout and SQS hands its batch out again after the
      // visibility timeout; the local queue must too, or one hung invocation would stall it for good.
      const received: SQSEvent[] = [];
      const receivedAt: number[] = [];
      const queue = await startLocalSqs({
        consumer: (event) => {
          received.push(event);
          receivedAt.push(performance.now());
          return received.length === 1 ? never() : Promise.resolve();
        },
        visibilityTimeoutMs: 10,
        batchWindowMs: 5,
        consumerTimeoutMs: 100,
      });
      const invocations: LocalSqsInvocation[] = [];
      queue.onInvocation((invocation) => invocations.push(invocation));
      const sqs = new SQSClient({ endpoint: queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      try {
        await enqueueEvents(sqs, queue.queueUrl, [{ n: 1 }, { n: 2 }]);
        await queue.idle();
        expect(received.map(({ Records }) => Records.map(({ body, attributes }) => `${body} #${attributes.ApproximateReceiveCount}`))).toEqual([
          ['{"n":1} #1', '{"n":2} #1'],
          ['{"n":1} #2', '{"n":2} #2'],
        ]);
        expect(invocations.map(({ failed, reason }) => [failed.length, reason])).toEqual([
          [2, 'Task timed out after 0.10 seconds'],
          [0, undefined],
        ]);
        const [first, second] = received.map(({ Records }) => Number(Records[0]!.attributes.ApproximateFirstReceiveTimestamp));
        expect(first).toBe(second);
        expect(receivedAt[1]! - receivedAt[0]!).toBeGreaterThanOrEqual(100); // not before the timeout
        expect(queue.dlq()).toEqual([]);
      } finally {
        sqs.destroy();
        await queue.close();
      }
    });

    it('redelivers the batch of an invocation that died half-way; a healthy one finishes it, as without the fault', async () => {
      lambda = await startEventsLambda();
      // Dies as it sends the batch's first invitation write, which lands: stage records, gaps and survey
      // slots of several deals are written by then, the rest of the batch is not.
      lambda.kill.at = { write: ({ command, Item }) => command === 'PutItemCommand' && !!Item?.PK?.includes('#contact#') && !!Item.SK?.startsWith('INV#'), lands: true };
      await lambda.send(batchMoves.map(stageChange));
      await lambda.send(laterMoves.map(stageChange));

      expect(lambda.kill.at).toBeUndefined(); // it did die
      expect(lambda.invocations.map(({ failed, reason }) => [failed.length, reason])).toEqual([
        [batchMoves.length, `Task timed out after ${(lambdaTimeoutMs / 1000).toFixed(2)} seconds`],
        [0, undefined],
        [0, undefined],
      ]);
      expect(lambda.queue.dlq()).toEqual([]);
      expect(await lambda.state()).toEqual(reference);
    });

    it('takes over the task claim of an invocation that died before calling HubSpot: one note, one task, one reply mail', async () => {
      lambda = await startEventsLambda();
      const repliesBefore = await repliesToIngrid();
      // Dies as its claim on the owner task lands, before HubSpot is called. The redelivery comes 6 minutes
      // on, past the claim's 5-minute lease: it must take the claim over, neither skip the task nor wait.
      lambda.kill.at = { write: ({ Item }) => Item?.PK?.endsWith('#ONCE#task-answer-303-offer-103') === true && !('result' in Item), lands: true };
      await lambda.send([redAnswer()]);

      expect(lambda.kill.at).toBeUndefined();
      expect(lambda.invocations.map(({ reason }) => reason)).toEqual([`Task timed out after ${(lambdaTimeoutMs / 1000).toFixed(2)} seconds`, undefined]);
      expect(lambda.queue.dlq()).toEqual([]);
      expect(await answerEffects(repliesBefore)).toEqual(oneOfEach);
    });
  });

  describe('narrow windows: each was a bug these tests found, and each now ends as without the fault', () => {
    // Each fault is one the tests above survive, hitting a narrower window; each failed on its last
    // assertion before its fix.
    it('a short outage between an invitation and its mirrors: the retry writes the mirrors (card, report)', async () => {
      // Was: writeInvitation (lambdas/journeys/deal-events.ts) returns early when the invitation item
      // exists and only re-sets its timer, so the mirrors createInvitation writes after the item (deal,
      // contact, company, touchpoint partitions: what the card and the report read) were never retried.
      // Now the retry repairs them from the stored invitation.
      // Injected: dynalite goes down at deal 302's first mirror write, back once that invocation failed.
      // A λ killed there lost them the same way.
      lambda = await startEventsLambda();
      outageFrom((request) => request.operation === 'PutItem' && putKey(request).SK.startsWith('I#302#'));
      await lambda.send([stageChange(['302', 'offersent'])]);

      expect(lambda.invocations[0]?.failed).toHaveLength(1); // the outage hit it
      const mirrorsOf302 = (state: string[]) => state.filter((item) => item.includes('"SK":"I#302#'));
      expect(mirrorsOf302(await lambda.state())).toEqual(mirrorsOf302(reference));
    });

    it('a short outage between a follow-up promise and its deadline timer: the retry sets the timer', async () => {
      // Was: ClosedLoop.startFollowUps (lambdas/journeys/closed-loop.ts) skips a touchpoint whose
      // follow-up is already stored, timer and all; without its timer the due λ never checks the deadline,
      // so a broken promise made no task. Now a stored pending promise gets its timer on the retry.
      // Injected: dynalite goes down at the follow-up timer's write, back once that invocation failed.
      lambda = await startEventsLambda();
      outageFrom((request) => request.operation === 'PutItem' && putKey(request).PK.endsWith('#TIMER#followup-301-sales-meeting'));
      await lambda.send([stageChange(['301', 'salesmeeting'])]);

      expect(lambda.invocations[0]?.failed).toHaveLength(1);
      expect(await lambda.store.getFollowUp(portal, '301', 'sales-meeting')).toEqual(expect.objectContaining({ status: 'pending' }));
      expect((await lambda.state()).filter((item) => item.includes('"id":"followup-301-sales-meeting"'))).toHaveLength(1);
    });

    it('a store failure on a deal’s earlier event fails its later one too, so the later cannot overtake it', async () => {
      // Was: DealEventProcessor.process (lambdas/journeys/deal-events.ts) chains a deal's events with
      // previous.catch(() => undefined), so when the sales meeting fails the offer still runs, claims the
      // contact's one-survey-a-day slot, and the retried sales meeting was skipped for fatigue. Injected:
      // dynalite answers 500 to the sales meeting's slot claim on every attempt of the first invocation.
      lambda = await startEventsLambda();
      const invocations = lambda.invocations;
      let refused = 0;
      unsubscribe.push(
        dynamo.onRequest((request) => {
          const item = request.body.Item as Record<string, unknown> | undefined;
          if (request.operation !== 'PutItem' || putKey(request).SK !== 'SURVEY_SLOT' || attributeString(item?.invitationKey) !== '301/sales-meeting') return;
          if (invocations.length > 0) return;
          refused += 1;
          return { status: 500, type: 'InternalServerError', message: 'Internal server error' };
        }),
      );
      const at = Date.now();
      await lambda.send([{ ...stageChange(['301', 'salesmeeting']), occurredAt: at - 60_000 }, { ...stageChange(['301', 'offersent']), occurredAt: at }]);

      expect(refused).toBe(4);
      // The offer fails with the sales meeting it follows; retried together, they run in order.
      expect(invocations.map(({ failed }) => failed.length)).toEqual([2, 0]);
      const invitations = await lambda.store.listInvitations(portal, '301');
      // As without the fault (deal-journeys.test.ts): the sales meeting's survey, the offer's skipped.
      expect(invitations.map(({ touchpointId, status, skipReason }) => `${touchpointId} ${status} ${skipReason ?? ''}`.trim())).toEqual([
        'offer skipped fatigue',
        'sales-meeting scheduled',
      ]);
    });

    it('a deal’s stage changes delivered out of order, in separate batches, end as in order: the earlier survey asked, the later skipped', async () => {
      // HubSpot delivers the offer first, the sales meeting (a minute earlier) in a later batch.
      lambda = await startEventsLambda();
      const at = Date.now();
      await lambda.send([{ ...stageChange(['301', 'offersent']), occurredAt: at }]);
      await lambda.send([{ ...stageChange(['301', 'salesmeeting']), occurredAt: at - 60_000 }]);

      const invitations = await lambda.store.listInvitations(portal, '301');
      // As delivered in order (deal-journeys.test.ts): the sales meeting's survey, the offer's skipped.
      expect(invitations.map(({ touchpointId, status, skipReason }) => `${touchpointId} ${status} ${skipReason ?? ''}`.trim())).toEqual([
        'offer skipped fatigue',
        'sales-meeting scheduled',
      ]);
      const timers = (await lambda.state()).filter((item) => item.includes('"SK":"TIMER"') && item.includes('"kind":"survey"'));
      expect(timers.map((item) => (JSON.parse(item) as { id: string }).id)).toEqual(['survey-301-sales-meeting-101']);
    });

    it('a deal’s event the store always refuses holds its later one back only until its last receive: then only it is dead-lettered', async () => {
      // Injected: dynalite answers 500 to the sales meeting's slot claim on every attempt of every invocation.
      lambda = await startEventsLambda();
      unsubscribe.push(
        dynamo.onRequest((request) => {
          const item = request.body.Item as Record<string, unknown> | undefined;
          if (request.operation !== 'PutItem' || putKey(request).SK !== 'SURVEY_SLOT' || attributeString(item?.invitationKey) !== '301/sales-meeting') return;
          return { status: 500, type: 'InternalServerError', message: 'Internal server error' };
        }),
      );
      const at = Date.now();
      await lambda.send([{ ...stageChange(['301', 'salesmeeting']), occurredAt: at - 60_000 }, { ...stageChange(['301', 'offersent']), occurredAt: at }]);

      expect(lambda.invocations.map(({ failed }) => failed.length)).toEqual([2, 2, 1]);
      expect(lambda.queue.dlq().map(({ body }) => (JSON.parse(body) as { propertyValue: string }).propertyValue)).toEqual(['salesmeeting']);
      const invitations = await lambda.store.listInvitations(portal, '301');
      expect(invitations.map(({ touchpointId, status }) => `${touchpointId} ${status}`)).toEqual(['offer scheduled']);
    });

    it('a store failing the write that remembers the owner task: the retry finds the task in HubSpot, one of each', async () => {
      // Was: ClosedLoop.once released the claim when anything in its try failed, also rememberOnce after
      // the task was made, so the retry made a second. Now the claim stays and the retry finds the task by
      // its reference line. Injected: dynalite answers 500 to the write remembering the owner task on
      // every attempt of the first invocation (the DynamoDB client makes 4), so the λ reports the record
      // failed and SQS redelivers it. (A reply mail cut the same way has no such lookup: after the lease
      // it would go twice — the README names that window.)
      lambda = await startEventsLambda();
      const repliesBefore = await repliesToIngrid();
      const invocations = lambda.invocations;
      let refused = 0;
      unsubscribe.push(
        dynamo.onRequest((request) => {
          const item = request.body.Item as Record<string, unknown> | undefined;
          if (request.operation !== 'PutItem' || !putKey(request).PK.endsWith('#ONCE#task-answer-303-offer-103') || !item || !('result' in item)) return;
          if (invocations.length > 0) return;
          refused += 1;
          return { status: 500, type: 'InternalServerError', message: 'Internal server error' };
        }),
      );
      await lambda.send([redAnswer()]);

      expect(refused).toBe(4);
      expect(invocations.map(({ failed }) => failed.length)).toEqual([1, 0]);
      expect(lambda.queue.dlq()).toEqual([]);
      expect(await answerEffects(repliesBefore)).toEqual(oneOfEach);
    });

    it('an invocation killed after HubSpot made the owner task but before the store remembered it: the takeover finds it', async () => {
      // Was: the claim's lease tells a dead run from a live one, not whether its effect happened, and a
      // HubSpot task has no idempotency key, so the run taking the claim over made a second. Now it first
      // looks for the task by its reference line (a reply mail has no such lookup: the README names that
      // window). Injected: the invocation dies before the write remembering the task leaves the process.
      lambda = await startEventsLambda();
      const repliesBefore = await repliesToIngrid();
      lambda.kill.at = { write: ({ Item }) => Item?.PK?.endsWith('#ONCE#task-answer-303-offer-103') === true && 'result' in Item, lands: false };
      await lambda.send([redAnswer()]);

      expect(lambda.kill.at).toBeUndefined();
      expect(lambda.queue.dlq()).toEqual([]);
      expect(await answerEffects(repliesBefore)).toEqual(oneOfEach);
    });
  });

  /** dynalite goes down at the first request `from` matches and comes back once the invocation it cut has failed. */
  function outageFrom(from: (request: DynamoRequest) => boolean) {
    let cut = false;
    unsubscribe.push(
      dynamo.onRequest((request) => {
        if (cut || !from(request)) return;
        cut = true;
        void dynamo.pause();
      }),
    );
    lambda!.queue.onInvocation(() => void dynamo.resume());
  }
});
