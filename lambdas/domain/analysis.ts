import { defaultLightThresholds, type ImpactEstimate, type LightThresholds, trafficLight, type TouchpointStats, type TrafficLight } from '@touchpoints/contracts';

/**
 * Touchpoint analysis for a whole portal: per touchpoint how customers rate
 * it, how well we know it, and how much it moves the overall experience.
 * Pure: the data is handed in, nothing is read here.
 */

/** Too few answers, or too few of the customers who passed a touchpoint answered: the numbers are not to be trusted yet. */
export const thinKnowledge = { minAnswers: 30, minCoverage: 0.2 } as const;

export interface TouchpointAnswer {
  touchpointId: string;
  score: number;
  answeredAt: Date;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function touchpointStats(
  touchpointId: string,
  answers: readonly TouchpointAnswer[],
  counts: { passed: number; invited: number; followUps: number; missedFollowUps: number },
  thresholds: LightThresholds = defaultLightThresholds,
): TouchpointStats {
  const distribution: Record<TrafficLight, number> = { red: 0, yellow: 0, green: 0 };
  for (const { score } of answers) distribution[trafficLight(score, thresholds)] += 1;
  const mean = answers.length ? answers.reduce((sum, { score }) => sum + score, 0) / answers.length : null;
  const byMonth = Map.groupBy(answers, ({ answeredAt }) => answeredAt.toISOString().slice(0, 7));
  const coverage = ratio(answers.length, counts.passed);
  return {
    touchpointId,
    answers: answers.length,
    mean,
    light: mean === null ? null : trafficLight(Math.round(mean), thresholds),
    distribution,
    responseRate: ratio(answers.length, counts.invited),
    coverage,
    thin: answers.length < thinKnowledge.minAnswers || (coverage ?? 0) < thinKnowledge.minCoverage,
    missedFollowUpRate: ratio(counts.missedFollowUps, counts.followUps),
    trend: [...byMonth]
      .map(([month, ofMonth]) => ({ month, mean: ofMonth.reduce((sum, { score }) => sum + score, 0) / ofMonth.length, answers: ofMonth.length }))
      .sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** One customer's journey: the touchpoints they rated, and their overall score if they were asked for one. */
export interface CustomerJourney {
  scores: Readonly<Record<string, number>>;
  overall?: number;
}

/**
 * Impact: a linear regression of the overall score on the touchpoint scores.
 * Customers rarely rate every touchpoint, so the covariances are computed
 * pairwise (each from the customers who answered both), which uses every
 * answer instead of only complete journeys. The intervals come from a
 * bootstrap over customers, which needs no assumption about the shape of the
 * errors. Without an overall question, the overall score is the customer's
 * mean over the touchpoints they rated.
 */
export function touchpointImpact(
  journeys: readonly CustomerJourney[],
  touchpointIds: readonly string[],
  { rounds = 300, seed = 1 }: { rounds?: number; seed?: number } = {},
): ImpactEstimate[] {
  // One row per customer: the touchpoint scores, then the overall score; NaN where there is no answer.
  const columns = touchpointIds.length + 1;
  const table = new Float64Array(journeys.length * columns).fill(Number.NaN);
  journeys.forEach((journey, row) => {
    touchpointIds.forEach((id, column) => {
      const score = journey.scores[id];
      if (score !== undefined) table[row * columns + column] = score;
    });
    const overall = journey.overall ?? meanOf(Object.values(journey.scores));
    if (overall !== undefined) table[row * columns + touchpointIds.length] = overall;
  });
  const everyone = Uint32Array.from(journeys.keys());
  const point = regressionWeights(table, columns, everyone);
  const random = mulberry32(seed);
  const samples: number[][] = touchpointIds.map(() => []);
  const resample = new Uint32Array(journeys.length);
  for (let round = 0; round < rounds; round += 1) {
    for (let index = 0; index < resample.length; index += 1) resample[index] = Math.floor(random() * journeys.length);
    regressionWeights(table, columns, resample).forEach((weight, index) => Number.isFinite(weight) && samples[index]!.push(weight));
  }
  return touchpointIds.map((touchpointId, index) => {
    const sorted = samples[index]!.sort((a, b) => a - b);
    let answers = 0;
    for (let row = 0; row < journeys.length; row += 1) {
      if (!Number.isNaN(table[row * columns + index]!) && !Number.isNaN(table[row * columns + touchpointIds.length]!)) answers += 1;
    }
    return { touchpointId, effect: point[index]!, low: quantile(sorted, 0.025), high: quantile(sorted, 0.975), answers };
  });
}

/** The regression's weights from pairwise-complete covariances of the chosen rows (a row may be chosen twice). */
function regressionWeights(table: Float64Array, columns: number, rows: Uint32Array): number[] {
  const covariance = (a: number, b: number) => {
    let count = 0;
    let sumX = 0;
    let sumY = 0;
    let sumXY = 0;
    for (const row of rows) {
      const x = table[row * columns + a]!;
      const y = table[row * columns + b]!;
      if (Number.isNaN(x) || Number.isNaN(y)) continue;
      count += 1;
      sumX += x;
      sumY += y;
      sumXY += x * y;
    }
    return count < 2 ? Number.NaN : (sumXY - (sumX * sumY) / count) / (count - 1);
  };
  const predictors = columns - 1;
  const matrix = Array.from({ length: predictors }, () => new Array<number>(predictors).fill(0));
  // Two touchpoints fewer than two customers rated together say nothing about each other: their
  // covariance counts as none, instead of making every weight NaN. (A touchpoint's own variance
  // stays as it is: without it the touchpoint has no weight to give.)
  const known = (value: number) => (Number.isNaN(value) ? 0 : value);
  for (let row = 0; row < predictors; row += 1) {
    for (let column = row; column < predictors; column += 1) matrix[row]![column] = matrix[column]![row] = row === column ? covariance(row, column) : known(covariance(row, column));
  }
  const target = Array.from({ length: predictors }, (_, row) => known(covariance(row, predictors)));
  return solve(matrix, target);
}

/** Gaussian elimination with partial pivoting; NaN weights when the system is singular. */
function solve(matrix: number[][], target: number[]): number[] {
  const size = target.length;
  const rows = matrix.map((row, index) => [...row, target[index]!]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    if (!(Math.abs(rows[pivot]![column]!) > 1e-12)) return target.map(() => Number.NaN);
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    for (let row = 0; row < size; row += 1) {
      if (row === column) continue;
      const factor = rows[row]![column]! / rows[column]![column]!;
      for (let cell = column; cell <= size; cell += 1) rows[row]![cell]! -= factor * rows[column]![cell]!;
    }
  }
  return rows.map((row, index) => row[size]! / row[index]!);
}

function meanOf(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
}

function quantile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** A small seeded PRNG, so the bootstrap (and the tests) give the same answer every time. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
