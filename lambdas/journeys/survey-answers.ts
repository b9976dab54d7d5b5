import { Score, type SurveyLanguage, surveyQuestionFor } from '@touchpoints/contracts';
import { settleTimerId } from '../domain/journey.js';
import { canChangeScore, SurveyComment, type SurveyResponse } from '../domain/response.js';
import { clickRules, type SurveyClick } from '../domain/survey-clicks.js';
import { readSurveyToken, type SurveyTokenClaims } from '../domain/survey-token.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import type { TouchpointsStore } from '../store/store.js';
import type { SurveyView } from '../survey-pages/pages.js';

export interface SurveyAnswerPorts {
  store: Pick<
    TouchpointsStore,
    'getClicks' | 'getInvitation' | 'getResponse' | 'getSettings' | 'getTouchpoint' | 'optBackIntoSurveys' | 'optOutOfSurveys' | 'recordClick' | 'setTimer'
  >;
  surveyTokenSecret: string;
  now: () => Date;
}

/** Who is asking: the browser's language (for pages without a link's own) and its user agent (a scanner trait). */
export interface Visitor {
  language: SurveyLanguage;
  userAgent?: string;
}

/** An invitation that a link may still answer: sent, answered or reminded; not cancelled or never sent. */
const answerable = new Set(['sent', 'answered']);

/** An invitation's settled answer, and the latest score and comment of it and the clicks since. */
interface LastKnown {
  settled: SurveyResponse | undefined;
  score: Score | undefined;
  comment: string | undefined;
}

interface OpenInvitation {
  claims: SurveyTokenClaims;
  companyName: string;
  question: string;
  /** The portal asks people to confirm a score link's score on the page (for aggressive scanners). */
  confirmScore: boolean;
}

/**
 * The customer's side of a survey: open it, score it in one click, change the score within 7
 * days, comment, unsubscribe. A score is a click, kept and shown at once; it becomes an answer
 * only when the invitation's clicks have settled and a person's are told from a scanner's
 * (answer-settling.ts), so nothing leaves the system for a click until then. Every refusal is
 * a page in the customer's language and changes nothing.
 */
export class SurveyAnswers {
  constructor(private readonly ports: SurveyAnswerPorts) {}

  /**
   * `GET /s/{token}` (no score: the question) and `GET /s/{token}?score=N`: the score's click,
   * kept; or, where the portal asks for it, the question with that score chosen, to confirm.
   */
  async open(token: string, scoreParameter: string | undefined, visitor: Visitor): Promise<SurveyView> {
    const opened = await this.invitationOf(token, visitor.language);
    if ('page' in opened) return opened;
    const { claims, companyName, question } = opened;
    if (scoreParameter === undefined) return { page: 'question', language: claims.language, companyName, question, token };
    const score = parseScore(scoreParameter);
    if (score === undefined) return { page: 'problem', language: claims.language, problem: 'bad_score', companyName };
    if (opened.confirmScore) return { page: 'question', language: claims.language, companyName, question, token, chosenScore: score };
    return this.record(opened, token, { via: 'link', score, ...(visitor.userAgent ? { userAgent: visitor.userAgent } : {}) });
  }

  /**
   * `POST /s/{token}`, the survey page's form: a confirmed or changed score, or a comment with
   * the score it was given with. A form is a person's click: scanners fetch links, not forms.
   */
  async submit(token: string, form: URLSearchParams, visitor: Visitor): Promise<SurveyView> {
    const opened = await this.invitationOf(token, visitor.language);
    if ('page' in opened) return opened;
    const { claims: { language }, companyName } = opened;
    const comment = form.has('comment') ? SurveyComment.safeParse(form.get('comment')) : undefined;
    if (comment && !comment.success) return { page: 'problem', language, problem: 'comment_too_long', companyName };
    // Read once: the score a comment goes with comes from it, and so does what `record` checks.
    const known = await this.lastKnown(opened.claims);
    const score = form.has('score') ? parseScore(form.get('score')!) : known.score;
    if (score === undefined) return { page: 'problem', language, problem: 'bad_score', companyName };
    const recorded = await this.record(opened, token, { via: 'form', score, ...(comment ? { comment: comment.data } : {}) }, known);
    return recorded.page === 'thanks' && comment ? { page: 'comment_saved', language, companyName } : recorded;
  }

  /**
   * `GET /s/{token}/check`, the mail's hidden link: no person sees or follows it, so whoever
   * fetches it is a machine, and so are the score links it fetched around then.
   */
  async hiddenLink(token: string, visitor: Visitor): Promise<void> {
    const reading = readSurveyToken(token, this.ports.surveyTokenSecret, this.ports.now());
    if (reading.status === 'invalid') return;
    const { claims } = reading;
    const invitation = await this.ports.store.getInvitation(claims.portalId, claims.dealId, claims.touchpointId, claims.contactId);
    if (!invitation) return;
    await this.ports.store.recordClick(claims.portalId, claims, { at: this.ports.now(), via: 'trap', ...(visitor.userAgent ? { userAgent: visitor.userAgent } : {}) });
  }

  /**
   * The unsubscribe link: `ask` (its GET) shows the question and changes nothing; `unsubscribe`
   * (a POST: the page's button, or a mail client's RFC 8058 one-click) opts the person out;
   * `undo` (the unsubscribed page's button) opts them back in.
   */
  async unsubscribe(token: string, visitor: Visitor, action: 'ask' | 'unsubscribe' | 'undo'): Promise<SurveyView> {
    const reading = readSurveyToken(token, this.ports.surveyTokenSecret, this.ports.now());
    // An expired link still unsubscribes: the person asked us to stop, and the link proves who they are.
    if (reading.status === 'invalid') return { page: 'problem', language: visitor.language, problem: 'unknown_link' };
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

  /**
   * Keeps a score's click and moves the invitation's settle timer to the window after it; the
   * thank-you page shows at once. A settled answer past its change window stands.
   */
  private async record(opened: OpenInvitation, token: string, click: Omit<SurveyClick, 'at'> & { score: Score }, known?: LastKnown): Promise<SurveyView> {
    const { store, now } = this.ports;
    const { claims, companyName } = opened;
    const { portalId, dealId, touchpointId, contactId, language } = claims;
    const at = now();
    known ??= await this.lastKnown(claims);
    if (known.settled && !canChangeScore(known.settled.firstAnsweredAt, at)) {
      return known.settled.score === click.score && click.comment === undefined
        ? { page: 'thanks', language, companyName, token, score: click.score, canChange: false, ...(known.comment ? { comment: known.comment } : {}) }
        : { page: 'problem', language, problem: 'already_answered', companyName };
    }
    if (!(await store.recordClick(portalId, claims, { ...click, at }))) {
      // Only a machine clicks this often: nothing kept, and the page says so rather than thanking.
      logger.warn('survey clicks full: click not kept', { portalId, dealId, touchpointId, via: click.via });
      return { page: 'problem', language, problem: 'too_many_answers', companyName };
    }
    await store.setTimer(portalId, { id: settleTimerId(dealId, touchpointId, contactId), kind: 'settle_answer', dueAt: new Date(at.getTime() + clickRules.settleMs), dealId, touchpointId, contactId });
    count('SurveyClicks');
    const comment = click.comment ?? known.comment;
    return { page: 'thanks', language, companyName, token, score: click.score, canChange: true, ...(comment ? { comment } : {}) };
  }

  /** The invitation's settled answer, and the latest score and comment of its answer and clicks since. */
  private async lastKnown(invitation: SurveyTokenClaims): Promise<LastKnown> {
    const [settled, clicks] = await Promise.all([this.ports.store.getResponse(invitation.portalId, invitation), this.ports.store.getClicks(invitation.portalId, invitation)]);
    const clicked = clicks?.clicks ?? [];
    const score = clicked.findLast((click) => click.score !== undefined)?.score ?? settled?.score;
    const comment = clicked.findLast((click) => click.comment !== undefined)?.comment ?? settled?.comment;
    return { settled, score, comment: comment || undefined };
  }

  private async invitationOf(token: string, browserLanguage: SurveyLanguage): Promise<OpenInvitation | SurveyView> {
    const { store, surveyTokenSecret, now } = this.ports;
    const reading = readSurveyToken(token, surveyTokenSecret, now());
    if (reading.status === 'invalid') return { page: 'problem', language: browserLanguage, problem: 'unknown_link' };
    const { claims } = reading;
    // A signed link names its portal even once expired: its problem pages keep the company's header.
    if (reading.status === 'expired') {
      const settings = await store.getSettings(claims.portalId);
      return { page: 'problem', language: claims.language, problem: 'expired_link', ...(settings ? { companyName: settings.value.sender.name } : {}) };
    }
    const [invitation, settings, stored] = await Promise.all([
      store.getInvitation(claims.portalId, claims.dealId, claims.touchpointId, claims.contactId),
      store.getSettings(claims.portalId),
      store.getTouchpoint(claims.portalId, claims.touchpointId),
    ]);
    if (!settings) return { page: 'problem', language: claims.language, problem: 'unknown_link' };
    const companyName = settings.value.sender.name;
    const touchpoint = stored?.value;
    if (!invitation || !touchpoint) return { page: 'problem', language: claims.language, problem: 'unknown_link', companyName };
    if (!answerable.has(invitation.status)) return { page: 'problem', language: claims.language, problem: 'expired_link', companyName };
    return {
      claims,
      companyName,
      question: surveyQuestionFor(touchpoint, claims.language, settings.value.defaultLanguage).text,
      confirmScore: settings.value.confirmScoreOnPage,
    };
  }
}

/** Only "1" … "10": no signs, decimals, spaces or leading zeros. */
function parseScore(raw: string): Score | undefined {
  if (!/^(10|[1-9])$/.test(raw)) return undefined;
  return Score.parse(Number(raw));
}
