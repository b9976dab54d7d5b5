import { GetCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { createDocumentClient, createDynamoClient } from '../lambdas/store/client.js';
import { keys } from '../lambdas/store/keys.js';
import { signSurveyToken } from '../lambdas/domain/survey-token.js';
import { clickRules } from '../lambdas/domain/survey-clicks.js';
import { demoPortalId } from '../local/demo/car-dealer.js';
import { localSurveyTokenSecret } from '../local/stack.js';
import { startTestStack } from '../test/support/local-stack.js';
import { createBenchDeals } from './bench-deals.js';
import { timeSequential, type BenchmarkRow } from './measure.js';

const durationSeconds = 10;
const connections = 10;

/** The survey λ on the local stack under autocannon: the question page, and one-click scores recorded. */
export async function surveyBenchmark(): Promise<BenchmarkRow[]> {
  const stack = await startTestStack();
  try {
    const deals = await createBenchDeals(stack.info, 200);
    for (const { dealId } of deals) stack.sandbox.moveDeal(demoPortalId, dealId, 'salesmeeting');
    await stack.settled();
    const report = (await stack.runDueAt(new Date(Date.now() + 3 * 3_600_000))) as { surveysSent: number };
    if (report.surveysSent !== deals.length) throw new Error(`expected ${deals.length} surveys sent, got ${report.surveysSent}`);

    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const paths = deals.map(({ dealId, contactId }) => `/s/${signSurveyToken({ portalId: demoPortalId, dealId, touchpointId: 'sales-meeting', contactId, language: 'da', expiresAt }, localSurveyTokenSecret)}`);

    // The raw-store baseline, before the load (the answers' closed loop would share the store): the page's three key reads without HTTP, token or HTML.
    const client = createDynamoClient({ endpoint: stack.info.dynamoEndpoint });
    const documents = createDocumentClient(client);
    const raw = await timeSequential(1000, (index) => {
      const { dealId, contactId } = deals[index % deals.length]!;
      return Promise.all(
        [keys.invitation(demoPortalId, dealId, 'sales-meeting', contactId), keys.settings(demoPortalId), keys.touchpoint(demoPortalId, 'sales-meeting')].map((Key) =>
          documents.send(new GetCommand({ TableName: stack.info.tableName, Key })),
        ),
      );
    });
    client.destroy();
    const run = (path: (index: number) => string) => {
      let index = 0;
      return autocannon({
        url: stack.info.appUrl,
        connections,
        duration: durationSeconds,
        requests: [{ setupRequest: (request) => ({ ...request, path: path(index++) }) }],
      });
    };
    const page = await run((index) => paths[index % paths.length]!);
    const scores = await run((index) => `${paths[index % paths.length]}?score=${(index % 10) + 1}`);
    const failed = (result: autocannon.Result) => result.non2xx + result.errors + result.timeouts;
    if (failed(page) || failed(scores)) throw new Error(`survey requests failed: page ${failed(page)}, scores ${failed(scores)}`);

    // The due run after the settle window: every invitation's clicks judged. autocannon sends no
    // user agent, so every click is a machine's and nothing is announced: the judging alone is timed.
    const settleStarted = performance.now();
    const settled = (await stack.runDueAt(new Date(Date.now() + clickRules.settleMs))) as { timersRead: number };
    const settleMs = performance.now() - settleStarted;
    if (settled.timersRead < deals.length) throw new Error(`expected ${deals.length} settle timers, read ${settled.timersRead}`);

    return [
      {
        benchmark: 'survey',
        measure: `question page GET /s/{token} (${connections} connections, ${durationSeconds} s)`,
        p50Ms: page.latency.p50,
        p99Ms: page.latency.p99,
        perSecond: page.requests.average,
        baseline: `raw 3 GetItem, one client: p50 ${raw.p50.toFixed(2)} ms, ${raw.perSecond.toFixed(0)}/s`,
      },
      { benchmark: 'survey', measure: 'one-click score GET /s/{token}?score=N: the click kept, the settle timer moved', p50Ms: scores.latency.p50, p99Ms: scores.latency.p99, perSecond: scores.requests.average },
      {
        benchmark: 'survey',
        measure: `due run settling ${settled.timersRead} invitations' clicks (judged, verdicts kept), per invitation`,
        perSecond: (settled.timersRead / settleMs) * 1000,
        baseline: `the one run: ${settleMs.toFixed(0)} ms`,
      },
    ];
  } finally {
    await stack.close();
  }
}
