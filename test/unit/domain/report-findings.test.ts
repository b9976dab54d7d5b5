import { describe, expect, it } from 'vitest';
import { daysText, defaultLightThresholds, percentagePoints, percentOf, twoDecimals, type TouchpointReport } from '@touchpoints/contracts';
import { slowOfferTiming, timingFixture } from '../../../crm-app/src/app/settings/test-utils/mocks.js';
import { touchpointOutcomes } from '../../../lambdas/domain/deal-outcomes.js';
import { customersToRank, rankWeakestFirst, reportFindings } from '../../../lambdas/domain/report-findings.js';

/** A touchpoint with `red`, `yellow` and `green` answers, its mean from them (red 3, yellow 6, green 9). */
function touchpoint(touchpointId: string, answers: { red: number; yellow?: number; green?: number }, more: Partial<TouchpointReport> & { followUps?: [number, number] } = {}): TouchpointReport {
  const { red, yellow = 0, green = 0 } = answers;
  const count = red + yellow + green;
  const { followUps: [followUps, followUpsMissed] = [0, 0], ...report } = more;
  return {
    touchpointId,
    name: touchpointId[0]!.toUpperCase() + touchpointId.slice(1),
    phase: 'purchase',
    measuresOverall: false,
    stats: {
      touchpointId,
      answers: count,
      mean: count ? (3 * red + 6 * yellow + 9 * green) / count : null,
      light: null,
      distribution: { red, yellow, green },
      responseRate: null,
      coverage: null,
      thin: false,
      missedFollowUpRate: followUps ? followUpsMissed / followUps : null,
      counts: { passed: count, invited: count, followUps, followUpsMissed },
      interviews: 0,
      trend: [],
    },
    impact: null,
    outcomes: touchpointOutcomes({}, defaultLightThresholds),
    comments: { red: 0, yellow: 0, green: 0 },
    themes: [],
    timing: timingFixture(),
    ...report,
  };
}

const impact = (touchpointId: string, effect: number, low: number, high: number) => ({ touchpointId, effect, low, high, answers: 40 });

const slowOffer = slowOfferTiming;

describe('report findings', () => {
  it('reads percentages with their counts, intervals without a negative zero, and days to one decimal', () => {
    expect(percentOf(31, 50)).toBe('62% (31 of 50)');
    expect(percentOf(0, 0)).toBe('—');
    expect(twoDecimals(-0.001)).toBe('0.00');
    expect(twoDecimals(-0.006)).toBe('-0.01');
    expect(twoDecimals(0.456)).toBe('0.46');
    expect([daysText(4.12), daysText(2), daysText(1.04), daysText(null)]).toEqual(['4.1 days', '2 days', '1 day', '—']);
  });

  it('ranks only with enough customers, and never the overall question', () => {
    const touchpoints = [
      touchpoint('meeting', { red: 2, green: 30 }, { impact: impact('meeting', 0.1, 0.02, 0.2) }),
      touchpoint('offer', { red: 20, green: 12 }, { impact: impact('offer', 0.5, 0.3, 0.7) }),
      touchpoint('recommend', { green: 32, red: 0 }, { measuresOverall: true }),
    ];
    expect(rankWeakestFirst(touchpoints, customersToRank - 1)).toEqual({ weakestFirst: [], ranking: { status: 'not_enough_answers', customers: 29, needed: 30 } });
    expect(rankWeakestFirst(touchpoints, 40)).toEqual({ weakestFirst: ['offer', 'meeting'], ranking: { status: 'ranked', customers: 40 } });
  });

  it('names the most harmful touchpoint first, then the others that cost customers, then missed promises elsewhere', () => {
    const touchpoints = [
      touchpoint('meeting', { red: 10, green: 30 }, { impact: impact('meeting', 0.2, 0.05, 0.35), followUps: [10, 6] }),
      touchpoint('offer', { red: 25, green: 15 }, { impact: impact('offer', 0.5, 0.3, 0.7) }),
      // Red often, but whether it matters is not known: its interval holds 0.
      touchpoint('contract', { red: 20, green: 20 }, { impact: impact('contract', 0.1, -0.2, 0.4) }),
      touchpoint('delivery', { red: 1, green: 39 }, { impact: impact('delivery', 0.1, 0.01, 0.2), followUps: [8, 2] }),
    ];
    const findings = reportFindings(touchpoints, rankWeakestFirst(touchpoints, 40));
    expect(findings).toEqual([
      { touchpointId: 'offer', sentence: 'Offer is where you lose customers: 63% (25 of 40) rate it red. Each point less on it takes 0.50 points off the overall score.' },
      { touchpointId: 'meeting', sentence: 'Meeting costs you too: 25% (10 of 40) rate it red and 6 of 10 follow-ups promised were missed or late.' },
      { touchpointId: 'delivery', sentence: 'Delivery: 2 of 8 follow-ups promised (25%) were missed or late.' },
    ]);
  });

  it('names the weakest touchpoint while its effect is still unclear, saying so, before one that surely costs customers', () => {
    const touchpoints = [
      touchpoint('meeting', { red: 10, green: 30 }, { impact: impact('meeting', 0.2, 0.05, 0.35) }),
      touchpoint('offer', { red: 25, green: 15 }, { impact: impact('offer', 0.4, -0.004, 0.8) }),
    ];
    expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 40))).toEqual([
      { touchpointId: 'offer', sentence: 'Offer ranks weakest: 63% (25 of 40) rate it red; how much it moves the overall score is not clear yet (0.00 to 0.80 points per point).' },
      { touchpointId: 'meeting', sentence: 'Meeting costs you too: 25% (10 of 40) rate it red.' },
    ]);
  });

  it('before the ranking, names only the reddest touchpoint so far and says what the ranking waits for', () => {
    const touchpoints = [touchpoint('meeting', { red: 1, green: 3 }), touchpoint('offer', { red: 3, green: 1 }), touchpoint('contract', { red: 0 })];
    expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 4))).toEqual([
      { touchpointId: 'offer', sentence: 'Offer has the most red answers so far: 75% (3 of 4) rate it red. Not enough answers to rank yet (4 of 30).' },
    ]);
    expect(reportFindings([touchpoint('offer', { red: 0 })], rankWeakestFirst([], 0))).toEqual([]);
  });

  describe('waiting times', () => {
    it('names the slowest step against its promise from the stage history alone, without a single answer', () => {
      const touchpoints = [
        touchpoint('meeting', { red: 0 }, { timing: { ...slowOffer, waits: 40, medianDays: 2.5, promiseDays: null, late: 0, lateShare: null, typicalLatenessDays: null } }),
        touchpoint('offer', { red: 0 }, { timing: slowOffer }),
      ];
      expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 0))).toEqual([
        {
          touchpointId: 'offer',
          sentence:
            'Offer is the slowest step against its promise: customers wait 4.1 days against a promise of 2; 80% (24 of 30) waited longer, typically by 2.2 days. Of 36 deals at the stage before, 4 were lost there and 2 have waited there over 6 days.',
        },
      ]);
    });

    it('adds the wait to the sentence of a touchpoint that is named already, and names it once', () => {
      const touchpoints = [
        touchpoint('meeting', { red: 2, green: 38 }, { impact: impact('meeting', 0.1, 0.02, 0.2) }),
        touchpoint('offer', { red: 25, green: 15 }, { impact: impact('offer', 0.5, 0.3, 0.7), timing: slowOffer }),
      ];
      expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 40))).toEqual([
        {
          touchpointId: 'offer',
          sentence:
            'Offer is where you lose customers: 63% (25 of 40) rate it red and customers wait 4.1 days against a promise of 2 (24 of 30 waited longer). Each point less on it takes 0.50 points off the overall score.',
        },
      ]);
    });

    it('names no step whose median keeps its promise, or whose waits are too few to judge', () => {
      const kept = touchpoint('offer', { red: 0 }, { timing: { ...slowOffer, medianDays: 1.8, late: 6, lateShare: 0.2 } });
      const tooFew = touchpoint('contract', { red: 0 }, { timing: { ...slowOffer, waits: 4, late: 4, lateShare: 1 } });
      expect(reportFindings([kept, tooFew], rankWeakestFirst([kept, tooFew], 0))).toEqual([]);
    });

    it('leaves out what happened at the stage before when no deal was lost or stalled there', () => {
      const offer = touchpoint('offer', { red: 0 }, { timing: { ...slowOffer, fellOut: 0, stalled: 0, typicalLatenessDays: null } });
      expect(reportFindings([offer], rankWeakestFirst([offer], 0)).map(({ sentence }) => sentence)).toEqual([
        'Offer is the slowest step against its promise: customers wait 4.1 days against a promise of 2; 80% (24 of 30) waited longer.',
      ]);
    });
  });

  describe('won deals', () => {
    // Closed deals by the score their customer gave the touchpoint: red 2, green 9.
    const outcomes = (red: [won: number, lost: number], green: [won: number, lost: number]) =>
      touchpointOutcomes({ 2: { won: red[0], lost: red[1], withAmount: 0, amountSum: 0 }, 9: { won: green[0], lost: green[1], withAmount: 0, amountSum: 0 } }, defaultLightThresholds);

    it('says how much less often deals rated red are won, with the counts, where the whole interval is below zero', () => {
      const touchpoints = [touchpoint('offer', { red: 25, green: 15 }, { impact: impact('offer', 0.5, 0.3, 0.7), timing: slowOffer, outcomes: outcomes([4, 16], [30, 20]) })];
      expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 40))).toEqual([
        {
          touchpointId: 'offer',
          sentence:
            'Offer is where you lose customers: 63% (25 of 40) rate it red, customers wait 4.1 days against a promise of 2 (24 of 30 waited longer), and deals whose customer rated it red are won 40 percentage points less often (4 of 20 won, against 30 of 50). Each point less on it takes 0.50 points off the overall score.',
        },
      ]);
    });

    it('rounds the points as the tab does: 37.5 fewer reads 37, as the tab’s -37', () => {
      // Red 10 of 20 won (0.5), the rest 35 of 40 (0.875): a difference of exactly -0.375.
      const touchpoints = [touchpoint('offer', { red: 25, green: 15 }, { impact: impact('offer', 0.5, 0.3, 0.7), outcomes: outcomes([10, 10], [35, 5]) })];
      expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 40))[0]!.sentence).toContain('are won 37 percentage points less often (10 of 20 won, against 35 of 40)');
      expect(percentagePoints(touchpoints[0]!.outcomes.redVersusRest!.difference)).toBe(-37);
    });

    it('says nothing of won deals while the interval still holds zero', () => {
      const touchpoints = [touchpoint('offer', { red: 3, green: 1 }, { outcomes: outcomes([4, 6], [6, 4]) })];
      expect(touchpoints[0]!.outcomes.redVersusRest).not.toBeNull();
      expect(reportFindings(touchpoints, rankWeakestFirst(touchpoints, 4))).toEqual([
        { touchpointId: 'offer', sentence: 'Offer has the most red answers so far: 75% (3 of 4) rate it red. Not enough answers to rank yet (4 of 30).' },
      ]);
    });
  });
});
