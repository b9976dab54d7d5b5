import { boundaryProperties, configSchemasExplainEveryRefusal, validSurveyToken } from '../test/fuzz/properties.js';
import { startTestStack } from '../test/support/local-stack.js';
import type { BenchmarkRow } from './measure.js';

/** Cases per boundary: 10,000 unless `FUZZ_BENCH_RUNS` says otherwise (e.g. 200 for a quick estimate). */
const runsPerBoundary = Number(process.env.FUZZ_BENCH_RUNS ?? 10_000);

async function timed(run: () => Promise<void> | void): Promise<{ seconds: number; failure?: string }> {
  const started = performance.now();
  try {
    await run();
    return { seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return { seconds: (performance.now() - started) / 1000, failure: String((error as Error).message).split('\n').slice(0, 3).join(' ').slice(0, 200) };
  }
}

function row(name: string, cases: number, { seconds, failure }: { seconds: number; failure?: string }): BenchmarkRow {
  console.error(`  ${name}: ${cases.toLocaleString('en')} cases in ${seconds.toFixed(1)} s${failure ? ` — FAILED: ${failure}` : ''}`);
  return { benchmark: 'fuzz', measure: `${name}, ${cases.toLocaleString('en')} cases`, perSecond: cases / seconds, ...(failure ? { baseline: `FAILED: ${failure}` } : {}) };
}

/**
 * The boundary properties of test/fuzz with many more cases, against one local
 * stack: how many generated requests per second each boundary refuses, and
 * whether any of them, at this count, answers a 5xx or stores something.
 */
export async function fuzzBenchmark(): Promise<BenchmarkRow[]> {
  const stack = await startTestStack();
  try {
    await validSurveyToken(stack);
    const rows: BenchmarkRow[] = [];
    for (const [name, property] of Object.entries(boundaryProperties)) {
      rows.push(row(name, runsPerBoundary, await timed(() => property(stack, runsPerBoundary))));
    }
    // Two schemas, so twice the cases.
    rows.push(row('config schemas never throw, explain every refusal', 2 * runsPerBoundary, await timed(() => configSchemasExplainEveryRefusal(runsPerBoundary))));
    return rows;
  } finally {
    await stack.close();
  }
}
