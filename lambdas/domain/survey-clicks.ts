import type { Score } from '@touchpoints/contracts';

/**
 * Telling a person's answer from a mail scanner's sweep. Corporate mail security (Safe Links,
 * Proofpoint, Mimecast, Barracuda) fetches every link of an incoming mail, usually within
 * seconds of delivery; a one-click survey would take that as ten answers. So every click on a
 * survey link is kept as a click, and only once the invitation's clicks have settled are they
 * judged: what a person did becomes the answer, what a machine did is kept for audit only.
 */

/**
 * How a click reached us: `link`, a GET of a score link (the mail's, or the thank-you page's);
 * `form`, a POST of the survey page's form (a comment, a changed score, a confirmed score);
 * `trap`, a GET of the mail's hidden link, which no person can see or follow.
 */
export type ClickVia = 'link' | 'form' | 'trap';

export interface SurveyClick {
  at: Date;
  via: ClickVia;
  score?: Score;
  /** A form's comment: absent when the form had no comment field, empty when it was cleared. */
  comment?: string;
  userAgent?: string;
}

/** Why a click was judged automated. */
export type AutomationSign = 'hidden_link' | 'near_hidden_link' | 'score_burst' | 'at_delivery' | 'scanner_agent';

export const clickRules = {
  /**
   * Score links of one invitation clicked this close to the hidden link, or to links of
   * `sweepScores` different scores in all, are a sweep: scanners take a mail's links within a
   * few seconds; a person changes their mind once, or through the thank-you page's form.
   */
  burstMs: 30_000,
  sweepScores: 3,
  /** Two different scores clicked this close together: no person goes back to the mail that fast. */
  quickChangeMs: 2_000,
  /** A score link clicked this soon after the survey went out was clicked on delivery, by a scanner. */
  atDeliveryMs: 10_000,
  /**
   * Nothing of an answer leaves the system until its invitation has had no click for this long:
   * long enough that a scanner's sweep is seen whole, and that a person's comment, typed right
   * after the score, reaches the owner's task with it.
   */
  settleMs: 2 * 60_000,
} as const;

/**
 * Clicks kept per invitation: a person needs a handful, and beyond 100 only a machine is
 * clicking links; the page's forms, a person's, are kept up to 150, so a person is heard after
 * a scanner filled the links' share. (150 clicks stay well under DynamoDB's 400 KB an item.)
 */
export const maxKeptClicks = { links: 100, forms: 150 } as const;

/**
 * User agents that say they are no person's browser: security scanners, link previewers,
 * HTTP libraries, headless browsers, Office's link checks; and none at all. Scanners that
 * pose as a browser are caught by the other signs.
 */
const automatedAgent = /\+https?:|\bbot\b|(?:google|bing|slack|twitter|linkedin|telegram|discord|yandex|ahrefs|semrush|apple|petal|mj12)bot|crawl|spider|scan|preview|headless|python|curl|wget|go-http|java\/|okhttp|libwww|httpclient|axios|node-fetch|undici|barracuda|mimecast|proofpoint|forcepoint|symantec|trend ?micro|fireeye|sophos|ironport|cisco|safelinks|ms-office|microsoft office|skype|whatsapp|slack|facebookexternalhit/i;

export function isAutomatedAgent(userAgent: string | undefined): boolean {
  return !userAgent?.trim() || automatedAgent.test(userAgent);
}

const within = (a: Date, b: Date, ms: number) => Math.abs(a.getTime() - b.getTime()) < ms;
const between = (at: Date, a: Date, b: Date) => at > (a < b ? a : b) && at < (a < b ? b : a);

/**
 * Why one click is a machine's, or undefined for a person's. A form is always a person's: a
 * scanner fetches links, it does not fill in and send the page's form.
 */
export function automationSign(click: SurveyClick, clicks: readonly SurveyClick[], sentAt: Date | undefined): AutomationSign | undefined {
  if (click.via === 'form') return undefined;
  if (click.via === 'trap') return 'hidden_link';
  if (isAutomatedAgent(click.userAgent)) return 'scanner_agent';
  const near = clicks.filter((other) => other !== click && within(other.at, click.at, clickRules.burstMs));
  if (near.some((other) => other.via === 'trap')) return 'near_hidden_link';
  // A form sent between two clicks shows a person was there: they are no one sweep.
  const sweep = near.filter((other) => other.via === 'link' && !near.some((form) => form.via === 'form' && between(form.at, other.at, click.at)));
  if (sweep.some((other) => other.score !== click.score && within(other.at, click.at, clickRules.quickChangeMs))) return 'score_burst';
  if (new Set([click.score, ...sweep.map(({ score }) => score)]).size >= clickRules.sweepScores) return 'score_burst';
  const sinceSent = sentAt === undefined ? undefined : click.at.getTime() - sentAt.getTime();
  if (sinceSent !== undefined && sinceSent >= 0 && sinceSent < clickRules.atDeliveryMs) return 'at_delivery';
  return undefined;
}

/** What a person answered, from their clicks: the last score, the last comment they sent. */
export interface JudgedAnswer {
  score: Score;
  /** The last comment sent: empty when they emptied it, absent when their clicks sent none. */
  comment?: string;
  firstAnsweredAt: Date;
  answeredAt: Date;
}

export interface ClickJudgement {
  /** One per click, in order: why it was automated, or null for a person's. */
  verdicts: (AutomationSign | null)[];
  /** Undefined when no person clicked a score. */
  answer?: JudgedAnswer;
}

export function judgeClicks(clicks: readonly SurveyClick[], sentAt: Date | undefined): ClickJudgement {
  const verdicts = clicks.map((click) => automationSign(click, clicks, sentAt) ?? null);
  const human = clicks.filter((click, index) => verdicts[index] === null && click.score !== undefined);
  const first = human[0];
  const last = human.at(-1);
  if (!first || !last) return { verdicts };
  const lastComment = human.findLast((click) => click.comment !== undefined)?.comment;
  return { verdicts, answer: { score: last.score!, ...(lastComment === undefined ? {} : { comment: lastComment }), firstAnsweredAt: first.at, answeredAt: last.at } };
}

/** When an invitation's clicks have settled: the settle window after its last click. */
export function clicksSettleAt(clicks: readonly SurveyClick[]): Date | undefined {
  const last = clicks.reduce<Date | undefined>((latest, { at }) => (latest === undefined || at > latest ? at : latest), undefined);
  return last && new Date(last.getTime() + clickRules.settleMs);
}
