import { describe, expect, it } from 'vitest';
import { surveyLanguageFromAcceptLanguage } from '@touchpoints/contracts';
import { canChangeScore, scorecards, SurveyComment, type SurveyResponse } from '../../../lambdas/domain/response.js';

const answer = (touchpointId: string, score: number, answeredAt: string, comment?: string): SurveyResponse => ({
  dealId: '301',
  touchpointId,
  contactId: '101',
  score,
  ...(comment ? { comment } : {}),
  firstAnsweredAt: new Date(answeredAt),
  answeredAt: new Date(answeredAt),
});

describe('scorecards', () => {
  it('shows one red answer as 4 and red', () => {
    expect(scorecards([answer('offer', 4, '2026-11-20T10:00:00Z', 'Slow')])).toEqual([
      { touchpointId: 'offer', lastScore: 4, lastComment: 'Slow', lastAnsweredAt: new Date('2026-11-20T10:00:00Z'), meanScore: 4, responses: 1, light: 'red' },
    ]);
  });

  it('takes the latest answer as the last score and the mean for the light', () => {
    const [card] = scorecards([answer('offer', 9, '2026-11-21T10:00:00Z'), answer('offer', 4, '2026-11-20T10:00:00Z'), answer('offer', 5, '2026-11-19T10:00:00Z')]);
    expect([card!.lastScore, card!.meanScore, card!.light]).toEqual([9, 6, 'yellow']);
  });

  it('keeps touchpoints apart and uses the portal’s thresholds', () => {
    const cards = scorecards([answer('offer', 7, '2026-11-20T10:00:00Z'), answer('delivery', 8, '2026-11-20T10:00:00Z')], { redMax: 7, yellowMax: 8 });
    expect(cards.map(({ touchpointId, light }) => `${touchpointId}:${light}`)).toEqual(['offer:red', 'delivery:yellow']);
  });

  it('is empty for a record without answers', () => {
    expect(scorecards([])).toEqual([]);
  });
});

describe('changing a score', () => {
  const first = new Date('2026-11-20T10:00:00Z');
  it('is allowed for seven days after the first answer and not a millisecond longer', () => {
    expect(canChangeScore(first, new Date('2026-11-27T10:00:00Z'))).toBe(true);
    expect(canChangeScore(first, new Date('2026-11-27T10:00:00.001Z'))).toBe(false);
  });
});

describe('SurveyComment', () => {
  it('trims a comment and accepts 2,000 characters', () => {
    expect(SurveyComment.parse('  Slow offer  ')).toBe('Slow offer');
    expect(SurveyComment.safeParse('x'.repeat(2000)).success).toBe(true);
  });

  it('refuses 2,001 characters', () => {
    expect(SurveyComment.safeParse('x'.repeat(2001)).success).toBe(false);
  });
});

describe('surveyLanguageFromAcceptLanguage', () => {
  it.each([
    ['da-DK,da;q=0.9,en;q=0.8', 'da'],
    ['nb-NO,nb;q=0.9', 'nb'],
    ['de-DE,de;q=0.9,no;q=0.5', 'nb'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR', 'en'],
    [undefined, 'en'],
    ['da;q=0.1,en;q=0.9', 'en'],
  ] as const)('picks %s → %s', (header, language) => {
    expect(surveyLanguageFromAcceptLanguage(header, 'en')).toBe(language);
  });
});
