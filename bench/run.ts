/**
 * `npm run bench` runs every benchmark; `npm run bench -- store` only the named ones.
 * Prints one markdown table (also written to bench/results.md) for the README.
 */
import { writeFile } from 'node:fs/promises';
import { markdownTable, type BenchmarkRow } from './measure.js';
import { bundlesBenchmark } from './bundles.bench.js';
import { cardBenchmark } from './card.bench.js';
import { dueBenchmark } from './due.bench.js';
import { fuzzBenchmark } from './fuzz.bench.js';
import { reportBenchmark } from './report.bench.js';
import { soakBenchmark } from './soak.bench.js';
import { storeBenchmark } from './store.bench.js';
import { surveyBenchmark } from './survey.bench.js';
import { webhooksBenchmark } from './webhooks.bench.js';

const benchmarks: Record<string, () => Promise<BenchmarkRow[]>> = {
  store: storeBenchmark,
  webhooks: webhooksBenchmark,
  survey: surveyBenchmark,
  due: dueBenchmark,
  card: cardBenchmark,
  report: reportBenchmark,
  soak: soakBenchmark,
  bundles: bundlesBenchmark,
  fuzz: fuzzBenchmark,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}

const rows: BenchmarkRow[] = [];
for (const name of wanted.length ? wanted : Object.keys(benchmarks)) {
  console.error(`running ${name}…`);
  rows.push(...(await benchmarks[name]!()));
}
const table = markdownTable(rows);
console.log(table);
await writeFile(new URL('./results.md', import.meta.url), `${table}\n\nMeasured ${new Date().toISOString()} on Node ${process.version}.\n`);
