import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../lambdas/handlers/events.js';
import { defaultBackoff } from '../../lambdas/hubspot/backoff.js';
import { HubSpotClients } from '../../lambdas/hubspot/clients.js';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { enqueueEvents } from '../../lambdas/queue/events-queue.js';
import { carDealerPortal, carSalesPipelineId, demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { seedDemoConfiguration } from '../../local/demo/seed-app.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../local/hubspot-sandbox/server.js';
import { startLocalSqs, type RunningLocalSqs } from '../../local/services/sqs-queue.js';
import { startTestTable } from '../support/dynamo.js';
import { dealStageChange } from '../support/webhook-events.js';

// The store's faults are injected in the AWS SDK's middleware (dynalite itself cannot be told to
// fail one item); HubSpot's come from the sandbox's fault queue. Everything else is real.
const portal = demoPortalId;
let table: Awaited<ReturnType<typeof startTestTable>>;
let sandbox: HubSpotSandbox;
let queue: RunningLocalSqs;
let sqs: SQSClient;
let nextEventId = 1;
const failingPutsLeft = new Map<string, number>();
const refusedStoreWrites: string[] = [];

function stageChange(dealId: string, stageId: string) {
  return dealStageChange(nextEventId++, dealId, stageId);
}

beforeAll(async () => {
  table = await startTestTable();
  // Fails every PutItem of a chosen deal's invitations as often as asked, as a throttled table would.
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      // At this step the document client's input is not yet marshalled: plain strings.
      const item = (args.input as { Item?: { PK?: string; SK?: string } }).Item;
      const key = `${item?.PK}|${item?.SK}`;
      const dealPartition = item?.PK?.match(/#DEAL#(\d+)$/)?.[1];
      const left = dealPartition ? (failingPutsLeft.get(dealPartition) ?? 0) : 0;
      if (context.commandName === 'PutItemCommand' && item?.SK?.startsWith('INV#') && left > 0) {
        failingPutsLeft.set(dealPartition!, left - 1);
        refusedStoreWrites.push(key);
        throw Object.assign(new Error('injected: the table is unavailable'), { name: 'ServiceUnavailable', $retryable: undefined });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectStoreFaults' },
  );
  const sealer = new TokenSealer('events-faults-test-key');
  await seedDemoConfiguration(table.store, portal, carSalesPipelineId, sealer, new Date());
  sandbox = await startHubSpotSandbox({ ...demoApp, portals: [carDealerPortal] });
  const eventsHandler = createEventsHandler({
    store: table.store,
    hubspot: new HubSpotClients(table.store, { basePath: sandbox.url, app: demoApp, sealer, silenceTimeoutMs: 300 }),
    now: () => new Date(),
    sendMail: () => Promise.reject(new Error('no mail is expected in these tests')),
    requestStageHistory: () => Promise.reject(new Error('no stage history is asked for in these tests')),
    backoff: { ...defaultBackoff, sleep: async () => undefined },
  });
  queue = await startLocalSqs({ consumer: (event: SQSEvent) => eventsHandler(event) as Promise<SQSBatchResponse>, visibilityTimeoutMs: 5, batchWindowMs: 5 });
  sqs = new SQSClient({ endpoint: queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  sqs.destroy();
  await queue.close();
  await sandbox.close();
  await table.close();
});
let deadLettersBefore = 0;
let deadLettersExpected = 0;
beforeEach(() => {
  deadLettersBefore = queue.dlq().length;
  deadLettersExpected = 0;
  sandbox.faults.clear();
  failingPutsLeft.clear();
  refusedStoreWrites.length = 0;
});
afterEach(() => expect(queue.dlq().length - deadLettersBefore).toBe(deadLettersExpected));

const statuses = async (dealId: string) => (await table.store.listInvitations(portal, dealId)).map(({ contactId, status }) => `${contactId}:${status}`);

describe('the events λ under faults', () => {
  it('retries the events whose store writes failed mid-batch and ends with each processed once', async () => {
    failingPutsLeft.set('304', 2);
    await enqueueEvents(sqs, queue.queueUrl, [stageChange('302', 'salesmeeting'), stageChange('304', 'contractsigned'), stageChange('310', 'contractsigned')]);
    await queue.idle();

    expect(refusedStoreWrites).toHaveLength(2);
    expect(await statuses('302')).toEqual(['102:scheduled', '104:scheduled']);
    expect(await statuses('304')).toEqual(['105:scheduled', '111:scheduled']);
    expect(await statuses('310')).toEqual(['112:scheduled']);
    expect(queue.stats().deliveries).toBeGreaterThanOrEqual(2); // the first try of 304 failed, a later one succeeded
  });

  it('moves an event the store keeps refusing to the DLQ with the reason, and processes the rest', async () => {
    failingPutsLeft.set('303', 100);
    await enqueueEvents(sqs, queue.queueUrl, [stageChange('303', 'contractsigned'), stageChange('305', 'cardelivered')]);
    await queue.idle();

    deadLettersExpected = 1;
    expect(queue.dlq().at(-1)).toEqual(expect.objectContaining({ receiveCount: 3, reason: 'reported in batchItemFailures', body: expect.stringContaining('"objectId":303') }));
    expect(await statuses('305')).toEqual(['106:scheduled']);
    expect(await statuses('303')).toEqual([]);
  });

  it('waits out HubSpot’s rate limit and its outages, then reads the deals', async () => {
    sandbox.faults.add({ pathPattern: '/crm/v3/objects/deals/batch/read', status: 429, policyName: 'SECONDLY', retryAfterSeconds: 1, times: 2 });
    sandbox.faults.add({ pathPattern: '/crm/v3/objects/contacts/batch/read', status: 503, times: 1 });
    await enqueueEvents(sqs, queue.queueUrl, [stageChange('301', 'testdrive')]);
    await queue.idle();

    expect(sandbox.faults.fired()).toBe(3);
    expect(await statuses('301')).toEqual(['101:scheduled']);
  });

  it('gives up a HubSpot call held without an answer after the silence timeout, and the retry reads the deals', async () => {
    sandbox.faults.add({ pathPattern: '/crm/v3/objects/deals/batch/read', status: 'timeout', timeoutMs: 60_000, times: 1 });
    const startedAt = Date.now();
    await enqueueEvents(sqs, queue.queueUrl, [stageChange('301', 'salesmeeting')]);
    await queue.idle();

    const dealReads = sandbox.requests().filter(({ path }) => path === '/crm/v3/objects/deals/batch/read').slice(-2);
    expect(dealReads.map(({ status }) => status)).toEqual(['timeout', 200]);
    expect(Date.now() - startedAt).toBeLessThan(10_000); // not the minute the request was held
    expect(await statuses('301')).toHaveLength(2); // the sales meeting's invitation beside the test drive's
  });

  it('reads a batch’s deals, associations and contacts in one round of batch calls, and the pipelines once (which stages close a deal, the stays’ stage facts)', async () => {
    const before = sandbox.requests().length;
    await enqueueEvents(sqs, queue.queueUrl, [stageChange('306', 'testdrive'), stageChange('307', 'offersent'), stageChange('308', 'testdrive')]);
    await queue.idle();

    const calls = sandbox.requests().slice(before).map(({ method, path }) => `${method} ${path}`).sort();
    expect(calls).toEqual([
      'GET /crm/v3/pipelines/deals',
      'POST /crm/v3/objects/contacts/batch/read',
      'POST /crm/v3/objects/deals/batch/read',
      'POST /crm/v4/associations/deals/companies/batch/read',
      'POST /crm/v4/associations/deals/contacts/batch/read',
    ]);
  });
});
