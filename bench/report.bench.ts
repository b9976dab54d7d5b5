import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { portalReport } from '../lambdas/journeys/portal-report.js';
import { TokenSealer } from '../lambdas/hubspot/token-sealer.js';
import { keys } from '../lambdas/store/keys.js';
import { carSalesPipelineId, demoPortalId } from '../local/demo/car-dealer.js';
import { seedDemoConfiguration } from '../local/demo/seed-app.js';
import { startTestTable } from '../test/support/dynamo.js';
import { mulberry32 } from '../lambdas/domain/analysis.js';
import type { BenchmarkRow } from './measure.js';

const touchpointIds = ['test-drive', 'sales-meeting', 'offer', 'contract', 'delivery'];
const responses = 100_000;

/** The portal report over 100,000 answers: its time and how many Query calls (pages) it makes. */
export async function reportBenchmark(): Promise<BenchmarkRow[]> {
  const table = await startTestTable();
  let queries = 0;
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
  try {
    await seedDemoConfiguration(table.store, demoPortalId, carSalesPipelineId, new TokenSealer('bench'), new Date());
    const random = mulberry32(11);
    const started = performance.now();
    const pending: Promise<unknown>[] = [];
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      pending.push(table.documents.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) } })));
      batch = [];
      if (pending.length >= 8) await Promise.all(pending.splice(0));
    };
    for (let index = 0; index < responses; index += 1) {
      const touchpointId = touchpointIds[index % touchpointIds.length]!;
      const customer = Math.floor(index / touchpointIds.length);
      const dealId = String(100_000 + customer);
      const contactId = String(500_000 + customer);
      const answeredAt = new Date(Date.UTC(2026, 5 + (customer % 6), 1 + (customer % 27))).toISOString();
      const score = Math.max(1, Math.min(10, Math.round((touchpointId === 'offer' ? 4 : 8) + (random() - 0.5) * 6)));
      const partition = { objectType: 'touchpoint' as const, objectId: touchpointId };
      batch.push({ ...keys.response(demoPortalId, partition, dealId, touchpointId, contactId), dealId, touchpointId, contactId, score, firstAnsweredAt: answeredAt, answeredAt });
      batch.push({ ...keys.invitationMirror(demoPortalId, partition, dealId, touchpointId, contactId), dealId, touchpointId, contactId, status: 'answered', language: 'da', createdAt: answeredAt, revision: 2 });
      if (batch.length >= 24) await flush();
    }
    if (batch.length) await flush();
    await Promise.all(pending);
    console.error(`  wrote ${responses.toLocaleString('en')} answers (and their invitations) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const timings: number[] = [];
    let touchpointsInReport = 0;
    for (let run = 0; run < 3; run += 1) {
      queries = 0;
      const before = performance.now();
      const report = await portalReport(table.store, demoPortalId, {}, new Date());
      timings.push(performance.now() - before);
      touchpointsInReport = report.touchpoints.length;
      if (run === 0) console.error(`  weakest first: ${report.weakestFirst.join(', ')}; ${queries} Query pages for ${touchpointsInReport} touchpoints`);
    }
    timings.sort((a, b) => a - b);
    const reportQueries = queries;
    // The raw-store baseline: the same partitions read, without analysis.
    const rawStarted = performance.now();
    await Promise.all(touchpointIds.map((objectId) => table.store.recordActivity(demoPortalId, { objectType: 'touchpoint', objectId })));
    const rawMs = performance.now() - rawStarted;
    return [
      {
        benchmark: 'report',
        measure: `portal report over ${responses.toLocaleString('en')} answers (median of 3)`,
        p50Ms: timings[1]!,
        baseline: `raw read of the same partitions ${rawMs.toFixed(0)} ms; ${reportQueries} Query pages (1 MB each) for ${touchpointsInReport} touchpoints: one paginated Query per touchpoint, plus the touchpoint list`,
      },
    ];
  } finally {
    await table.close();
  }
}
