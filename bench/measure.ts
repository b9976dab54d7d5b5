/** Timing helpers for the benchmarks: latencies in ms, percentiles by rank. */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  perSecond: number;
}

export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1);
  return sortedMs[Math.max(0, rank)]!;
}

/** Runs `operation` `count` times one after another and summarises the latencies. */
export async function timeSequential(count: number, operation: (index: number) => Promise<unknown>): Promise<LatencySummary> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const before = performance.now();
    await operation(index);
    latencies.push(performance.now() - before);
  }
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { count, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), perSecond: (count / elapsedMs) * 1000 };
}

export interface BenchmarkRow {
  benchmark: string;
  measure: string;
  p50Ms?: number;
  p99Ms?: number;
  perSecond?: number;
  baseline?: string;
}

export function markdownTable(rows: readonly BenchmarkRow[]): string {
  const format = (value: number | undefined, digits: number) => (value === undefined ? '' : value.toFixed(digits));
  return [
    '| benchmark | measure | p50 ms | p99 ms | per second | beside |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.benchmark} | ${row.measure} | ${format(row.p50Ms, 2)} | ${format(row.p99Ms, 2)} | ${format(row.perSecond, 0)} | ${row.baseline ?? ''} |`,
    ),
  ].join('\n');
}
