/**
 * Every key of the single table and its index (docs/architecture.md §3), built here and
 * nowhere else. Every portal's partition starts with `P#{portal id}`, so a Query on the
 * table never crosses portals. Two reads do, on purpose: the GSI1 due-timer shards
 * (`DUE#{n}`) hold every portal's timers, and forgetting a portal Scans the whole table.
 * The app's own few items (the journal cursor, portals being forgotten, sender domain claims) sit under APP#.
 */

export type CrmObjectType = 'contact' | 'company' | 'deal';


export interface TableKey {
  PK: string;
  SK: string;
}

/** Ids become parts of keys: a '#' inside one would let it pose as another key. */
function part(value: string | number): string {
  const text = String(value);
  if (text === '' || text.includes('#')) throw new RangeError(`not usable in a key: ${JSON.stringify(text)}`);
  return text;
}

const portalPartition = (portalId: number) => `P#${part(portalId)}`;
const summaryPartition = (portalId: number) => `${portalPartition(portalId)}#SUMMARY`;
/** Every portal's summary partition, as an IAM `StringLike` pattern: the one partition the report λ may write. */
export const summaryPartitionsPattern = 'P#*#SUMMARY';
const stagesPartition = (portalId: number, period: string) => `${portalPartition(portalId)}#STAGES#${part(period)}`;
const interviewsPartition = (portalId: number) => `${portalPartition(portalId)}#INTERVIEWS`;
const dealPartition = (portalId: number, dealId: string) => `${portalPartition(portalId)}#DEAL#${part(dealId)}`;
const contactPartition = (portalId: number, contactId: string) => `${portalPartition(portalId)}#contact#${part(contactId)}`;
const recordPartition = (portalId: number, record: RecordRef) =>
  `${portalPartition(portalId)}#${record.objectType}#${part(record.objectId)}${record.objectType === 'touchpoint' ? `#${part(record.period)}` : ''}`;

/**
 * A CRM record a response, a follow-up or a card belongs to; or one calendar month ("YYYY-MM") of
 * a touchpoint: its copies are kept by month (an invitation and its answer by the month the
 * invitation was made, a follow-up by the month it started), so the report reads a month without
 * reading the touchpoint's history.
 */
export type RecordRef = { objectType: CrmObjectType; objectId: string } | { objectType: 'touchpoint'; objectId: string; period: string };

export const touchpointPrefix = 'TP#';
export const stagePrefix = 'STAGE#';
export const invitationPrefix = 'INV#';
export const responsePrefix = 'R#';
export const invitationMirrorPrefix = 'I#';
export const followUpPrefix = 'FU#';
export const changePrefix = 'CHANGE#';
export const journeySummarySuffix = '#JOURNEYS';
export const dealOutcomeCopyPrefix = 'O#';
export const interviewCopyPrefix = 'IV#';
export const mailSuppressionSortKey = 'MAIL_SUPPRESSED';

export const keys = {
  install: (portalId: number): TableKey => ({ PK: portalPartition(portalId), SK: 'INSTALL' }),
  /** Where the app's reading of HubSpot's webhooks journal stopped: the app's own, no portal's. */
  journalCursor: (): TableKey => ({ PK: 'APP#WEBHOOKS_JOURNAL', SK: 'CURSOR' }),
  /** Portals that uninstalled and whose items are being deleted, a page at a time: the app's own partition. */
  portalsToForget: () => ({ PK: 'APP#FORGET' }),
  portalToForget: (portalId: number): TableKey => ({ PK: 'APP#FORGET', SK: portalPartition(portalId) }),
  settings: (portalId: number): TableKey => ({ PK: portalPartition(portalId), SK: 'SETTINGS' }),
  /**
   * Which portal may send from a sender domain: SES identities belong to the whole account, so
   * the first portal to use a domain holds it. The app's own partition, since a claim keeps other
   * portals out; forgetting the portal deletes its claims with its other items.
   */
  senderDomainClaims: () => ({ PK: 'APP#SENDER_DOMAINS' }),
  senderDomainClaim: (domain: string): TableKey => ({ PK: 'APP#SENDER_DOMAINS', SK: part(domain) }),
  /** The sender's domain as last checked with SES (its DKIM tokens and state): one per portal, for its current sender. */
  senderDomain: (portalId: number): TableKey => ({ PK: portalPartition(portalId), SK: 'SENDER_DOMAIN' }),
  touchpoints: (portalId: number) => ({ PK: portalPartition(portalId), SKPrefix: touchpointPrefix }),
  touchpoint: (portalId: number, touchpointId: string): TableKey => ({
    PK: portalPartition(portalId),
    SK: `${touchpointPrefix}${part(touchpointId)}`,
  }),
  webhookEvent: (portalId: number, eventId: string | number): TableKey => ({
    PK: `${portalPartition(portalId)}#EVT#${part(eventId)}`,
    SK: 'EVT',
  }),
  dealStages: (portalId: number, dealId: string) => ({ PK: dealPartition(portalId, dealId), SKPrefix: stagePrefix }),
  /** Ordered by time; the event id keeps two moves in the same millisecond apart. */
  dealStage: (portalId: number, dealId: string, enteredAt: Date, eventId: string): TableKey => ({
    PK: dealPartition(portalId, dealId),
    SK: `${stagePrefix}${enteredAt.toISOString()}#${part(eventId)}`,
  }),
  /** Every stay in a stage that deals began in one calendar month ("YYYY-MM"): a month's stage timing is one Query, whatever the history. */
  stageStays: (portalId: number, period: string) => ({ PK: stagesPartition(portalId, period) }),
  /** One deal's stay in a stage, under the month it entered the stage; keyed by the visit's event, so writing it again overwrites it. */
  stageStay: (portalId: number, period: string, dealId: string, enteredAt: Date, eventId: string): TableKey => ({
    PK: stagesPartition(portalId, period),
    SK: `${part(dealId)}#${enteredAt.toISOString()}#${part(eventId)}`,
  }),
  invitations: (portalId: number, dealId: string) => ({ PK: dealPartition(portalId, dealId), SKPrefix: invitationPrefix }),
  invitation: (portalId: number, dealId: string, touchpointId: string, contactId: string): TableKey => ({
    PK: dealPartition(portalId, dealId),
    SK: `${invitationPrefix}${part(touchpointId)}#${part(contactId)}`,
  }),
  unaskedTouchpoint: (portalId: number, dealId: string, touchpointId: string): TableKey => ({
    PK: dealPartition(portalId, dealId),
    SK: `GAP#${part(touchpointId)}`,
  }),
  /** Every click on one invitation's survey links, person's or scanner's, until they are judged and after (survey-clicks.ts). */
  surveyClicks: (portalId: number, dealId: string, touchpointId: string, contactId: string): TableKey => ({
    PK: dealPartition(portalId, dealId),
    SK: `CLICKS#${part(touchpointId)}#${part(contactId)}`,
  }),
  /** Where a contact's invitations are, so a privacy deletion finds them all. */
  contactInvitationPointer: (portalId: number, contactId: string, dealId: string, touchpointId: string): TableKey => ({
    PK: contactPartition(portalId, contactId),
    SK: `${invitationPrefix}${part(dealId)}#${part(touchpointId)}`,
  }),
  /** The contact's last survey, for the fatigue rule; one item so the check-and-claim is atomic. */
  surveySlot: (portalId: number, contactId: string): TableKey => ({ PK: contactPartition(portalId, contactId), SK: 'SURVEY_SLOT' }),
  surveyOptOut: (portalId: number, contactId: string): TableKey => ({ PK: contactPartition(portalId, contactId), SK: 'OPTOUT' }),
  /** The contact's mail bounced for good or they marked it as spam: no more surveys or reminders. */
  mailSuppression: (portalId: number, contactId: string): TableKey => ({ PK: contactPartition(portalId, contactId), SK: mailSuppressionSortKey }),
  contact: (portalId: number, contactId: string) => ({ PK: contactPartition(portalId, contactId) }),
  /** One response per invitation under each record it belongs to: a changed answer overwrites. */
  response: (portalId: number, record: RecordRef, dealId: string, touchpointId: string, contactId: string): TableKey => ({
    PK: recordPartition(portalId, record),
    SK: `${responsePrefix}${part(dealId)}#${part(touchpointId)}#${part(contactId)}`,
  }),
  /** An invitation's state as each record it concerns sees it (the card's "waiting", "scheduled"). */
  invitationMirror: (portalId: number, record: RecordRef, dealId: string, touchpointId: string, contactId: string): TableKey => ({
    PK: recordPartition(portalId, record),
    SK: `${invitationMirrorPrefix}${part(dealId)}#${part(touchpointId)}#${part(contactId)}`,
  }),
  followUp: (portalId: number, record: RecordRef, touchpointId: string, dealId: string): TableKey => ({
    PK: recordPartition(portalId, record),
    SK: `${followUpPrefix}${part(touchpointId)}#${part(dealId)}`,
  }),
  /** The settings audit trail, newest last in key order. */
  changes: (portalId: number) => ({ PK: portalPartition(portalId), SKPrefix: changePrefix }),
  change: (portalId: number, at: Date, id: string): TableKey => ({ PK: portalPartition(portalId), SK: `${changePrefix}${at.toISOString()}#${part(id)}` }),
  /** Every period summary of a portal, in period order: one partition, so a report reads a span of months in one Query. */
  periodSummaries: (portalId: number) => ({ PK: summaryPartition(portalId) }),
  /** One touchpoint's numbers in one calendar month ("YYYY-MM"), recomputed and overwritten, never incremented. */
  touchpointSummary: (portalId: number, period: string, touchpointId: string): TableKey => ({
    PK: summaryPartition(portalId),
    SK: `${part(period)}#TP#${part(touchpointId)}`,
  }),
  /** The impact regression's statistics of one month's customers, written with the month's touchpoint summaries. */
  journeySummary: (portalId: number, period: string): TableKey => ({ PK: summaryPartition(portalId), SK: `${part(period)}#JOURNEYS` }),
  /** How the deal closed (won or lost), its amount and owner then, and each touchpoint's score: where its copies are. */
  dealOutcome: (portalId: number, dealId: string): TableKey => ({ PK: dealPartition(portalId, dealId), SK: 'OUTCOME' }),
  /** A closed deal as one touchpoint's month partition keeps it, by the month it closed. */
  dealOutcomeCopy: (portalId: number, touchpointId: string, period: string, dealId: string): TableKey => ({
    PK: recordPartition(portalId, { objectType: 'touchpoint', objectId: touchpointId, period }),
    SK: `${dealOutcomeCopyPrefix}${part(dealId)}`,
  }),
  /** An open deal with a red answer; GSI1 ranks the portal's by amount (`dealsAtRisk`). */
  dealAtRisk: (portalId: number, dealId: string): TableKey => ({ PK: dealPartition(portalId, dealId), SK: 'AT_RISK' }),
  /** GSI1: the portal's deals at risk, sorted by amount (`atRiskSortKey`): the most valuable are one Query. */
  dealsAtRisk: (portalId: number) => ({ GSI1PK: `${portalPartition(portalId)}#AT_RISK` }),
  /**
   * The portal's interview tasks by when they were asked for: the report's "not again within 90
   * days" and the check for the owners' notes read the recent ones in one Query.
   */
  interviews: (portalId: number) => ({ PK: interviewsPartition(portalId) }),
  interview: (portalId: number, requestedAt: Date, dealId: string, touchpointId: string, contactId: string): TableKey => ({
    PK: interviewsPartition(portalId),
    SK: `${requestedAt.toISOString()}#${part(dealId)}#${part(touchpointId)}#${part(contactId)}`,
  }),
  /** An interview's copy in its touchpoint's month (the answered invitation's), which that month's summary counts once it has notes. */
  interviewCopy: (portalId: number, touchpointId: string, period: string, dealId: string, contactId: string): TableKey => ({
    PK: recordPartition(portalId, { objectType: 'touchpoint', objectId: touchpointId, period }),
    SK: `${interviewCopyPrefix}${part(dealId)}#${part(contactId)}`,
  }),
  /** A side effect done at most once (an owner task, a reply mail), keyed by what caused it. */
  once: (portalId: number, key: string): TableKey => ({ PK: `${portalPartition(portalId)}#ONCE#${part(key)}`, SK: 'ONCE' }),
  /** A record's partition holds everything its CRM card shows: one Query. */
  record: (portalId: number, record: RecordRef) => ({ PK: recordPartition(portalId, record) }),
  /** One item per timer, keyed by what it is for, so setting it twice is harmless. */
  timer: (portalId: number, timerId: string): TableKey => ({
    PK: `${portalPartition(portalId)}#TIMER#${part(timerId)}`,
    SK: 'TIMER',
  }),
  /**
   * GSI1: every pending timer in one of a few shard partitions, sorted by when
   * it falls due, so one Query per shard finds all that are due however long
   * the due λ was away.
   */
  dueShard: (shard: number) => ({ GSI1PK: `DUE#${shard}` }),
} as const;

/** A timer's GSI1 sort key: when it falls due, then its id, so timers due at once stay apart. */
export const dueSortKey = (dueAt: Date, timerId: string) => ({ GSI1SK: `${dueAt.toISOString()}#${timerId}` });

/**
 * A deal at risk's GSI1 sort key: its amount in hundredths, zero-padded so the text sorts as the
 * number does (no amount or a negative one as 0; up to 10^14), then the deal.
 */
export const atRiskSortKey = (amount: number | null, dealId: string) => ({
  GSI1SK: `${String(Math.min(Math.max(0, Math.round((amount ?? 0) * 100)), 1e16 - 1)).padStart(16, '0')}#${part(dealId)}`,
});

/** Sorts above the GSI1 sort key of every timer due at `upTo` or before. */
export const dueSortKeyUpTo = (upTo: Date) => `${upTo.toISOString()}#\uffff`;
