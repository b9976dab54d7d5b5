import { beforeEach, describe, expect, it } from 'vitest';
import { dayMs, type PortalSettings, type TouchpointDefinition } from '@touchpoints/contracts';
import type { Invitation } from '../../../lambdas/domain/journey.js';
import type { SurveyResponse } from '../../../lambdas/domain/response.js';
import { signSurveyToken, type SurveyTokenClaims } from '../../../lambdas/domain/survey-token.js';
import type { AnswerRecorded } from '../../../lambdas/domain/webhook-event.js';
import { type SurveyAnswerPorts, SurveyAnswers } from '../../../lambdas/journeys/survey-answers.js';
import { settingsOf, touchpointOf, versioned } from '../../support/in-memory-store.js';

const secret = 'survey-signing-secret';
const portalId = 24681357;
const sentAt = new Date('2026-11-20T10:00:00.000Z');
const claims: SurveyTokenClaims = { portalId, dealId: '301', touchpointId: 'offer', contactId: '101', language: 'da', expiresAt: new Date(sentAt.getTime() + 30 * dayMs) };
const token = signSurveyToken(claims, secret);
const invitationKey = (dealId: string, touchpointId: string, contactId: string) => `${dealId}/${touchpointId}/${contactId}`;

/** The survey side of the store: invitations, answers, settings, touchpoints and opt-outs, in maps. */
function surveyStore() {
  const state = {
    invitations: new Map<string, Invitation>(),
    responses: new Map<string, SurveyResponse>(),
    settings: new Map<number, PortalSettings>(),
    touchpoints: new Map<string, TouchpointDefinition>(),
    optOuts: new Set<string>(),
    saved: [] as SurveyResponse[],
  };
  const store: SurveyAnswerPorts['store'] = {
    async getInvitation(portalId, dealId, touchpointId, contactId) {
      return state.invitations.get(`${portalId}/${invitationKey(dealId, touchpointId, contactId)}`);
    },
    async getResponse(portalId, { dealId, touchpointId, contactId }) {
      return state.responses.get(`${portalId}/${invitationKey(dealId, touchpointId, contactId)}`);
    },
    async getSettings(portalId) {
      const settings = state.settings.get(portalId);
      return settings && versioned(settings);
    },
    async getTouchpoint(portalId, touchpointId) {
      const touchpoint = state.touchpoints.get(`${portalId}/${touchpointId}`);
      return touchpoint && versioned(touchpoint);
    },
    async optOutOfSurveys(portalId, contactId) {
      state.optOuts.add(`${portalId}/${contactId}`);
    },
    async optBackIntoSurveys(portalId, contactId) {
      state.optOuts.delete(`${portalId}/${contactId}`);
    },
    async saveResponse(portalId, response) {
      state.saved.push(response);
      state.responses.set(`${portalId}/${invitationKey(response.dealId, response.touchpointId, response.contactId)}`, response);
    },
  };
  return { state, store };
}

let state: ReturnType<typeof surveyStore>['state'];
let announced: AnswerRecorded[];
let clock: Date;
let surveys: SurveyAnswers;

beforeEach(() => {
  const fake = surveyStore();
  state = fake.state;
  announced = [];
  clock = new Date(sentAt.getTime() + dayMs);
  state.settings.set(portalId, settingsOf({ defaultLanguage: 'en' }));
  state.touchpoints.set(`${portalId}/offer`, touchpointOf('offer', { question: { en: 'How was our offer?', da: 'Hvordan var vores tilbud?' } }));
  state.invitations.set(`${portalId}/${invitationKey('301', 'offer', '101')}`, {
    dealId: '301',
    touchpointId: 'offer',
    contactId: '101',
    companyId: '205',
    status: 'sent',
    language: 'da',
    createdAt: sentAt,
    sentAt,
  });
  surveys = new SurveyAnswers({
    store: fake.store,
    surveyTokenSecret: secret,
    now: () => clock,
    announceAnswer: async (event) => void announced.push(event),
  });
});

describe('SurveyAnswers.open', () => {
  it('shows the question in the link’s language, recording nothing', async () => {
    expect(await surveys.open(token, undefined, 'en')).toEqual({ page: 'question', language: 'da', companyName: 'Nordic Cars', question: 'Hvordan var vores tilbud?', token });
    expect(state.saved).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('records a score from the link, on the invitation’s company too, and announces it once', async () => {
    const view = await surveys.open(token, '8', 'en');
    expect(view).toEqual({ page: 'thanks', language: 'da', companyName: 'Nordic Cars', token, score: 8, canChange: true });
    expect(state.saved).toEqual([{ dealId: '301', touchpointId: 'offer', contactId: '101', companyId: '205', score: 8, firstAnsweredAt: clock, answeredAt: clock }]);
    expect(announced).toEqual([
      {
        subscriptionType: 'touchpoints.answerRecorded',
        eventId: `answer-301-offer-101-${clock.getTime()}`,
        portalId,
        occurredAt: clock.getTime(),
        dealId: '301',
        touchpointId: 'offer',
        contactId: '101',
      },
    ]);
  });

  it('changes nothing when the same score link is opened again: no second save, no second announcement', async () => {
    await surveys.open(token, '8', 'en');
    clock = new Date(clock.getTime() + 60_000);
    expect(await surveys.open(token, '8', 'en')).toEqual({ page: 'thanks', language: 'da', companyName: 'Nordic Cars', token, score: 8, canChange: true });
    expect(state.saved).toHaveLength(1);
    expect(announced).toHaveLength(1);
  });

  it('lets the customer change the score within 7 days, keeping when they first answered', async () => {
    const firstAnsweredAt = clock;
    await surveys.open(token, '3', 'en');
    clock = new Date(firstAnsweredAt.getTime() + 7 * dayMs);
    expect(await surveys.open(token, '9', 'en')).toMatchObject({ page: 'thanks', score: 9, canChange: true });
    expect(state.saved.at(-1)).toMatchObject({ score: 9, firstAnsweredAt, answeredAt: clock });
    expect(announced).toHaveLength(2);
  });

  it('refuses a different score after 7 days and shows the same one without recording it again', async () => {
    const firstAnsweredAt = clock;
    await surveys.open(token, '3', 'en');
    clock = new Date(firstAnsweredAt.getTime() + 7 * dayMs + 1);
    expect(await surveys.open(token, '9', 'en')).toEqual({ page: 'problem', language: 'da', problem: 'already_answered' });
    expect(await surveys.open(token, '3', 'en')).toMatchObject({ page: 'thanks', score: 3, canChange: false });
    expect(state.saved).toHaveLength(1);
    expect(announced).toHaveLength(1);
  });

  it.each(['0', '11', '08', '7.5', ' 7', '+7', 'ten'])('refuses the score %j and records nothing', async (score) => {
    expect(await surveys.open(token, score, 'en')).toEqual({ page: 'problem', language: 'da', problem: 'bad_score' });
    expect(state.saved).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('says an expired link has expired, in the link’s language, and records nothing', async () => {
    clock = claims.expiresAt;
    expect(await surveys.open(token, '8', 'en')).toEqual({ page: 'problem', language: 'da', problem: 'expired_link' });
    expect(state.saved).toEqual([]);
    expect(announced).toEqual([]);
  });

  it.each([
    ['another contact put in the payload', () => signSurveyToken({ ...claims, contactId: '102' }, secret).split('.')[0] + '.' + token.split('.')[1]],
    ['a link signed with another secret', () => signSurveyToken(claims, 'not-the-secret')],
    ['a signature cut short', () => token.slice(0, -2)],
    ['no signature', () => token.split('.')[0]!],
  ])('does not know %s, answering in the browser’s language', async (_, tampered) => {
    expect(await surveys.open(tampered(), '8', 'nb')).toEqual({ page: 'problem', language: 'nb', problem: 'unknown_link' });
    expect(state.saved).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('does not know a link whose invitation, settings or touchpoint is gone', async () => {
    const forgotten = signSurveyToken({ ...claims, contactId: '999' }, secret);
    expect(await surveys.open(forgotten, '8', 'en')).toEqual({ page: 'problem', language: 'da', problem: 'unknown_link' });
    state.touchpoints.clear();
    expect(await surveys.open(token, '8', 'en')).toEqual({ page: 'problem', language: 'da', problem: 'unknown_link' });
    expect(state.saved).toEqual([]);
  });

  it.each(['cancelled', 'skipped', 'opted_out', 'scheduled'] as const)('treats the link of a %s invitation as expired', async (status) => {
    state.invitations.get(`${portalId}/${invitationKey('301', 'offer', '101')}`)!.status = status;
    expect(await surveys.open(token, '8', 'en')).toEqual({ page: 'problem', language: 'da', problem: 'expired_link' });
    expect(state.saved).toEqual([]);
  });
});

describe('SurveyAnswers.comment', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);

  it('saves the comment with the score already given', async () => {
    await surveys.open(token, '4', 'en');
    clock = new Date(clock.getTime() + 60_000);
    expect(await surveys.comment(token, form({ comment: '  The price was too high.  ' }), 'en')).toEqual({ page: 'comment_saved', language: 'da', companyName: 'Nordic Cars' });
    expect(state.saved.at(-1)).toMatchObject({ score: 4, comment: 'The price was too high.', answeredAt: clock });
    expect(announced).toHaveLength(2);
  });

  it('takes the score sent with the comment', async () => {
    await surveys.comment(token, form({ score: '6', comment: 'Quick and friendly' }), 'en');
    expect(state.saved).toEqual([expect.objectContaining({ score: 6, comment: 'Quick and friendly' })]);
  });

  it('keeps an earlier comment when only the score changes', async () => {
    await surveys.comment(token, form({ score: '6', comment: 'Quick and friendly' }), 'en');
    expect(await surveys.open(token, '7', 'en')).toMatchObject({ page: 'thanks', score: 7, comment: 'Quick and friendly' });
    expect(state.saved.at(-1)).toMatchObject({ score: 7, comment: 'Quick and friendly' });
  });

  it('refuses a comment without any score, and one too long, recording nothing', async () => {
    expect(await surveys.comment(token, form({ comment: 'No score yet' }), 'en')).toEqual({ page: 'problem', language: 'da', problem: 'bad_score' });
    expect(await surveys.comment(token, form({ score: '5', comment: 'x'.repeat(2_001) }), 'en')).toEqual({ page: 'problem', language: 'da', problem: 'comment_too_long' });
    expect(state.saved).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('refuses a comment once the answer stands', async () => {
    await surveys.open(token, '4', 'en');
    clock = new Date(clock.getTime() + 8 * dayMs);
    expect(await surveys.comment(token, form({ comment: 'Late thoughts' }), 'en')).toEqual({ page: 'problem', language: 'da', problem: 'already_answered' });
    expect(state.saved).toHaveLength(1);
  });
});

describe('SurveyAnswers.unsubscribe', () => {
  it('only asks when the link is opened: a GET (a person, or a mail scanner) opts nobody out', async () => {
    expect(await surveys.unsubscribe(token, 'en', 'ask')).toEqual({ page: 'unsubscribe_question', language: 'da', companyName: 'Nordic Cars', token });
    expect(state.optOuts.size).toBe(0);
  });

  it('opts the contact out of every survey of the portal when asked to (the button, or a one-click POST)', async () => {
    expect(await surveys.unsubscribe(token, 'en', 'unsubscribe')).toEqual({ page: 'unsubscribed', language: 'da', companyName: 'Nordic Cars', token });
    expect(state.optOuts).toEqual(new Set([`${portalId}/101`]));
  });

  it('opts the contact back in when they undo it', async () => {
    await surveys.unsubscribe(token, 'en', 'unsubscribe');
    expect(await surveys.unsubscribe(token, 'en', 'undo')).toEqual({ page: 'resubscribed', language: 'da', companyName: 'Nordic Cars' });
    expect(state.optOuts.size).toBe(0);
  });

  it('still unsubscribes with an expired link', async () => {
    clock = new Date(claims.expiresAt.getTime() + 90 * dayMs);
    expect(await surveys.unsubscribe(token, 'en', 'unsubscribe')).toMatchObject({ page: 'unsubscribed' });
    expect(state.optOuts.has(`${portalId}/101`)).toBe(true);
  });

  it('does not know a tampered link, or one of a portal without settings, and opts nobody out', async () => {
    expect(await surveys.unsubscribe(signSurveyToken(claims, 'not-the-secret'), 'nb', 'unsubscribe')).toEqual({ page: 'problem', language: 'nb', problem: 'unknown_link' });
    state.settings.clear();
    expect(await surveys.unsubscribe(token, 'en', 'unsubscribe')).toEqual({ page: 'problem', language: 'da', problem: 'unknown_link' });
    expect(state.optOuts.size).toBe(0);
  });
});
