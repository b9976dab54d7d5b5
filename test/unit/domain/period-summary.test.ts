import { describe, expect, it } from 'vitest';
import { addPeriods, summarizePeriod, type TouchpointPeriodActivity } from '../../../lambdas/domain/period-summary.js';

const at = (day: string) => new Date(`2026-11-${day}T10:00:00.000Z`);
const comments = ['Tilbuddet kom for sent', 'Fin prøvetur', '', 'Ingen ringede, for sent', 'God service'];
const activity = (touchpointId: string, scores: readonly number[]): TouchpointPeriodActivity => ({
  touchpointId,
  invitations: scores.map((_, index) => ({ dealId: String(300 + index), touchpointId, contactId: '101', status: 'answered', language: index === 1 ? 'nb' : 'da', createdAt: at('02') })),
  responses: scores.map((score, index) => ({ dealId: String(300 + index), touchpointId, contactId: '101', score: score as 1, ...(comments[index] ? { comment: comments[index] } : {}), firstAnsweredAt: at('03'), answeredAt: at('03') })),
  followUps: [],
});

describe('summarizePeriod', () => {
  const month = [activity('offer', [3, 7, 9, 4, 6]), activity('delivery', [8, 2, 5, 9, 10])];

  it('gives an identical summary when a period is recomputed from the same raw items, in any order', () => {
    const first = summarizePeriod('2026-11', month, [], at('30'));
    const again = summarizePeriod('2026-11', [...month].reverse().map((touchpoint) => ({ ...touchpoint, responses: [...touchpoint.responses].reverse() })), [], at('30'));
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });

  it('counts answers by score, sums them, and counts the customers', () => {
    const summary = summarizePeriod('2026-11', month, [], at('30'));
    expect(summary.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')).toMatchObject({ scoreCounts: { 3: 1, 4: 1, 6: 1, 7: 1, 9: 1 }, scoreSum: 29, invitations: { passed: 5, invited: 5, answered: 5 } });
    expect(summary.customers).toBe(5);
  });

  it('counts the comments’ terms by the invitation’s language and the answer’s score', () => {
    const offer = summarizePeriod('2026-11', month, [], at('30')).touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!;
    expect(Object.keys(offer.commentTerms)).toEqual(['da', 'nb']);
    expect(offer.commentTerms.nb?.['7']).toMatchObject({ comments: 1, quotes: ['Fin prøvetur'] });
    expect(offer.commentTerms.da?.['3']?.terms['for sent']).toEqual([1, 'for sent', 1]);
    expect(offer.commentTerms.da?.['4']?.terms['for sent']).toEqual([1, 'for sent', 1]);
  });

  it('adds the comments’ terms of the months up', () => {
    const november = summarizePeriod('2026-11', month, [], at('30'));
    const december = summarizePeriod('2026-12', month, [], new Date('2026-12-31T10:00:00.000Z'));
    const offer = addPeriods([november, december], ['offer']).touchpoints.get('offer')!;
    expect(offer.commentTerms.da?.['3']?.terms['for sent']).toEqual([2, 'for sent', 2]);
    expect(offer.commentTerms.da?.['3']?.comments).toBe(2);
  });
});

describe('summarizePeriod with closed deals and lost deals', () => {
  const month = [activity('offer', [3, 7, 9, 4, 6]), activity('delivery', [8, 2, 5, 9, 10])];
  const lostDeal: TouchpointPeriodActivity = {
    touchpointId: 'lost-deal',
    invitations: ['401', '402'].map((dealId) => ({ dealId, touchpointId: 'lost-deal', contactId: '201', status: 'answered', language: 'da', createdAt: at('04') })),
    responses: [
      { dealId: '401', touchpointId: 'lost-deal', contactId: '201', score: 2, comment: 'Tilbuddet kom for sent', firstAnsweredAt: at('05'), answeredAt: at('05') },
      { dealId: '402', touchpointId: 'lost-deal', contactId: '201', score: 4, firstAnsweredAt: at('06'), answeredAt: at('06') },
    ],
    followUps: [],
  };

  it('counts a lost-deal touchpoint’s answers on their own, never among the customers or their journeys, with its latest comments', () => {
    const withLost = summarizePeriod('2026-11', [...month, lostDeal], [], at('30'), undefined, ['lost-deal']);
    const without = summarizePeriod('2026-11', month, [], at('30'));
    expect([withLost.customers, withLost.lostDealTouchpointIds]).toEqual([5, ['lost-deal']]);
    expect(withLost.journeys).toEqual(without.journeys);
    expect(withLost.touchpoints.find(({ touchpointId }) => touchpointId === 'lost-deal')).toMatchObject({
      scoreCounts: { 2: 1, 4: 1 },
      latestComments: [{ score: 2, comment: 'Tilbuddet kom for sent', answeredAt: at('05').toISOString() }],
    });
    expect(withLost.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')?.latestComments).toEqual([]);
  });

  it('sums the month’s closed deals per touchpoint and score, identically when recomputed in another order', () => {
    const closed = (dealId: string, outcome: 'won' | 'lost', score: number) => ({ dealId, outcome, closedAt: at('20'), score: score as 1, amount: 300_000.5, ownerId: '61001' });
    const offer = { ...month[0]!, dealOutcomes: [closed('301', 'won', 3), closed('302', 'lost', 3), closed('303', 'won', 9)] };
    const first = summarizePeriod('2026-11', [offer, month[1]!], [], at('30'));
    const again = summarizePeriod('2026-11', [month[1]!, { ...offer, dealOutcomes: [...offer.dealOutcomes].reverse() }], [], at('30'));
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(first.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')?.dealOutcomes).toEqual({
      3: { won: 1, lost: 1, withAmount: 2, amountSum: 600_001 },
      9: { won: 1, lost: 0, withAmount: 1, amountSum: 300_000.5 },
    });
  });
});
