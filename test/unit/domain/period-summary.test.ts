import { describe, expect, it } from 'vitest';
import { summarizePeriod, type TouchpointPeriodActivity } from '../../../lambdas/domain/period-summary.js';

const at = (day: string) => new Date(`2026-11-${day}T10:00:00.000Z`);
const activity = (touchpointId: string, scores: readonly number[]): TouchpointPeriodActivity => ({
  touchpointId,
  invitations: scores.map((_, index) => ({ dealId: String(300 + index), touchpointId, contactId: '101', status: 'answered', language: 'en', createdAt: at('02') })),
  responses: scores.map((score, index) => ({ dealId: String(300 + index), touchpointId, contactId: '101', score: score as 1, firstAnsweredAt: at('03'), answeredAt: at('03') })),
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
});
