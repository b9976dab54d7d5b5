import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dayMs } from '@touchpoints/contracts';
import { mulberry32 } from '../lambdas/domain/analysis.js';
import type { Invitation } from '../lambdas/domain/journey.js';
import { periodOf, periodsBetween, summarizePeriod, type Period, type TouchpointPeriodActivity } from '../lambdas/domain/period-summary.js';
import type { SurveyResponse } from '../lambdas/domain/response.js';
import type { StageStay } from '../lambdas/domain/stage-stays.js';
import { summarizeStageTiming, timingTargets, withStageTiming } from '../lambdas/domain/stage-timing.js';
import { TokenSealer } from '../lambdas/hubspot/token-sealer.js';
import { portalReport } from '../lambdas/journeys/portal-report.js';
import { keys } from '../lambdas/store/keys.js';
import { carSalesPipelineId, carSalesStages } from '../local/demo/car-dealer.js';
import { demoComment } from '../local/demo/customer-comments.js';
import { seedDemoConfiguration } from '../local/demo/seed-app.js';
import { startTestTable } from '../test/support/dynamo.js';
import { percentile, type BenchmarkRow } from './measure.js';

/**
 * The portal report at 10k, 100k and 1M answers. The demo portal was installed a year before
 * `benchNow`: twelve closed months and the open one. The closed months hold all but the open
 * month's answers, stored as the monthly summaries `summarizePeriod` makes of answers generated
 * in memory (what the report saves once per month); the open month holds the same
 * `openMonthAnswers` raw answers at every size, since its volume follows the portal's monthly
 * rate, not its history. The report reads the open month's raw items on every request. The
 * answers carry the demo customers' comments (the summaries' comment terms) and every customer's
 * deal waits 3 to 5 days from the sales meeting for the offer (the summaries' stage timing; the
 * open month's stays raw), so the bench reads what the report's analyses need.
 */
const sizes = [10_000, 100_000, 1_000_000];
const openMonthAnswers = 2_000;
const requests = 7;
const benchNow = new Date('2026-06-20T12:00:00.000Z');
const touchpointIds = ['test-drive', 'sales-meeting', 'offer', 'contract', 'delivery'];

export async function reportBenchmark(): Promise<BenchmarkRow[]> {
  const results: { answers: number; p50Ms: number; itemsRead: number }[] = [];
  for (const [index, answers] of sizes.entries()) results.push(await measureReport(80_000 + index, answers));
  const smallest = results[0]!;
  return results.map(({ answers, p50Ms, itemsRead }) => ({
    benchmark: 'report',
    measure: `portal report over ${answers.toLocaleString('en')} answers (12 closed months as summaries, open month ${openMonthAnswers.toLocaleString('en')} raw answers; p50 of ${requests}; the answers carry comments, the deals wait for the offer)`,
    p50Ms,
    baseline: `${itemsRead} items read per request; p50 ${(p50Ms / smallest.p50Ms).toFixed(2)}× the ${smallest.answers.toLocaleString('en')}-answer report`,
  }));
}

async function measureReport(portalId: number, answers: number): Promise<{ answers: number; p50Ms: number; itemsRead: number }> {
  const table = await startTestTable(() => benchNow);
  let itemsRead = 0;
  table.client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Item?: unknown };
      itemsRead += output.ScannedCount ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  try {
    await seedDemoConfiguration(table.store, portalId, carSalesPipelineId, new TokenSealer('bench'), benchNow);
    const install = await table.store.getInstall(portalId);
    const periods = periodsBetween(install!.installedAt!, benchNow);
    const openPeriod = periods.at(-1)!;
    const closedPeriods = periods.slice(0, -1);
    const touchpoints = (await table.store.listTouchpoints(portalId)).map(({ value }) => value);
    const overallIds = touchpoints.filter(({ measuresOverall }) => measuresOverall).map(({ id }) => id);
    const lostDealIds = touchpoints.filter(({ afterLostDeal }) => afterLostDeal).map(({ id }) => id).sort();
    const targets = timingTargets(touchpoints);
    const random = mulberry32(answers);
    const started = performance.now();
    // Every touchpoint of the portal has its place in a month's summary, as the report computes it; the overall and lost-deal ones unanswered here.
    const unanswered = touchpoints.filter(({ id }) => !touchpointIds.includes(id)).map(({ id }) => ({ touchpointId: id, invitations: [], responses: [], followUps: [] }));
    const perClosedMonth = Math.floor((answers - openMonthAnswers) / closedPeriods.length);
    for (const [month, period] of closedPeriods.entries()) {
      const activities = [...generateMonth(period, perClosedMonth, `${month}`, random), ...unanswered];
      const timing = summarizeStageTiming(stageStays(activities), targets, benchNow);
      await table.store.savePeriodSummary(portalId, withStageTiming(summarizePeriod(period, activities, overallIds, benchNow, undefined, lostDealIds), timing));
    }
    const openMonth = generateMonth(openPeriod, openMonthAnswers, 'open', random);
    await writeRawMonth(table, portalId, openPeriod, openMonth);
    await table.store.saveStageStays(portalId, stageStays(openMonth));
    console.error(`  ${answers.toLocaleString('en')} answers: summaries of ${closedPeriods.length} months and ${openMonthAnswers} raw answers written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // The first request computes and saves the months before the install (they hold the stage history's waits, no answers), as on a portal's first report.
    await portalReport(table.store, portalId, {}, benchNow);
    const timings: number[] = [];
    const readCounts = new Set<number>();
    for (let request = 0; request < requests; request += 1) {
      itemsRead = 0;
      const before = performance.now();
      const report = await portalReport(table.store, portalId, {}, benchNow);
      timings.push(performance.now() - before);
      readCounts.add(itemsRead);
      const counted = report.touchpoints.reduce((sum, { stats }) => sum + stats.answers, 0);
      if (counted !== perClosedMonth * closedPeriods.length + openMonthAnswers) throw new Error(`the report counted ${counted} answers, expected ${perClosedMonth * closedPeriods.length + openMonthAnswers}`);
      if (report.readFromAnswers.join() !== openPeriod) throw new Error(`the report read raw answers of ${report.readFromAnswers.join()}, expected only ${openPeriod}`);
    }
    if (readCounts.size !== 1) throw new Error(`items read varied between requests: ${[...readCounts].join(', ')}`);
    timings.sort((a, b) => a - b);
    return { answers, p50Ms: percentile(timings, 0.5), itemsRead: [...readCounts][0]! };
  } finally {
    await table.close();
  }
}

/** A month's answers: each customer (a contact on a deal) answers every touchpoint, the offer rated lowest. */
function generateMonth(period: Period, answers: number, customerPrefix: string, random: () => number): TouchpointPeriodActivity[] {
  const activities = touchpointIds.map((touchpointId) => ({ touchpointId, invitations: [] as Invitation[], responses: [] as SurveyResponse[], followUps: [] }));
  const monthStart = new Date(`${period}-01T00:00:00.000Z`).getTime();
  for (let index = 0; index < answers; index += 1) {
    const activity = activities[index % touchpointIds.length]!;
    const customer = Math.floor(index / touchpointIds.length);
    const dealId = `${customerPrefix}-${customer}`;
    const contactId = `${customerPrefix}-c${customer}`;
    const createdAt = new Date(monthStart + (customer % 19) * dayMs);
    if (periodOf(createdAt) !== period) throw new RangeError(`${createdAt.toISOString()} is not in ${period}`);
    const score = Math.max(1, Math.min(10, Math.round((activity.touchpointId === 'offer' ? 4 : 8) + (random() - 0.5) * 6)));
    activity.invitations.push({ dealId, touchpointId: activity.touchpointId, contactId, status: 'answered', language: 'da', createdAt, score, answeredAt: createdAt, firstAnsweredAt: createdAt });
    activity.responses.push({ dealId, touchpointId: activity.touchpointId, contactId, score, firstAnsweredAt: createdAt, answeredAt: createdAt, ...demoComment(activity.touchpointId, score, random) });
  }
  return activities;
}

/** Each customer's deal: in the sales meeting when invited, the offer 3 to 5 days later (the demo promises 2). */
function stageStays(activities: readonly TouchpointPeriodActivity[]): StageStay[] {
  return activities[0]!.invitations.map(({ dealId, createdAt }, index) => ({
    dealId,
    pipelineId: carSalesPipelineId,
    stageId: carSalesStages.salesMeeting,
    enteredAt: createdAt,
    eventId: `bench-${dealId}`,
    leadsTo: carSalesStages.offerSent,
    closed: false,
    repeat: false,
    next: { stageId: carSalesStages.offerSent, enteredAt: new Date(createdAt.getTime() + (3 + (index % 3)) * dayMs), lost: false },
  }));
}

/** The open month's raw answers and invitation copies in the touchpoints' partitions, as the store keeps them. */
async function writeRawMonth(table: Awaited<ReturnType<typeof startTestTable>>, portalId: number, period: Period, activities: readonly TouchpointPeriodActivity[]) {
  const items = activities.flatMap(({ touchpointId, invitations, responses }) => {
    const partition = { objectType: 'touchpoint' as const, objectId: touchpointId, period };
    return [
      ...responses.map(({ dealId, contactId, score, comment, answeredAt }) => ({
        ...keys.response(portalId, partition, dealId, touchpointId, contactId),
        ...{ dealId, touchpointId, contactId, score, firstAnsweredAt: answeredAt.toISOString(), answeredAt: answeredAt.toISOString() },
        ...(comment ? { comment } : {}),
      })),
      ...invitations.map(({ dealId, contactId, createdAt }) => ({ ...keys.invitationMirror(portalId, partition, dealId, touchpointId, contactId), dealId, touchpointId, contactId, status: 'answered', language: 'da', createdAt: createdAt.toISOString(), revision: 2 })),
    ];
  });
  for (let start = 0; start < items.length; start += 25 * 8) {
    const batches = Array.from({ length: 8 }, (_, batch) => items.slice(start + batch * 25, start + (batch + 1) * 25)).filter((batch) => batch.length);
    await Promise.all(batches.map((batch) => table.documents.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
}
