import { describe, expect, it } from 'vitest';
import { defaultLightThresholds } from '@touchpoints/contracts';
import {
  chooseInterviewCandidates,
  type InterviewCandidate,
  interviewCandidatesOf,
  interviewRefusal,
  interviewRules,
  ownerWroteNotes,
  recentlyInterviewedContacts,
  weakTouchpoints,
} from '../../../lambdas/domain/interviews.js';
import { summarizePeriod, type TouchpointPeriodActivity } from '../../../lambdas/domain/period-summary.js';
import type { SurveyResponse } from '../../../lambdas/domain/response.js';
import { touchpointStats } from '../../../lambdas/domain/analysis.js';

const now = new Date('2026-12-02T08:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

/** Owners of the dealer's deals: Mette, Jesper and Sofie. */
const mette = '61001';
const jesper = '61002';
const sofie = '61003';

function candidate(contactId: string, score: number, answeredDaysAgo: number, ownerId?: string): InterviewCandidate {
  return { dealId: `3${contactId}`, contactId, ...(ownerId ? { ownerId } : {}), score, answeredAt: daysAgo(answeredDaysAgo).toISOString(), comment: `Comment of ${contactId}` };
}

function choose(candidates: readonly InterviewCandidate[], recentlyInterviewed: readonly string[] = [], weak = ['offer']) {
  return chooseInterviewCandidates({
    weakTouchpointIds: weak,
    candidatesByTouchpoint: new Map([['offer', candidates]]),
    recentlyInterviewed: new Set(recentlyInterviewed),
    thresholds: defaultLightThresholds,
  });
}

const contactsChosen = (chosen: ReturnType<typeof choose>, touchpointId = 'offer') => (chosen.get(touchpointId) ?? []).map(({ contactId }) => contactId);

describe('the candidates a touchpoint’s month keeps', () => {
  const answer = (contactId: string, score: number, answeredDaysAgo: number, comment?: string): SurveyResponse => ({
    dealId: `3${contactId}`,
    touchpointId: 'offer',
    contactId,
    score,
    ...(comment === undefined ? {} : { comment }),
    firstAnsweredAt: daysAgo(answeredDaysAgo),
    answeredAt: daysAgo(answeredDaysAgo),
  });

  it('keeps answers with a comment below 10, the lowest scores first and the latest first among equal scores', () => {
    const kept = interviewCandidatesOf(
      [answer('101', 6, 3, 'Slow'), answer('102', 2, 9, 'Far too late'), answer('103', 2, 1, 'No one called'), answer('104', 1, 2), answer('105', 3, 2, '   '), answer('106', 10, 1, 'Perfect')],
      new Map([['3102/102', jesper]]),
    );
    expect(kept.map(({ contactId, score }) => `${contactId}:${score}`)).toEqual(['103:2', '102:2', '101:6']);
    expect(kept[1]).toEqual({ dealId: '3102', contactId: '102', ownerId: jesper, score: 2, answeredAt: daysAgo(9).toISOString(), comment: 'Far too late' });
  });

  it('keeps at most 20, with the comment cut to 200 characters', () => {
    const answers = Array.from({ length: 30 }, (_, index) => answer(String(200 + index), (index % 9) + 1, index, 'x'.repeat(500)));
    const kept = interviewCandidatesOf(answers, new Map());
    expect(kept).toHaveLength(interviewRules.candidatesKeptPerPeriod);
    expect(kept.every(({ comment }) => comment.length === interviewRules.commentExcerptLength && comment.endsWith('…'))).toBe(true);
    expect(kept.map(({ score }) => score)).toEqual(answers.map(({ score }) => score).sort((a, b) => a - b).slice(0, interviewRules.candidatesKeptPerPeriod));
  });

  it('is part of the month’s summary, identical when the month is computed again in another order', () => {
    const month: TouchpointPeriodActivity = {
      touchpointId: 'offer',
      invitations: ['101', '102', '103'].map((contactId) => ({ dealId: `3${contactId}`, touchpointId: 'offer', contactId, status: 'answered', language: 'en', createdAt: daysAgo(20), ownerId: sofie })),
      responses: [answer('101', 3, 10, 'Late'), answer('102', 4, 11, 'Later'), answer('103', 9, 12, 'Fine')],
      followUps: [],
    };
    const first = summarizePeriod('2026-11', [month], [], now);
    const again = summarizePeriod('2026-11', [{ ...month, responses: [...month.responses].reverse(), invitations: [...month.invitations].reverse() }], [], now);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(first.touchpoints[0]?.interviewCandidates?.map(({ contactId, ownerId }) => `${contactId}:${ownerId}`)).toEqual(['101:61003', '102:61003', '103:61003']);
  });
});

describe('the interviews that count toward a touchpoint’s knowledge', () => {
  const month = (notedContacts: readonly string[]): TouchpointPeriodActivity => ({
    touchpointId: 'offer',
    invitations: ['101', '102', '103', '104'].map((contactId) => ({ dealId: `3${contactId}`, touchpointId: 'offer', contactId, status: 'sent', language: 'en', createdAt: daysAgo(20) })),
    responses: [{ dealId: '3101', touchpointId: 'offer', contactId: '101', score: 3, comment: 'Late', firstAnsweredAt: daysAgo(10), answeredAt: daysAgo(10) }],
    followUps: [],
    interviews: ['101', '102'].map((contactId) => ({
      touchpointId: 'offer',
      dealId: `3${contactId}`,
      contactId,
      period: '2026-11',
      taskId: `9${contactId}`,
      subject: `Interview ${contactId} about The offer`,
      requestedAt: daysAgo(5),
      ...(notedContacts.includes(contactId) ? { notedAt: daysAgo(1) } : {}),
    })),
  });

  it('counts only interviews whose task holds the owner’s notes', () => {
    expect(summarizePeriod('2026-11', [month([])], [], now).touchpoints[0]?.interviews).toBe(0);
    expect(summarizePeriod('2026-11', [month(['101'])], [], now).touchpoints[0]?.interviews).toBe(1);
  });

  it('raises the coverage: answers and interviews with notes over the customers who passed', () => {
    const before = touchpointStats('offer', summarizePeriod('2026-11', [month([])], [], now).touchpoints[0]!);
    const after = touchpointStats('offer', summarizePeriod('2026-11', [month(['101', '102'])], [], now).touchpoints[0]!);
    expect([before.coverage, after.coverage, after.interviews]).toEqual([0.25, 0.75, 2]);
  });

  it('never puts the coverage above all who passed', () => {
    const everyoneAnswered = month(['101', '102']);
    const answers = everyoneAnswered.invitations.map(({ dealId, contactId }) => ({ dealId, touchpointId: 'offer', contactId, score: 3, firstAnsweredAt: daysAgo(10), answeredAt: daysAgo(10) }));
    expect(touchpointStats('offer', summarizePeriod('2026-11', [{ ...everyoneAnswered, responses: answers }], [], now).touchpoints[0]!).coverage).toBe(1);
  });
});

describe('the weak touchpoints', () => {
  const meanOf = { red: 3, yellow: 6.5, green: 9 };
  const ranked = (light: 'red' | 'yellow' | 'green' | null, answers = 10, mean = light && meanOf[light]) => ({ light, answers, mean });
  const touchpoint = (touchpointId: string, stats: ReturnType<typeof ranked>, measuresOverall = false) => ({ touchpointId, measuresOverall, stats });

  it('are those with a red or yellow mean, weakest first', () => {
    const touchpoints = [touchpoint('test-drive', ranked('green')), touchpoint('offer', ranked('red')), touchpoint('delivery', ranked('yellow'))];
    expect(weakTouchpoints(touchpoints, ['delivery', 'offer', 'test-drive'])).toEqual(['delivery', 'offer']);
  });

  it('are, where every mean is green, the worst-ranked touchpoint with answers', () => {
    const touchpoints = [touchpoint('contract', ranked(null, 0)), touchpoint('offer', ranked('green')), touchpoint('delivery', ranked('green'))];
    expect(weakTouchpoints(touchpoints, ['contract', 'offer', 'delivery'])).toEqual(['offer']);
  });

  it('are, before the ranking has its customers, the red and yellow ones by their means, lowest first, never the overall question', () => {
    const touchpoints = [
      touchpoint('test-drive', ranked('yellow', 4, 7)),
      touchpoint('offer', ranked('red', 3, 2.5)),
      touchpoint('contract', ranked(null, 0)),
      touchpoint('delivery', ranked('yellow', 2, 6)),
      touchpoint('overall', ranked('red', 5, 1), true),
    ];
    expect(weakTouchpoints(touchpoints, [])).toEqual(['offer', 'delivery', 'test-drive']);
  });
});

describe('the customers worth interviewing', () => {
  it('lists at most 5 per weak touchpoint', () => {
    const many = Array.from({ length: 12 }, (_, index) => candidate(String(110 + index), 2, index, [mette, jesper, sofie][index % 3]));
    expect(contactsChosen(choose(many))).toHaveLength(interviewRules.candidatesPerTouchpoint);
  });

  it('takes the owners’ customers in turn, so one owner’s reds do not fill the list', () => {
    const candidates = [
      candidate('101', 1, 1, mette),
      candidate('102', 1, 2, mette),
      candidate('103', 2, 1, mette),
      candidate('104', 2, 2, mette),
      candidate('105', 4, 1, jesper),
      candidate('106', 5, 1, sofie),
      candidate('107', 6, 1),
    ];
    expect(contactsChosen(choose(candidates))).toEqual(['101', '105', '106', '107', '102']);
  });

  it('leaves out contacts interviewed in the last 90 days, and green answers', () => {
    const candidates = [candidate('101', 2, 1, mette), candidate('102', 3, 1, jesper), candidate('103', 8, 1, sofie)];
    expect(contactsChosen(choose(candidates, ['101']))).toEqual(['102']);
  });

  it('knows which contacts were interviewed in the last 90 days', () => {
    const interviewed = recentlyInterviewedContacts([{ contactId: '101', requestedAt: daysAgo(89) }, { contactId: '102', requestedAt: daysAgo(91) }], now);
    expect([...interviewed]).toEqual(['101']);
  });

  it('lists a contact once, under the weakest touchpoint they answered', () => {
    const chosen = chooseInterviewCandidates({
      weakTouchpointIds: ['offer', 'delivery'],
      candidatesByTouchpoint: new Map([
        ['offer', [candidate('101', 3, 1, mette), candidate('101', 2, 40, mette)]],
        ['delivery', [candidate('101', 1, 1, mette), candidate('102', 4, 1, jesper)]],
      ]),
      recentlyInterviewed: new Set(),
      thresholds: defaultLightThresholds,
    });
    expect([contactsChosen(chosen, 'offer'), contactsChosen(chosen, 'delivery')]).toEqual([['101'], ['102']]);
    expect(chosen.get('offer')?.[0]).toMatchObject({ score: 2, light: 'red' });
  });

  it('applies the portal’s thresholds of today: a 7 is green where yellow ends at 6', () => {
    const chosen = chooseInterviewCandidates({
      weakTouchpointIds: ['offer'],
      candidatesByTouchpoint: new Map([['offer', [candidate('101', 7, 1, mette), candidate('102', 6, 1, jesper)]]]),
      recentlyInterviewed: new Set(),
      thresholds: { redMax: 4, yellowMax: 6 },
    });
    expect(chosen.get('offer')?.map(({ contactId, light }) => `${contactId}:${light}`)).toEqual(['102:yellow']);
  });
});

describe('an interview task asked for', () => {
  const answer = { dealId: '303', touchpointId: 'offer', contactId: '103', score: 3 };

  it('is refused for a green answer', () => {
    expect(interviewRefusal({ ...answer, score: 9 }, defaultLightThresholds, [], now)).toBe('The answer is 9/10, green: interviews are for red and yellow answers');
  });

  it('is refused for a contact interviewed about something else in the last 90 days, not for the same interview', () => {
    const earlier = { dealId: '303', touchpointId: 'sales-meeting', contactId: '103', requestedAt: daysAgo(30) };
    expect(interviewRefusal(answer, defaultLightThresholds, [earlier], now)).toBe('This contact got an interview task on 2026-11-02: not again within 90 days');
    expect(interviewRefusal(answer, defaultLightThresholds, [{ ...earlier, touchpointId: 'offer' }], now)).toBeUndefined();
    expect(interviewRefusal(answer, defaultLightThresholds, [{ ...earlier, requestedAt: daysAgo(95) }], now)).toBeUndefined();
  });
});

describe('the owner’s notes in an interview task', () => {
  const byApp = { value: 'Ingrid rated "The offer" 3/10', timestamp: daysAgo(3), sourceType: 'INTEGRATION', sourceId: '4711' };

  it('are there when a HubSpot user wrote the task’s notes', () => {
    expect(ownerWroteNotes([{ value: `${byApp.value}<p>She waited a week for the offer.</p>`, timestamp: daysAgo(1), sourceType: 'CRM_UI', sourceId: 'userId:71003' }, byApp])).toBe(true);
  });

  it('are not there while only the app wrote them', () => {
    expect(ownerWroteNotes([byApp])).toBe(false);
    expect(ownerWroteNotes([])).toBe(false);
  });

  it('are not there when the user’s latest notes are empty', () => {
    expect(ownerWroteNotes([{ value: '<p></p>', timestamp: daysAgo(1), sourceType: 'CRM_UI', sourceId: 'userId:71003' }, { value: 'Called', timestamp: daysAgo(2), sourceType: 'CRM_UI', sourceId: 'userId:71003' }, byApp])).toBe(false);
  });
});
