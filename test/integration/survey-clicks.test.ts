import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dayMs } from '@touchpoints/contracts';
import { settleTimerId } from '../../lambdas/domain/journey.js';
import { clickRules, maxKeptClicks } from '../../lambdas/domain/survey-clicks.js';
import { signSurveyToken, type SurveyTokenClaims } from '../../lambdas/domain/survey-token.js';
import type { AnswerRecorded } from '../../lambdas/domain/webhook-event.js';
import { settleAnswer } from '../../lambdas/journeys/answer-settling.js';
import { handOutDueWork } from '../../lambdas/journeys/due-work.js';
import { sendersInProcess } from '../support/due-senders.js';
import { SurveyAnswers, type Visitor } from '../../lambdas/journeys/survey-answers.js';
import { timerShard } from '../../lambdas/store/store.js';
import { startTestTable } from '../support/dynamo.js';
import { settingsOf, touchpointOf } from '../support/in-memory-store.js';

/**
 * The customer's clicks and what they settle into, on the real store (dynalite): a click is
 * kept and shown at once; only when the invitation's clicks have settled does a person's
 * answer get saved and announced to the closed loop, and a scanner's never does.
 */
const secret = 'survey-signing-secret';
const sentAt = new Date('2026-11-20T10:00:00.000Z');
const minute = 60_000;
const person: Visitor = { language: 'en', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' };
/** Security scanners pose as a browser: only their timing and the hidden link give them away. */
const scanner: Visitor = { language: 'en', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' };

let table: Awaited<ReturnType<typeof startTestTable>>;
let clock: Date;
let announced: AnswerRecorded[];
let surveys: SurveyAnswers;
let portalId = 5_000_000;
let claims: SurveyTokenClaims;
let token: string;
const key = { dealId: '301', touchpointId: 'offer', contactId: '101' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const later = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
/** The distinct answer events: one more per new or changed answer (a repeat is dropped by the events λ as seen). */
const answerEvents = () => new Set(announced.map(({ eventId }) => eventId)).size;
const settle = () => settleAnswer({ store: table.store, announceAnswer: async (event) => void announced.push(event) }, portalId, key, clock);
const settledResponse = () => table.store.getResponse(portalId, key);

beforeAll(async () => {
  table = await startTestTable(() => clock);
});
afterAll(() => table.close());

beforeEach(async () => {
  // A portal of its own per test: nothing one test clicked reaches another.
  portalId += 1;
  clock = new Date(sentAt.getTime() + dayMs);
  announced = [];
  claims = { portalId, ...key, language: 'da', expiresAt: new Date(sentAt.getTime() + 30 * dayMs) };
  token = signSurveyToken(claims, secret);
  await table.store.saveSettings(portalId, settingsOf({ defaultLanguage: 'en' }), { expectedVersion: undefined, changedBy: 'test' });
  await table.store.saveTouchpoint(portalId, touchpointOf('offer', { question: { en: 'How was our offer?', da: 'Hvordan var vores tilbud?' } }), { expectedVersion: undefined, changedBy: 'test' });
  await table.store.createInvitation(portalId, { ...key, companyId: '205', status: 'scheduled', language: 'da', createdAt: sentAt, sendAt: sentAt });
  await table.store.claimInvitationSend(portalId, key, sentAt);
  surveys = new SurveyAnswers({ store: table.store, surveyTokenSecret: secret, now: () => clock });
});

describe('a score link', () => {
  it('shows the question in the link’s language when opened without a score, keeping no click', async () => {
    expect(await surveys.open(token, undefined, person)).toEqual({ page: 'question', language: 'da', companyName: 'Nordic Cars', question: 'Hvordan var vores tilbud?', token });
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
  });

  it('thanks at once and keeps the click, but nothing is an answer until the clicks settle', async () => {
    expect(await surveys.open(token, '8', person)).toEqual({ page: 'thanks', language: 'da', companyName: 'Nordic Cars', token, score: 8, canChange: true });
    expect((await table.store.getClicks(portalId, key))?.clicks).toEqual([{ at: clock, via: 'link', score: 8, userAgent: person.userAgent }]);
    expect(await settledResponse()).toBeUndefined();
    const settleAt = new Date(clock.getTime() + clickRules.settleMs);
    const due = await table.store.dueTimers(timerShard(settleTimerId('301', 'offer', '101')), settleAt, 10);
    expect(due).toEqual([expect.objectContaining({ id: settleTimerId('301', 'offer', '101'), kind: 'settle_answer', dueAt: settleAt, portalId })]);
  });

  it('becomes the answer once settled, on the invitation’s company too, announced under one event id', async () => {
    await surveys.open(token, '8', person);
    const clickedAt = clock;
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toEqual({ ...key, companyId: '205', score: 8, firstAnsweredAt: clickedAt, answeredAt: clickedAt });
    expect(await table.store.recordResponses(portalId, { objectType: 'company', objectId: '205' })).toHaveLength(1);
    expect(announced).toEqual([
      { subscriptionType: 'touchpoints.answerRecorded', eventId: `answer-301-offer-101-${clickedAt.getTime()}`, portalId, occurredAt: clickedAt.getTime(), ...key },
    ]);
    expect(await settle()).toBe('unchanged');
    expect(announced).toHaveLength(2);
    expect(answerEvents()).toBe(1);
  });

  it('waits for the window after the latest click: a settle timer that came due early moves on', async () => {
    await surveys.open(token, '4', person);
    later(clickRules.settleMs - minute);
    await surveys.submit(token, form({ comment: 'Too expensive' }), person);
    later(minute);
    expect(await settle()).toBe('not_yet');
    expect(await settledResponse()).toBeUndefined();
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toMatchObject({ score: 4, comment: 'Too expensive' });
    expect(answerEvents()).toBe(1);
  });

  it('keeps the settle timer a click moved while the due run was judging, for that click’s window', async () => {
    await surveys.open(token, '8', person);
    later(clickRules.settleMs);
    const timerId = settleTimerId('301', 'offer', '101');
    const store = Object.create(table.store) as typeof table.store;
    let changedMind = false;
    store.getClicks = async (portal, invitation) => {
      // The customer changes their mind as the run starts judging their clicks (other tests' timers may be due too).
      if (portal === portalId && !changedMind) {
        changedMind = true;
        await surveys.open(token, '9', person);
      }
      return table.store.getClicks(portal, invitation);
    };
    // Only settle timers are due: the run needs neither HubSpot nor SES (mocked away as unused).
    const unused = () => Promise.reject(new Error('not used by settling'));
    const senders = sendersInProcess({ store, announceAnswer: async (event) => void announced.push(event), hubspot: { forPortal: unused }, sendMail: unused, sendPacedMail: unused, surveyBaseUrl: 'http://unused', surveyTokenSecret: secret, now: () => clock });
    const handedOut = await handOutDueWork({ store, dueWork: senders.dueWork, sendQuota: async () => ({ maxSendRate: 14 }), identities: undefined as never, sharedSenderDomains: [] }, clock);
    expect([handedOut.failed, senders.worked.failed]).toEqual([0, 0]);
    expect(changedMind).toBe(true);
    expect(announced.filter((event) => event.portalId === portalId)).toEqual([]); // not yet: the new click's window runs
    const due = await table.store.dueTimers(timerShard(timerId), new Date(clock.getTime() + clickRules.settleMs), 10);
    expect(due.filter((timer) => timer.id === timerId && timer.portalId === portalId).map(({ dueAt }) => dueAt)).toEqual([new Date(clock.getTime() + clickRules.settleMs)]);
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toMatchObject({ score: 9 });
  });

  it('changes nothing when reopened with the same score: no second answer event', async () => {
    await surveys.open(token, '8', person);
    later(clickRules.settleMs);
    await settle();
    later(60 * minute);
    expect(await surveys.open(token, '8', person)).toEqual({ page: 'thanks', language: 'da', companyName: 'Nordic Cars', token, score: 8, canChange: true });
    later(clickRules.settleMs);
    expect(await settle()).toBe('unchanged');
    expect(answerEvents()).toBe(1);
  });

  it('lets the customer change the score within 7 days, keeping when they first answered', async () => {
    const firstAnsweredAt = clock;
    await surveys.open(token, '3', person);
    later(clickRules.settleMs);
    await settle();
    clock = new Date(firstAnsweredAt.getTime() + 7 * dayMs);
    expect(await surveys.open(token, '9', person)).toMatchObject({ page: 'thanks', score: 9, canChange: true });
    const changedAt = clock;
    later(clickRules.settleMs);
    expect(await settle()).toBe('changed');
    expect(await settledResponse()).toMatchObject({ score: 9, firstAnsweredAt, answeredAt: changedAt });
    expect(answerEvents()).toBe(2);
  });

  it('refuses a different score after 7 days and shows the same one, keeping no click', async () => {
    const firstAnsweredAt = clock;
    await surveys.open(token, '3', person);
    later(clickRules.settleMs);
    await settle();
    clock = new Date(firstAnsweredAt.getTime() + 7 * dayMs + 1);
    expect(await surveys.open(token, '9', person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'already_answered' });
    expect(await surveys.open(token, '3', person)).toMatchObject({ page: 'thanks', score: 3, canChange: false });
    expect(await surveys.submit(token, form({ comment: 'Late thoughts' }), person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'already_answered' });
    expect((await table.store.getClicks(portalId, key))?.clicks).toHaveLength(1);
  });

  it('opens the question with the score chosen where the portal asks people to confirm, keeping no click', async () => {
    await table.store.saveSettings(portalId, settingsOf({ defaultLanguage: 'en', confirmScoreOnPage: true }), { expectedVersion: 1, changedBy: 'test' });
    expect(await surveys.open(token, '7', scanner)).toEqual({ page: 'question', language: 'da', companyName: 'Nordic Cars', question: 'Hvordan var vores tilbud?', token, chosenScore: 7 });
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
    // The page's one tap sends it.
    expect(await surveys.submit(token, form({ score: '7' }), person)).toMatchObject({ page: 'thanks', score: 7 });
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
  });

  it.each(['0', '11', '08', '7.5', ' 7', '+7', 'ten'])('refuses the score %j and keeps nothing', async (score) => {
    expect(await surveys.open(token, score, person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'bad_score' });
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
  });

  it('says an expired link has expired, in the link’s language, and keeps nothing', async () => {
    clock = claims.expiresAt;
    expect(await surveys.open(token, '8', person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'expired_link' });
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
  });

  it.each([
    ['another contact put in the payload', () => signSurveyToken({ ...claims, contactId: '102' }, secret).split('.')[0] + '.' + token.split('.')[1]],
    ['a link signed with another secret', () => signSurveyToken(claims, 'not-the-secret')],
    ['a signature cut short', () => token.slice(0, -2)],
    ['no signature', () => token.split('.')[0]!],
  ])('does not know %s, answering in the browser’s language', async (_, tampered) => {
    expect(await surveys.open(tampered(), '8', { language: 'nb' })).toEqual({ page: 'problem', language: 'nb', problem: 'unknown_link' });
    await surveys.hiddenLink(tampered(), scanner);
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
  });

  it('does not know a link whose invitation or touchpoint is gone', async () => {
    expect(await surveys.open(signSurveyToken({ ...claims, contactId: '999' }, secret), '8', person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'unknown_link' });
    await table.store.deleteTouchpoint(portalId, 'offer', 1);
    expect(await surveys.open(token, '8', person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'unknown_link' });
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
  });

  it('treats the link of a cancelled invitation as expired', async () => {
    const other = { ...key, contactId: '102' };
    await table.store.createInvitation(portalId, { ...other, status: 'scheduled', language: 'da', createdAt: sentAt, sendAt: sentAt });
    await table.store.cancelScheduledInvitation(portalId, other);
    expect(await surveys.open(signSurveyToken({ ...claims, contactId: '102' }, secret), '8', person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'expired_link' });
  });
});

describe('the page’s form', () => {
  it('sends the comment with the score already clicked, and its answer carries it', async () => {
    await surveys.open(token, '4', person);
    later(20_000);
    expect(await surveys.submit(token, form({ comment: '  The price was too high.  ' }), person)).toEqual({ page: 'comment_saved', language: 'da', companyName: 'Nordic Cars' });
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toMatchObject({ score: 4, comment: 'The price was too high.' });
  });

  it('updates a settled answer with a later comment, keeping an earlier comment when only the score changes', async () => {
    await surveys.open(token, '6', person);
    later(clickRules.settleMs);
    await settle();
    later(10 * minute);
    await surveys.submit(token, form({ score: '6', comment: 'Quick and friendly' }), person);
    later(clickRules.settleMs);
    expect(await settle()).toBe('changed');
    later(10 * minute);
    expect(await surveys.open(token, '7', person)).toMatchObject({ page: 'thanks', score: 7, comment: 'Quick and friendly' });
    later(clickRules.settleMs);
    expect(await settle()).toBe('changed');
    expect(await settledResponse()).toMatchObject({ score: 7, comment: 'Quick and friendly' });
    expect(answerEvents()).toBe(3);
  });

  it('changes the score from the thank-you page without a comment: the thanks page again', async () => {
    await surveys.open(token, '4', person);
    later(5_000);
    expect(await surveys.submit(token, form({ score: '3' }), person)).toMatchObject({ page: 'thanks', score: 3 });
    later(clickRules.settleMs);
    await settle();
    expect(await settledResponse()).toMatchObject({ score: 3 });
  });

  it('keeps the comment of an answer saved before clicks were kept when the score changes, and clears it when emptied', async () => {
    const answeredAt = new Date(clock.getTime() - 60 * minute);
    await table.store.saveResponse(portalId, { ...key, score: 3, comment: 'Nobody called', firstAnsweredAt: answeredAt, answeredAt });
    await surveys.submit(token, form({ score: '4' }), person);
    later(clickRules.settleMs);
    expect(await settle()).toBe('changed');
    expect(await settledResponse()).toMatchObject({ score: 4, comment: 'Nobody called', firstAnsweredAt: answeredAt });
    await surveys.submit(token, form({ score: '4', comment: '   ' }), person);
    later(clickRules.settleMs);
    expect(await settle()).toBe('changed');
    expect(await settledResponse()).not.toHaveProperty('comment');
  });

  it('refuses a comment without any score, and one too long, keeping nothing', async () => {
    expect(await surveys.submit(token, form({ comment: 'No score yet' }), person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'bad_score' });
    expect(await surveys.submit(token, form({ score: '5', comment: 'x'.repeat(2_001) }), person)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'comment_too_long' });
    expect(await table.store.getClicks(portalId, key)).toBeUndefined();
  });
});

describe('a mail scanner', () => {
  /** Every link of the mail within a second, the way Safe Links or Proofpoint fetch them. */
  async function sweep() {
    for (let score = 1; score <= 10; score += 1) {
      await surveys.open(token, String(score), scanner);
      later(80);
    }
    await surveys.hiddenLink(token, scanner);
    expect(await surveys.unsubscribe(token, scanner, 'ask')).toMatchObject({ page: 'unsubscribe_question' });
  }

  it('makes no answer: its clicks are kept with the signs that gave it away', async () => {
    later(-dayMs + 3_000); // on delivery
    await sweep();
    later(clickRules.settleMs);
    expect(await settle()).toBe('automated');
    expect(await settledResponse()).toBeUndefined();
    expect(announced).toEqual([]);
    const judged = await table.store.getClicks(portalId, key);
    expect(judged?.clicks).toHaveLength(11);
    expect(judged?.verdicts).toEqual([...Array(10).fill('near_hidden_link'), 'hidden_link']);
  });

  it('does not stand in the way of the person who clicks after it', async () => {
    await sweep();
    later(clickRules.settleMs);
    expect(await settle()).toBe('automated');
    later(3 * 60 * minute);
    await surveys.open(token, '3', person);
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toMatchObject({ score: 3 });
    expect((await table.store.getClicks(portalId, key))?.verdicts.at(-1)).toBeNull();
  });

  it('does not hide the person who clicks during its sweep and then comments', async () => {
    await sweep();
    await surveys.open(token, '3', person);
    later(15_000);
    await surveys.submit(token, form({ comment: 'Nobody called during the delivery wait' }), person);
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toMatchObject({ score: 3, comment: 'Nobody called during the delivery wait' });
    expect(answerEvents()).toBe(1);
  });
});

describe('an invitation whose links were clicked all the clicks it keeps', () => {
  it('keeps no more link clicks and says so, but still hears the person through the page’s form', async () => {
    for (let click = 0; click < maxKeptClicks.links; click += 1) {
      await surveys.open(token, String((click % 10) + 1), scanner);
      later(50);
    }
    expect(await surveys.open(token, '5', scanner)).toEqual({ page: 'problem', language: 'da', companyName: 'Nordic Cars', problem: 'too_many_answers' });
    later(3 * 60 * minute);
    expect(await surveys.submit(token, form({ score: '2', comment: 'Finally got through' }), person)).toMatchObject({ page: 'comment_saved' });
    expect((await table.store.getClicks(portalId, key))?.clicks).toHaveLength(maxKeptClicks.links + 1);
    later(clickRules.settleMs);
    expect(await settle()).toBe('answered');
    expect(await settledResponse()).toMatchObject({ score: 2, comment: 'Finally got through' });
  });
});

describe('SurveyAnswers.unsubscribe', () => {
  const optedOut = async () => (await table.store.surveyOptOuts(portalId, ['101'])).has('101');

  it('only asks when the link is opened: a GET (a person, or a mail scanner) opts nobody out', async () => {
    expect(await surveys.unsubscribe(token, person, 'ask')).toEqual({ page: 'unsubscribe_question', language: 'da', companyName: 'Nordic Cars', token });
    expect(await optedOut()).toBe(false);
  });

  it('opts the contact out when asked to (the button, or a one-click POST), and back in on undo', async () => {
    expect(await surveys.unsubscribe(token, person, 'unsubscribe')).toEqual({ page: 'unsubscribed', language: 'da', companyName: 'Nordic Cars', token });
    expect(await optedOut()).toBe(true);
    expect(await surveys.unsubscribe(token, person, 'undo')).toEqual({ page: 'resubscribed', language: 'da', companyName: 'Nordic Cars' });
    expect(await optedOut()).toBe(false);
  });

  it('still unsubscribes with an expired link', async () => {
    clock = new Date(claims.expiresAt.getTime() + 90 * dayMs);
    expect(await surveys.unsubscribe(token, person, 'unsubscribe')).toMatchObject({ page: 'unsubscribed' });
    expect(await optedOut()).toBe(true);
  });

  it('does not know a tampered link and opts nobody out', async () => {
    expect(await surveys.unsubscribe(signSurveyToken(claims, 'not-the-secret'), { language: 'nb' }, 'unsubscribe')).toEqual({ page: 'problem', language: 'nb', problem: 'unknown_link' });
    expect(await optedOut()).toBe(false);
  });
});
