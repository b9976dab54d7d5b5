import { describe, expect, it } from 'vitest';
import { defaultLightThresholds, minClosedDealsPerGroup, type Score } from '@touchpoints/contracts';
import { mulberry32 } from '../../../lambdas/domain/analysis.js';
import {
  addDealOutcomes,
  closedOutcomeOf,
  dealAmountOf,
  type DealOutcomeCopy,
  latestComments,
  newcombeDifference,
  scoresAtClose,
  summarizeDealOutcomes,
  touchpointOutcomes,
  wilsonInterval,
} from '../../../lambdas/domain/deal-outcomes.js';
import type { SurveyResponse } from '../../../lambdas/domain/response.js';

const closedAt = new Date('2026-10-15T10:00:00.000Z');
const copy = (dealId: string, outcome: DealOutcomeCopy['outcome'], score: number, amount?: number): DealOutcomeCopy => ({
  dealId,
  outcome,
  closedAt,
  score: score as Score,
  ...(amount === undefined ? {} : { amount }),
});
const rounded = (interval: { low: number; high: number }) => [Number(interval.low.toFixed(4)), Number(interval.high.toFixed(4))];

describe('a stage’s meaning from HubSpot’s stage metadata', () => {
  it('reads closed with probability 1.0 as won and 0.0 as lost, and anything not closed as open', () => {
    expect(closedOutcomeOf({ isClosed: 'true', probability: '1.0' })).toBe('won');
    expect(closedOutcomeOf({ isClosed: 'true', probability: '0.0' })).toBe('lost');
    expect(closedOutcomeOf({ isClosed: 'false', probability: '1.0' })).toBeUndefined();
    expect(closedOutcomeOf({ probability: '0.0' })).toBeUndefined();
    expect(closedOutcomeOf(undefined)).toBeUndefined();
  });

  it('reads a deal’s amount, and no amount from an empty or broken value', () => {
    expect([dealAmountOf('415000'), dealAmountOf('1234.5'), dealAmountOf(''), dealAmountOf(null), dealAmountOf('many')]).toEqual([415_000, 1234.5, undefined, undefined, undefined]);
  });
});

describe('the scores a closing deal carries', () => {
  const answer = (touchpointId: string, contactId: string, score: number): SurveyResponse => ({ dealId: '301', touchpointId, contactId, score: score as Score, firstAnsweredAt: closedAt, answeredAt: closedAt });

  it('keeps each counted touchpoint’s lowest score among the deal’s buyers', () => {
    const responses = [answer('offer', '101', 8), answer('offer', '102', 3), answer('test-drive', '101', 9), answer('delivery', '101', 2)];
    expect(scoresAtClose(responses, (touchpointId) => touchpointId !== 'delivery')).toEqual({ offer: 3, 'test-drive': 9 });
  });
});

describe('Wilson’s interval for a win rate', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('gives %i of %i the published interval', (won, closed, low, high) => {
    expect(rounded(wilsonInterval(won, closed))).toEqual([low, high]);
  });

  it('refuses a rate of nothing', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
  });
});

describe('Newcombe’s interval for a difference in win rates', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions", method 10.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
  ])('gives %i/%i − %i/%i the published interval', (firstWon, firstClosed, secondWon, secondClosed, low, high) => {
    expect(rounded(newcombeDifference(wilsonInterval(firstWon, firstClosed), wilsonInterval(secondWon, secondClosed)))).toEqual([low, high]);
  });
});

describe('closed deals summed by score', () => {
  const month = [copy('301', 'won', 3, 100), copy('302', 'lost', 3, 250.5), copy('303', 'lost', 9), copy('304', 'won', 9, 50)];

  it('counts won and lost and sums the amounts per score, identically in any order', () => {
    const summary = summarizeDealOutcomes(month);
    expect(summary).toEqual({ 3: { won: 1, lost: 1, withAmount: 2, amountSum: 350.5 }, 9: { won: 1, lost: 1, withAmount: 1, amountSum: 50 } });
    expect(JSON.stringify(summarizeDealOutcomes([...month].reverse()))).toBe(JSON.stringify(summary));
  });

  it('adds months up to what one summary of all their deals gives', () => {
    const other = [copy('401', 'won', 3, 10), copy('402', 'won', 6)];
    expect(addDealOutcomes(summarizeDealOutcomes(month), summarizeDealOutcomes(other))).toEqual(summarizeDealOutcomes([...month, ...other]));
  });
});

describe('a touchpoint’s win rates by light', () => {
  const deals = (count: number, outcome: DealOutcomeCopy['outcome'], score: number, prefix: string) =>
    Array.from({ length: count }, (_, index) => copy(`${prefix}${index}`, outcome, score, 1_000 * (index + 1)));

  it('says how many more closed deals each group needs while either is too small', () => {
    const outcomes = touchpointOutcomes(summarizeDealOutcomes([...deals(2, 'won', 2, 'r'), ...deals(1, 'lost', 2, 'l'), ...deals(12, 'won', 9, 'g')]), defaultLightThresholds);
    expect(outcomes.redVersusRest).toBeNull();
    expect(outcomes.needMore).toEqual({ red: minClosedDealsPerGroup - 3, rest: 0 });
    expect(outcomes.byLight.map(({ light, closedDeals, won, winRate }) => [light, closedDeals, won, winRate === null])).toEqual([
      ['red', 3, 2, true],
      ['yellow', 0, 0, true],
      ['green', 12, 12, false],
    ]);
  });

  it('gives each light’s win rate and average amount, and red against the rest once both have enough', () => {
    const outcomes = touchpointOutcomes(
      summarizeDealOutcomes([...deals(4, 'won', 3, 'rw'), ...deals(8, 'lost', 1, 'rl'), ...deals(6, 'won', 7, 'yw'), ...deals(3, 'won', 10, 'gw'), ...deals(3, 'lost', 8, 'gl')]),
      defaultLightThresholds,
    );
    const red = outcomes.byLight[0]!;
    expect([red.closedDeals, red.won, red.winRate?.rate]).toEqual([12, 4, 4 / 12]);
    expect(red.averageAmount).toBe((10_000 + 36_000) / 12);
    expect(outcomes.needMore).toBeNull();
    expect(outcomes.redVersusRest?.difference).toBeCloseTo(4 / 12 - 9 / 12, 12);
    expect(rounded(outcomes.redVersusRest!)).toEqual(rounded(newcombeDifference(wilsonInterval(4, 12), wilsonInterval(9, 12))));
  });

  it('reads the lights with the portal’s thresholds of today', () => {
    const summary = summarizeDealOutcomes(deals(10, 'won', 6, 'w'));
    expect(touchpointOutcomes(summary, { redMax: 6, yellowMax: 8 }).byLight[0]!.closedDeals).toBe(10);
    expect(touchpointOutcomes(summary, defaultLightThresholds).byLight[1]!.closedDeals).toBe(10);
  });
});

/**
 * Generated customers with a known effect: a red offer lowers the chance to win by 0.30 (from 0.60
 * to 0.30). Their deals close over three months; the summaries of the months are added up.
 */
function generatedPopulation(seed: number, deals = 300) {
  const random = mulberry32(seed);
  const months: DealOutcomeCopy[][] = [[], [], []];
  for (let deal = 0; deal < deals; deal += 1) {
    const red = random() < 0.35;
    const score = red ? 1 + Math.floor(random() * 5) : 6 + Math.floor(random() * 5);
    const won = random() < (red ? 0.3 : 0.6);
    months[deal % 3]!.push({ ...copy(`d${deal}`, won ? 'won' : 'lost', score, 200_000 + Math.round(random() * 300_000)), closedAt: new Date(Date.UTC(2026, 8 + (deal % 3), 10)) });
  }
  return touchpointOutcomes(months.map(summarizeDealOutcomes).reduce(addDealOutcomes, {}), defaultLightThresholds);
}

describe('generated customers with a red offer that lowers the win rate by 0.30', () => {
  const trueDifference = -0.3;

  it('recovers the effect within the interval', () => {
    const { redVersusRest } = generatedPopulation(2026);
    expect(redVersusRest).not.toBeNull();
    expect(redVersusRest!.low).toBeLessThan(trueDifference);
    expect(redVersusRest!.high).toBeGreaterThan(trueDifference);
    expect(redVersusRest!.high).toBeLessThan(0); // and tells it apart from no effect
  });

  it('covers the true effect about 95 % of the time over many populations', () => {
    const populations = 400;
    let covered = 0;
    for (let seed = 1; seed <= populations; seed += 1) {
      const { redVersusRest } = generatedPopulation(seed);
      if (redVersusRest && redVersusRest.low <= trueDifference && trueDifference <= redVersusRest.high) covered += 1;
    }
    expect(covered / populations).toBeGreaterThan(0.92);
    expect(covered / populations).toBeLessThan(0.985);
  });
});

describe('a lost deal’s latest comments', () => {
  it('keeps the five newest, newest first', () => {
    const comments = Array.from({ length: 8 }, (_, day) => ({ score: 3, comment: `day ${day}`, answeredAt: new Date(Date.UTC(2026, 9, day + 1)).toISOString() }));
    expect(latestComments(comments).map(({ comment }) => comment)).toEqual(['day 7', 'day 6', 'day 5', 'day 4', 'day 3']);
  });
});
