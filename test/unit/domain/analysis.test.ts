import { describe, expect, it } from 'vitest';
import { addJourneyBlocks, journeyBlocks, mulberry32, noJourneys, thinKnowledge, touchpointImpact, touchpointStats, type CustomerJourney, type JourneyBlocks } from '../../../lambdas/domain/analysis.js';
import type { TouchpointSummary } from '../../../lambdas/domain/period-summary.js';

/**
 * A synthetic population whose truth we know: each customer's overall score
 * is a weighted sum of their touchpoint scores plus noise, and a fifth of the
 * answers are missing at random.
 */
function population(trueEffects: Record<string, number>, customers: number, seed: number): CustomerJourney[] {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: customers }, (_, index) => {
    const scores = Object.fromEntries(Object.keys(trueEffects).map((id) => [id, 1 + Math.floor(random() * 10)]));
    const overall = Object.entries(trueEffects).reduce((sum, [id, effect]) => sum + effect * scores[id]!, 0) + normal() * 0.8;
    const answered = Object.fromEntries(Object.entries(scores).filter(() => random() > 0.2));
    return { customer: `${seed}/${index}`, scores: answered, overall: Math.round(overall) };
  });
}

/** The population's statistics as the report gets them: one summary per period (a sixth of the customers each), added up. */
function summedOverPeriods(journeys: readonly CustomerJourney[], periods = 6): JourneyBlocks {
  const summaries = Array.from({ length: periods }, (_, period) => journeyBlocks(journeys.filter((_, index) => index % periods === period)));
  return summaries.reduce(addJourneyBlocks, noJourneys());
}

describe('touchpointImpact', () => {
  const truth = { 'test-drive': 0.1, 'sales-meeting': 0.2, offer: 0.45, contract: 0.05, delivery: 0.3 };
  const impacts = touchpointImpact(summedOverPeriods(population(truth, 1500, 42)), Object.keys(truth));

  it('recovers the true order of the touchpoints’ effects on the overall score from period summaries', () => {
    const ranked = [...impacts].sort((a, b) => b.effect - a.effect).map(({ touchpointId }) => touchpointId);
    expect(ranked).toEqual(['offer', 'delivery', 'sales-meeting', 'test-drive', 'contract']);
  });

  it('gives the same estimates and intervals from summed period statistics as from all customers at once', () => {
    const journeys = population(truth, 600, 5);
    const fromPeriods = touchpointImpact(summedOverPeriods(journeys), Object.keys(truth));
    const atOnce = touchpointImpact(journeyBlocks(journeys), Object.keys(truth));
    expect(fromPeriods.map(({ effect, low }) => [effect, low].map((value) => value.toFixed(9)))).toEqual(atOnce.map(({ effect, low }) => [effect, low].map((value) => value.toFixed(9))));
  });

  it('gives 95 % intervals that cover the true effects about 95 % of the time (200 populations)', () => {
    let intervals = 0;
    let covered = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      for (const { touchpointId, low, high } of touchpointImpact(summedOverPeriods(population(truth, 400, 1000 + seed)), Object.keys(truth))) {
        intervals += 1;
        const effect = truth[touchpointId as keyof typeof truth];
        if (low <= effect && effect <= high) covered += 1;
      }
    }
    expect(intervals).toBe(1000);
    expect(covered / intervals).toBeGreaterThan(0.93);
    expect(covered / intervals).toBeLessThan(0.97);
  });

  it('counts the customers behind each estimate, missing answers left out pairwise', () => {
    expect(impacts).toHaveLength(5);
    for (const { answers } of impacts) expect(answers).toBeGreaterThan(1100);
    for (const { answers } of impacts) expect(answers).toBeLessThan(1300);
  });

  it('uses the mean of a customer’s scores as the overall score when none was asked', () => {
    const journeys = Array.from({ length: 40 }, (_, index) => ({ customer: String(index), scores: { a: 1 + (index % 10), b: 1 + ((index * 7) % 10) } }));
    const [a, b] = touchpointImpact(journeyBlocks(journeys), ['a', 'b']);
    expect([a!.effect, b!.effect].map((effect) => Math.round(effect * 100) / 100)).toEqual([0.5, 0.5]);
  });
});

describe('touchpointImpact with touchpoints no customer rated together', () => {
  it('still estimates each touchpoint: a pair with no shared customers says nothing about each other, rather than making every effect NaN', () => {
    // Half the customers rated a and the overall, the other half b and the overall; a drives the overall, b does not.
    const journeys = Array.from({ length: 40 }, (_, index): CustomerJourney =>
      index < 20 ? { customer: String(index), scores: { a: 1 + (index % 10) }, overall: 1 + (index % 10) } : { customer: String(index), scores: { b: 1 + (index % 10) }, overall: 5 + ((index * 3) % 3) },
    );
    const [a, b] = touchpointImpact(journeyBlocks(journeys), ['a', 'b']);
    expect(Number.isFinite(a!.effect) && Number.isFinite(b!.effect)).toBe(true);
    expect(a!.effect).toBeGreaterThan(b!.effect);
  });
});

describe('touchpointStats', () => {
  // Four answers: 3 and 4 given in September, 7 and 9 in October.
  const summary = (counts: { passed: number; invited: number; started: number; missed: number; keptLate: number }): TouchpointSummary => ({
    touchpointId: 'offer',
    scoreCounts: { 3: 1, 4: 1, 7: 1, 9: 1 },
    scoreSum: 23,
    answersByMonth: { '2026-10': { answers: 2, scoreSum: 16 }, '2026-09': { answers: 2, scoreSum: 7 } },
    invitations: { passed: counts.passed, invited: counts.invited, answered: 4 },
    followUps: { started: counts.started, missed: counts.missed, kept: counts.started - counts.missed - counts.keptLate, keptLate: counts.keptLate },
    dealOutcomes: {},
    latestComments: [],
    commentTerms: {},
  });

  it('gives the mean, the light of the mean and the distribution of lights', () => {
    const stats = touchpointStats('offer', summary({ passed: 10, invited: 8, started: 4, missed: 2, keptLate: 1 }));
    expect(stats).toMatchObject({ answers: 4, mean: 5.75, light: 'yellow', distribution: { red: 2, yellow: 1, green: 1 } });
  });

  it('gives response rate, coverage and the missed follow-up rate (kept late counts as missed)', () => {
    const stats = touchpointStats('offer', summary({ passed: 10, invited: 8, started: 4, missed: 2, keptLate: 1 }));
    expect([stats.responseRate, stats.coverage, stats.missedFollowUpRate]).toEqual([0.5, 0.4, 0.75]);
  });

  it('gives the trend by month, oldest first', () => {
    expect(touchpointStats('offer', summary({ passed: 4, invited: 4, started: 0, missed: 0, keptLate: 0 })).trend).toEqual([
      { month: '2026-09', mean: 3.5, answers: 2 },
      { month: '2026-10', mean: 8, answers: 2 },
    ]);
  });

  it(`calls knowledge thin under ${thinKnowledge.minAnswers} answers or ${thinKnowledge.minCoverage * 100} % coverage`, () => {
    const many = (passed: number): TouchpointSummary => ({ ...summary({ passed, invited: 100, started: 0, missed: 0, keptLate: 0 }), scoreCounts: { 3: 30 }, scoreSum: 90 });
    expect(touchpointStats('offer', summary({ passed: 4, invited: 4, started: 0, missed: 0, keptLate: 0 })).thin).toBe(true);
    expect(touchpointStats('offer', many(100)).thin).toBe(false);
    expect(touchpointStats('offer', many(151)).thin).toBe(true);
  });

  it('says nothing rather than zero for a touchpoint nobody answered', () => {
    const nobody: TouchpointSummary = { ...summary({ passed: 0, invited: 0, started: 0, missed: 0, keptLate: 0 }), scoreCounts: {}, scoreSum: 0, answersByMonth: {} };
    expect(touchpointStats('offer', nobody)).toMatchObject({ mean: null, light: null, responseRate: null, coverage: null });
  });
});
