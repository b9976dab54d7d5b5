import { describe, expect, it } from 'vitest';
import { mulberry32, thinKnowledge, touchpointImpact, touchpointStats, type CustomerJourney } from '../../../lambdas/domain/analysis.js';

/**
 * A synthetic population whose truth we know: each customer's overall score
 * is a weighted sum of their touchpoint scores plus noise, and a fifth of the
 * answers are missing at random.
 */
function population(trueEffects: Record<string, number>, customers: number, seed: number): CustomerJourney[] {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: customers }, () => {
    const scores = Object.fromEntries(Object.keys(trueEffects).map((id) => [id, 1 + Math.floor(random() * 10)]));
    const overall = Object.entries(trueEffects).reduce((sum, [id, effect]) => sum + effect * scores[id]!, 0) + normal() * 0.8;
    const answered = Object.fromEntries(Object.entries(scores).filter(() => random() > 0.2));
    return { scores: answered, overall: Math.round(overall) };
  });
}

describe('touchpointImpact', () => {
  const truth = { 'test-drive': 0.1, 'sales-meeting': 0.2, offer: 0.45, contract: 0.05, delivery: 0.3 };
  const impacts = touchpointImpact(population(truth, 1500, 42), Object.keys(truth), { rounds: 300, seed: 7 });

  it('recovers the true order of the touchpoints’ effects on the overall score', () => {
    const ranked = [...impacts].sort((a, b) => b.effect - a.effect).map(({ touchpointId }) => touchpointId);
    expect(ranked).toEqual(['offer', 'delivery', 'sales-meeting', 'test-drive', 'contract']);
  });

  it('gives intervals that cover each true effect', () => {
    for (const { touchpointId, low, high } of impacts) {
      expect({ touchpointId, covered: low <= truth[touchpointId as keyof typeof truth] && truth[touchpointId as keyof typeof truth] <= high }).toEqual({ touchpointId, covered: true });
    }
  });

  it('counts the customers behind each estimate, missing answers left out pairwise', () => {
    for (const { answers } of impacts) expect(answers).toBeGreaterThan(1100);
    for (const { answers } of impacts) expect(answers).toBeLessThan(1300);
  });

  it('gives the same answer every time (seeded bootstrap)', () => {
    expect(touchpointImpact(population(truth, 300, 3), Object.keys(truth), { rounds: 50, seed: 9 })).toEqual(
      touchpointImpact(population(truth, 300, 3), Object.keys(truth), { rounds: 50, seed: 9 }),
    );
  });

  it('uses the mean of a customer’s scores as the overall score when none was asked', () => {
    const journeys = Array.from({ length: 40 }, (_, index) => ({ scores: { a: 1 + (index % 10), b: 1 + ((index * 7) % 10) } }));
    const [a, b] = touchpointImpact(journeys, ['a', 'b'], { rounds: 20 });
    expect([a!.effect, b!.effect].map((effect) => Math.round(effect * 100) / 100)).toEqual([0.5, 0.5]);
  });
});

describe('touchpointImpact with touchpoints no customer rated together', () => {
  it('still estimates each touchpoint: a pair with no shared customers says nothing about each other, rather than making every effect NaN', () => {
    // Half the customers rated a and the overall, the other half b and the overall; a drives the overall, b does not.
    const journeys = Array.from({ length: 40 }, (_, index): CustomerJourney =>
      index < 20 ? { scores: { a: 1 + (index % 10) }, overall: 1 + (index % 10) } : { scores: { b: 1 + (index % 10) }, overall: 5 + ((index * 3) % 3) },
    );
    const [a, b] = touchpointImpact(journeys, ['a', 'b'], { rounds: 20 });
    expect(Number.isFinite(a!.effect) && Number.isFinite(b!.effect)).toBe(true);
    expect(a!.effect).toBeGreaterThan(b!.effect);
  });
});

describe('touchpointStats', () => {
  const at = (month: string) => new Date(`${month}-15T10:00:00Z`);
  const answers = [
    { touchpointId: 'offer', score: 3, answeredAt: at('2026-09') },
    { touchpointId: 'offer', score: 4, answeredAt: at('2026-09') },
    { touchpointId: 'offer', score: 7, answeredAt: at('2026-10') },
    { touchpointId: 'offer', score: 9, answeredAt: at('2026-10') },
  ];

  it('gives the mean, the light of the mean and the distribution of lights', () => {
    const stats = touchpointStats('offer', answers, { passed: 10, invited: 8, followUps: 4, missedFollowUps: 3 });
    expect(stats).toMatchObject({ answers: 4, mean: 5.75, light: 'yellow', distribution: { red: 2, yellow: 1, green: 1 } });
  });

  it('gives response rate, coverage and the missed follow-up rate', () => {
    const stats = touchpointStats('offer', answers, { passed: 10, invited: 8, followUps: 4, missedFollowUps: 3 });
    expect([stats.responseRate, stats.coverage, stats.missedFollowUpRate]).toEqual([0.5, 0.4, 0.75]);
  });

  it('gives the trend by month', () => {
    expect(touchpointStats('offer', answers, { passed: 4, invited: 4, followUps: 0, missedFollowUps: 0 }).trend).toEqual([
      { month: '2026-09', mean: 3.5, answers: 2 },
      { month: '2026-10', mean: 8, answers: 2 },
    ]);
  });

  it(`calls knowledge thin under ${thinKnowledge.minAnswers} answers or ${thinKnowledge.minCoverage * 100} % coverage`, () => {
    const many = Array.from({ length: 30 }, () => answers[0]!);
    expect(touchpointStats('offer', answers, { passed: 4, invited: 4, followUps: 0, missedFollowUps: 0 }).thin).toBe(true);
    expect(touchpointStats('offer', many, { passed: 100, invited: 100, followUps: 0, missedFollowUps: 0 }).thin).toBe(false);
    expect(touchpointStats('offer', many, { passed: 151, invited: 100, followUps: 0, missedFollowUps: 0 }).thin).toBe(true);
  });

  it('says nothing rather than zero for a touchpoint nobody answered', () => {
    expect(touchpointStats('offer', [], { passed: 0, invited: 0, followUps: 0, missedFollowUps: 0 })).toMatchObject({ mean: null, light: null, responseRate: null, coverage: null });
  });
});
