import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalReport } from '@touchpoints/contracts';
import { createEventsHandler } from '../../lambdas/handlers/events.js';
import { defaultBackoff } from '../../lambdas/hubspot/backoff.js';
import { HubSpotClients } from '../../lambdas/hubspot/clients.js';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { periodsBetween } from '../../lambdas/domain/period-summary.js';
import type { StageHistoryRequested } from '../../lambdas/domain/webhook-event.js';
import { portalReport } from '../../lambdas/journeys/portal-report.js';
import { stageHistoryRequest } from '../../lambdas/journeys/stage-visits.js';
import { enqueueEvents } from '../../lambdas/queue/events-queue.js';
import { carSalesPipelineId, demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { seedDemoConfiguration } from '../../local/demo/seed-app.js';
import { dealsWithStageHistory, demoPortalSeed } from '../../local/demo/stage-histories.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../local/hubspot-sandbox/server.js';
import { startLocalSqs, type RunningLocalSqs } from '../../local/services/sqs-queue.js';
import { startTestTable } from '../support/dynamo.js';

// The car-dealer demo as an install finds it: its deals and their stage history in the sandbox,
// the app configured, and not a single survey answer. The backfill runs through the real events
// λ behind a local SQS, a page per message, as on AWS.
const portal = demoPortalId;
const now = new Date();
let table: Awaited<ReturnType<typeof startTestTable>>;
let sandbox: HubSpotSandbox;
let queue: RunningLocalSqs;
let sqs: SQSClient;
const requested: StageHistoryRequested[] = [];
let report: PortalReport;

/** Every stay in the store, over the months the demo's history spans. */
async function storedStays() {
  const months = periodsBetween(new Date(now.getTime() - 400 * 86_400_000), now);
  return (await Promise.all(months.map((month) => table.store.stageStaysOfPeriod(portal, month)))).flat();
}

beforeAll(async () => {
  table = await startTestTable();
  const sealer = new TokenSealer('stage-timing-test-key');
  await seedDemoConfiguration(table.store, portal, carSalesPipelineId, sealer, now);
  sandbox = await startHubSpotSandbox({ ...demoApp, portals: [demoPortalSeed] });
  const eventsHandler = createEventsHandler({
    store: table.store,
    hubspot: new HubSpotClients(table.store, { basePath: sandbox.url, app: demoApp, sealer }),
    now: () => now,
    sendMail: () => Promise.reject(new Error('no mail is expected in these tests')),
    requestStageHistory: async (request) => {
      requested.push(request);
      await enqueueEvents(sqs, queue.queueUrl, [request]);
    },
    backoff: { ...defaultBackoff, sleep: async () => undefined },
  });
  queue = await startLocalSqs({ consumer: (event: SQSEvent) => eventsHandler(event) as Promise<SQSBatchResponse>, visibilityTimeoutMs: 5, batchWindowMs: 5 });
  sqs = new SQSClient({ endpoint: queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // What the install puts on the queue.
  await enqueueEvents(sqs, queue.queueUrl, [stageHistoryRequest(portal, now)]);
  await queue.idle();
  report = await portalReport(table.store, portal, {}, now);
});
afterAll(async () => {
  sqs.destroy();
  await queue.close();
  await sandbox.close();
  await table.close();
});

describe('the car dealer’s journey from its deals’ stage history, without a single answer', () => {
  it('reads the portal’s deals 50 a page with their stage history, the next page asked for on the queue', () => {
    const pages = sandbox.requests().filter(({ method, path }) => method === 'GET' && path === '/crm/v3/objects/deals');
    // The demo's 10 deals and the 48 of the half year before: two pages.
    expect(pages.map(({ status }) => status)).toEqual([200, 200]);
    expect(requested.map(({ page }) => page)).toEqual([1]);
    expect(queue.dlq()).toEqual([]);
  });

  it('names the offer the slowest step against the 2 days promised after the sales meeting', () => {
    expect(report.touchpoints.every(({ stats }) => stats.answers === 0)).toBe(true);
    expect(report.slowestAgainstPromise).toBe('offer');
    const offer = report.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!.timing;
    expect(offer.promiseDays).toBe(2);
    expect(offer.medianDays).toBeGreaterThan(3.5);
    expect(offer.late).toBeLessThan(offer.waits);
    expect(offer.late / offer.waits).toBeGreaterThan(0.6);
  });

  it('opens the report with a sentence that says how long customers wait against the promise', () => {
    // The demo's history is the same every start (a seeded generator), so its sentence is too.
    expect(report.findings).toEqual([
      {
        touchpointId: 'offer',
        sentence:
          'The offer is the slowest step against its promise: customers wait 3.9 days against a promise of 2; 79% (33 of 42) waited longer, typically by 2.7 days. Of 50 deals at the stage before, 6 were lost there.',
      },
    ]);
  });

  it('counts the buyers lost after the sales meeting where they waited for the offer', () => {
    const lostAfterMeeting = dealsWithStageHistory().filter(({ stageHistory }) =>
      stageHistory!.some(({ stageId }, index) => stageId === 'salesmeeting' && stageHistory![index + 1]?.stageId === 'closedlost'),
    ).length;
    expect(lostAfterMeeting).toBeGreaterThan(0);
    expect(report.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!.timing.fellOut).toBe(lostAfterMeeting);
  });

  it('writes the same stays when a page is read twice', async () => {
    const before = await storedStays();
    await enqueueEvents(sqs, queue.queueUrl, [{ ...stageHistoryRequest(portal, now), eventId: 'stage-history-read-again' }]);
    await queue.idle();
    const after = await storedStays();
    expect(after.length).toBe(before.length);
    expect(after).toEqual(expect.arrayContaining(before));
  });
});
