import { describe, expect, it } from 'vitest';
import { defaultLightThresholds, type LightThresholds } from '@touchpoints/contracts';
import type { FollowUp } from '../../../lambdas/domain/follow-up.js';
import type { SurveyResponse } from '../../../lambdas/domain/response.js';
import { recordProperties } from '../../../lambdas/domain/write-back.js';

const names: Record<string, string> = { offer: 'The offer', delivery: 'Delivery', 'test-drive': 'Test drive' };
const touchpointName = (touchpointId: string) => names[touchpointId] ?? touchpointId;

const answer = (touchpointId: string, score: number, answeredAt: string, contactId = '101'): SurveyResponse => ({
  dealId: '301',
  touchpointId,
  contactId,
  score,
  firstAnsweredAt: new Date(answeredAt),
  answeredAt: new Date(answeredAt),
});
const promise = (status: FollowUp['status'], touchpointId = 'offer'): FollowUp => ({
  touchpointId,
  dealId: '301',
  expectation: { expect: 'engagement' },
  promise: 'A sales activity is logged within 2 days',
  startedAt: new Date('2026-11-20T10:00:00Z'),
  dueAt: new Date('2026-11-22T10:00:00Z'),
  status,
  contactIds: ['101'],
});
const properties = (responses: SurveyResponse[], followUps: FollowUp[] = [], thresholds: LightThresholds = defaultLightThresholds) =>
  recordProperties(responses, followUps, thresholds, touchpointName);
const lightOf = (scores: number[], thresholds?: LightThresholds) =>
  properties(scores.map((score, index) => answer('offer', score, `2026-11-2${index}T10:00:00Z`, `10${index}`)), [], thresholds).touchpoints_overall_light;

describe('recordProperties', () => {
  it('writes no light, no score and no touchpoint for a record nobody answered about', () => {
    expect(properties([])).toEqual({
      touchpoints_overall_light: null,
      touchpoints_last_score: null,
      touchpoints_last_touchpoint: null,
      touchpoints_answers: 0,
      touchpoints_missed_follow_ups: 0,
    });
  });

  it('does not ask for a touchpoint’s name when there is no answer', () => {
    const asked: string[] = [];
    recordProperties([], [], defaultLightThresholds, (id) => {
      asked.push(id);
      return id;
    });
    expect(asked).toEqual([]);
  });

  it('writes one answer’s light, score and touchpoint name', () => {
    expect(properties([answer('offer', 4, '2026-11-21T10:00:00Z')])).toEqual({
      touchpoints_overall_light: 'red',
      touchpoints_last_score: 4,
      touchpoints_last_touchpoint: 'The offer',
      touchpoints_answers: 1,
      touchpoints_missed_follow_ups: 0,
    });
  });

  it('takes the latest answer by when it was given, not by where it is in the list', () => {
    const written = properties([answer('offer', 3, '2026-11-21T10:00:00Z'), answer('delivery', 9, '2026-11-23T10:00:00Z'), answer('test-drive', 6, '2026-11-22T10:00:00Z')]);
    expect([written.touchpoints_last_score, written.touchpoints_last_touchpoint]).toEqual([9, 'Delivery']);
  });

  it('keeps the first of two answers given at the same moment as the latest', () => {
    const written = properties([answer('offer', 3, '2026-11-21T10:00:00Z', '101'), answer('delivery', 9, '2026-11-21T10:00:00Z', '102')]);
    expect([written.touchpoints_last_score, written.touchpoints_last_touchpoint]).toEqual([3, 'The offer']);
  });

  it('names the latest answer’s touchpoint as the caller names it (a deleted touchpoint by its id here)', () => {
    expect(properties([answer('gone', 8, '2026-11-21T10:00:00Z')]).touchpoints_last_touchpoint).toBe('gone');
  });

  it('lights the mean of all the record’s answers, across touchpoints and contacts', () => {
    const written = properties([answer('offer', 2, '2026-11-21T10:00:00Z', '101'), answer('delivery', 10, '2026-11-22T10:00:00Z', '102'), answer('offer', 9, '2026-11-23T10:00:00Z', '103')]);
    expect([written.touchpoints_overall_light, written.touchpoints_answers]).toEqual(['yellow', 3]);
  });

  it.each([
    [[5], 'red'],
    [[6], 'yellow'],
    [[5, 6], 'yellow'],
    [[5, 5, 6], 'red'],
    [[7], 'yellow'],
    [[7, 7, 8], 'yellow'],
    [[7, 8], 'green'],
    [[8], 'green'],
    [[1], 'red'],
    [[10], 'green'],
  ] as const)('lights the answers %o %s with the default thresholds (the mean rounded to a whole score)', (scores, light) => {
    expect(lightOf([...scores])).toBe(light);
  });

  it.each([
    [8, 'red'],
    [9, 'yellow'],
    [10, 'green'],
  ] as const)('uses the portal’s thresholds: %i is %s at the tightest setting', (score, light) => {
    expect(lightOf([score], { redMax: 8, yellowMax: 9 })).toBe(light);
  });

  it.each([
    [1, 'red'],
    [2, 'yellow'],
    [3, 'green'],
  ] as const)('uses the portal’s thresholds: %i is %s at the loosest setting', (score, light) => {
    expect(lightOf([score], { redMax: 1, yellowMax: 2 })).toBe(light);
  });

  it('counts the promises still missed and nothing else', () => {
    const written = properties([], [promise('missed'), promise('pending'), promise('kept'), promise('kept_late'), promise('missed', 'delivery')]);
    expect(written.touchpoints_missed_follow_ups).toBe(2);
  });

  it('stops counting a miss once it is kept late', () => {
    expect([properties([], [promise('missed')]), properties([], [promise('kept_late')])].map((written) => written.touchpoints_missed_follow_ups)).toEqual([1, 0]);
  });

  it('writes the missed promises even when nobody answered', () => {
    expect(properties([], [promise('missed')])).toMatchObject({ touchpoints_overall_light: null, touchpoints_answers: 0, touchpoints_missed_follow_ups: 1 });
  });

  it.each([0, 11])('refuses an answer scored %i', (score) => {
    expect(() => properties([answer('offer', score, '2026-11-21T10:00:00Z')])).toThrow(RangeError);
  });
});
