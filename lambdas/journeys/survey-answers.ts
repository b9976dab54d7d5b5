import { type LightThresholds, Score, type SurveyLanguage, surveyQuestionFor, trafficLight } from '@touchpoints/contracts';
import { count } from '../metrics.js';
import { canChangeScore, SurveyComment } from '../domain/response.js';
import { readSurveyToken, type SurveyTokenClaims } from '../domain/survey-token.js';
import type { AnswerRecorded } from '../domain/webhook-event.js';
import type { TouchpointsStore } from '../store/store.js';
import type { SurveyView } from '../survey-pages/pages.js';

export interface SurveyAnswerPorts {
  store: Pick<TouchpointsStore, 'getInvitation' | 'getResponse' | 'getSettings' | 'getTouchpoint' | 'optBackIntoSurveys' | 'optOutOfSurveys' | 'saveResponse'>;
  surveyTokenSecret: string;
  now: () => Date;
  /** Hands the answer to the events λ (owner task, reply, write-back), so the page answers at once. */
  announceAnswer: (event: AnswerRecorded) => Promise<void>;
}

/** An invitation that a link may still answer: sent, answered or reminded; not cancelled or never sent. */
const answerable = new Set(['sent', 'answered']);

interface OpenInvitation {
  claims: SurveyTokenClaims;
  companyName: string;
  question: string;
  companyId: string | undefined;
  thresholds: LightThresholds;
}

const answerMetrics = { red: 'AnswersRed', yellow: 'AnswersYellow', green: 'AnswersGreen' } as const;

/**
 * The customer's side of a survey: open it, score it in one click, change the
 * score within 7 days, comment, unsubscribe. Every refusal is a page in the
 * customer's language and changes nothing.
 */
export class SurveyAnswers {
  constructor(private readonly ports: SurveyAnswerPorts) {}

  /** `GET /s/{token}` (no score: the question) and `GET /s/{token}?score=N` (records it). */
  async open(token: string, scoreParameter: string | undefined, browserLanguage: SurveyLanguage): Promise<SurveyView> {
    const opened = await this.invitationOf(token, browserLanguage);
    if ('page' in opened) return opened;
    const { claims, companyName, question } = opened;
    if (scoreParameter === undefined) return { page: 'question', language: claims.language, companyName, question, token };
    const score = parseScore(scoreParameter);
    if (score === undefined) return { page: 'problem', language: claims.language, problem: 'bad_score' };
    return this.record(opened, token, score, undefined);
  }

  /** `POST /s/{token}` from the thank-you page: the comment, and the score it was given with. */
  async comment(token: string, form: URLSearchParams, browserLanguage: SurveyLanguage): Promise<SurveyView> {
    const opened = await this.invitationOf(token, browserLanguage);
    if ('page' in opened) return opened;
    const { language } = opened.claims;
    const comment = SurveyComment.safeParse(form.get('comment') ?? '');
    if (!comment.success) return { page: 'problem', language, problem: 'comment_too_long' };
    const existing = await this.ports.store.getResponse(opened.claims.portalId, opened.claims);
    const score = form.has('score') ? parseScore(form.get('score')!) : existing?.score;
    if (score === undefined) return { page: 'problem', language, problem: 'bad_score' };
    const recorded = await this.record(opened, token, score, comment.data);
    return recorded.page === 'thanks' ? { page: 'comment_saved', language, companyName: opened.companyName } : recorded;
  }

  /** `GET` or one-click `POST /u/{token}`: no more surveys for this contact, from any touchpoint. */
  /**
   * The unsubscribe link: `ask` (its GET) shows the question and changes nothing; `unsubscribe`
   * (a POST: the page's button, or a mail client's RFC 8058 one-click) opts the person out;
   * `undo` (the unsubscribed page's button) opts them back in.
   */
  async unsubscribe(token: string, browserLanguage: SurveyLanguage, action: 'ask' | 'unsubscribe' | 'undo'): Promise<SurveyView> {
    const reading = readSurveyToken(token, this.ports.surveyTokenSecret, this.ports.now());
    // An expired link still unsubscribes: the person asked us to stop, and the link proves who they are.
    if (reading.status === 'invalid') return { page: 'problem', language: browserLanguage, problem: 'unknown_link' };
    const { portalId, contactId, language } = reading.claims;
    const settings = await this.ports.store.getSettings(portalId);
    if (!settings) return { page: 'problem', language, problem: 'unknown_link' };
    const companyName = settings.value.sender.name;
    if (action === 'ask') return { page: 'unsubscribe_question', language, companyName, token };
    if (action === 'undo') {
      await this.ports.store.optBackIntoSurveys(portalId, contactId);
      return { page: 'resubscribed', language, companyName };
    }
    await this.ports.store.optOutOfSurveys(portalId, contactId);
    return { page: 'unsubscribed', language, companyName, token };
  }

  private async record(opened: OpenInvitation, token: string, score: number, comment: string | undefined): Promise<SurveyView> {
    const { store, now } = this.ports;
    const { claims, companyName, companyId } = opened;
    const answeredAt = now();
    const existing = await store.getResponse(claims.portalId, claims);
    if (existing && !canChangeScore(existing.firstAnsweredAt, answeredAt)) {
      return existing.score === score && comment === undefined
        ? { page: 'thanks', language: claims.language, companyName, token, score, canChange: false, ...(existing.comment ? { comment: existing.comment } : {}) }
        : { page: 'problem', language: claims.language, problem: 'already_answered' };
    }
    // The same score again (the link reopened, or a mail scanner following it): nothing changed.
    if (existing && existing.score === score && comment === undefined) {
      return { page: 'thanks', language: claims.language, companyName, token, score, canChange: true, ...(existing.comment ? { comment: existing.comment } : {}) };
    }
    const keptComment = comment ?? existing?.comment;
    await store.saveResponse(claims.portalId, {
      dealId: claims.dealId,
      touchpointId: claims.touchpointId,
      contactId: claims.contactId,
      ...(companyId ? { companyId } : {}),
      score,
      ...(keptComment ? { comment: keptComment } : {}),
      firstAnsweredAt: existing?.firstAnsweredAt ?? answeredAt,
      answeredAt,
    });
    // Answers by light count each person's first score (a changed score or a comment is the same answer).
    if (!existing) count(answerMetrics[trafficLight(score, opened.thresholds)]);
    await this.ports.announceAnswer({
      subscriptionType: 'touchpoints.answerRecorded',
      eventId: `answer-${claims.dealId}-${claims.touchpointId}-${claims.contactId}-${answeredAt.getTime()}`,
      portalId: claims.portalId,
      occurredAt: answeredAt.getTime(),
      dealId: claims.dealId,
      touchpointId: claims.touchpointId,
      contactId: claims.contactId,
    });
    return { page: 'thanks', language: claims.language, companyName, token, score, canChange: true, ...(keptComment ? { comment: keptComment } : {}) };
  }

  private async invitationOf(token: string, browserLanguage: SurveyLanguage): Promise<OpenInvitation | SurveyView> {
    const { store, surveyTokenSecret, now } = this.ports;
    const reading = readSurveyToken(token, surveyTokenSecret, now());
    if (reading.status === 'invalid') return { page: 'problem', language: browserLanguage, problem: 'unknown_link' };
    const { claims } = reading;
    if (reading.status === 'expired') return { page: 'problem', language: claims.language, problem: 'expired_link' };
    const [invitation, settings, stored] = await Promise.all([
      store.getInvitation(claims.portalId, claims.dealId, claims.touchpointId, claims.contactId),
      store.getSettings(claims.portalId),
      store.getTouchpoint(claims.portalId, claims.touchpointId),
    ]);
    const touchpoint = stored?.value;
    if (!invitation || !settings || !touchpoint) return { page: 'problem', language: claims.language, problem: 'unknown_link' };
    if (!answerable.has(invitation.status)) return { page: 'problem', language: claims.language, problem: 'expired_link' };
    return {
      claims,
      companyName: settings.value.sender.name,
      thresholds: settings.value.lightThresholds,
      question: surveyQuestionFor(touchpoint, claims.language, settings.value.defaultLanguage).text,
      companyId: invitation.companyId,
    };
  }
}

/** Only "1" … "10": no signs, decimals, spaces or leading zeros. */
function parseScore(raw: string): number | undefined {
  if (!/^(10|[1-9])$/.test(raw)) return undefined;
  return Score.parse(Number(raw));
}
