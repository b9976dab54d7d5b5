import type { Client } from '@hubspot/api-client';
import { mailClaim, reminderTimerId, type Invitation, type MailKind, type Timer } from '../domain/journey.js';
import { dayMs, type PortalSettings, type TouchpointDefinition } from '@touchpoints/contracts';
import type { DealContact } from '../domain/deal.js';
import { defaultBackoff, type BackoffOptions } from '../hubspot/backoff.js';
import { readContacts } from '../hubspot/crm.js';
import { logger } from '../logger.js';
import { settleAnswer, type AnswerSettlingPorts } from './answer-settling.js';
import { ClosedLoop, type ClosedLoopPorts } from './closed-loop.js';
import { reasonNotToMailContact } from './mail-feedback.js';
import { MailOfUnverifiedSenders, type SenderPausePorts } from './sender-verification.js';
import { surveyMailFor, type SurveyLinks } from './survey-mail.js';
import { timerShards, type InvitationKey, type TouchpointsStore } from '../store/store.js';

export interface DueWorkPorts extends SurveyLinks, ClosedLoopPorts, Omit<AnswerSettlingPorts, 'store'>, Pick<SenderPausePorts, 'identities' | 'sharedSenderDomains'> {
  store: ClosedLoopPorts['store'] & AnswerSettlingPorts['store'] & SenderPausePorts['store'] & Pick<TouchpointsStore, 'claimInvitationSend' | 'claimReminder' | 'clearTimer' | 'confirmMailSent' | 'dueTimers' | 'getInvitation' | 'getSettings' | 'listTouchpoints' | 'mailSuppression' | 'releaseMailClaim' | 'setTimer' | 'skipInvitation' | 'surveyOptOuts'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  /** Sends a raw MIME message (SES SendRawEmail); resolves to the message id. */
  sendMail: (raw: Buffer) => Promise<string>;
  backoff?: BackoffOptions;
}

type DueTimer = Timer & { portalId: number };
export interface DueRunReport {
  /** Due timers this run read (per shard at most `timersPerShard` to handle, and paused ones besides; the rest wait for the next run). */
  timersRead: number;
  surveysSent: number;
  remindersSent: number;
  missedFollowUps: number;
  /** Answers a person gave or changed, settled and handed to the closed loop. */
  answersSettled: number;
  /** Timers cleared with nothing to do (answered, cancelled, opted out; paused portals' too). */
  skipped: number;
  /** Mails another run has claimed and not yet confirmed: their timers wait for the next run. */
  inFlight: number;
  /** Surveys and reminders whose portal's sender domain is not verified: their timers moved on, kept. */
  paused: number;
  failed: number;
}

interface PortalContext {
  settings: PortalSettings | undefined;
  touchpoints: Map<string, TouchpointDefinition>;
  contacts: Map<string, DealContact>;
}

/** Tries at confirming a sent mail (each with the SDK's own retries), a second apart, then two. */
const confirmAttempts = 3;

/** A run takes on at most this many due timers per shard, earliest first, so it ends within its timeout. */
export const timersPerShard = 250;

/**
 * Pages of up to `timersPerShard` a run reads per shard at most. A page of a paused portal's
 * timers is moved on (or cleared) and the next page read, so a portal with thousands of them
 * cannot keep other portals' timers out of the run.
 */
export const pagesPerShard = 4;

/**
 * One run of the due λ: every timer that has come due (one Query per index
 * shard, however long since the last run), sends the surveys and reminders
 * whose time has come, checks promises, and clears each timer once its work
 * is done. A timer that failed or waits on another run's claim stays, and
 * the next run tries again; a portal's surveys and reminders wait while its
 * sender domain is not verified (sender-verification.ts). A claim on the invitation before each send means
 * a retried or overlapping run never mails anyone twice.
 */
export async function runDueWork(ports: DueWorkPorts, now: Date): Promise<DueRunReport> {
  const { store } = ports;
  const unverified = new MailOfUnverifiedSenders(ports, now);
  const shards = await Promise.all(Array.from({ length: timerShards }, (_, shard) => readShard(store, unverified, shard, now)));
  const go = shards.flatMap(({ go: shardGo }) => shardGo);
  const report: DueRunReport = { timersRead: 0, surveysSent: 0, remindersSent: 0, missedFollowUps: 0, answersSettled: 0, skipped: 0, inFlight: 0, paused: 0, failed: 0 };
  for (const shard of shards) {
    report.timersRead += shard.read;
    report.paused += shard.paused;
    report.skipped += shard.cleared;
    report.failed += shard.failed;
  }
  const count = (outcome: TimerOutcome) => {
    if (outcome === 'survey') report.surveysSent += 1;
    else if (outcome === 'reminder') report.remindersSent += 1;
    else if (outcome === 'missed_follow_up') report.missedFollowUps += 1;
    else if (outcome === 'answer') report.answersSettled += 1;
    else if (outcome === 'in_flight') report.inFlight += 1;
    else report.skipped += 1;
  };
  const handle = async (timer: DueTimer, work: () => Promise<TimerOutcome>) => {
    try {
      count(await work());
    } catch (error) {
      // The timer stays; the next run tries again.
      report.failed += 1;
      logger.error('timer failed', { portalId: timer.portalId, timerId: timer.id, error: (error as Error).message });
    }
  };
  for (const [portalId, portalTimers] of Map.groupBy(go, ({ portalId }) => portalId)) {
    // Settling answers and checking promises need no mail context: a portal whose HubSpot is down still settles.
    const mail = portalTimers.filter(isMailTimer);
    for (const timer of portalTimers.filter((timer) => !isMailTimer(timer))) await handle(timer, () => handleTimer(ports, timer, now));
    if (mail.length === 0) continue;
    let context: PortalContext;
    try {
      context = await portalContext(ports, portalId, mail);
    } catch (error) {
      // One portal's HubSpot being down (or its token revoked) holds up only its own mail.
      report.failed += mail.length;
      logger.error('portal timers failed', { portalId, timers: mail.length, error: (error as Error).message });
      continue;
    }
    for (const timer of mail) await handle(timer, () => handleMailTimer(ports, context, timer, now));
  }
  return report;
}

type MailTimer = DueTimer & { kind: MailKind };
const isMailTimer = (timer: DueTimer): timer is MailTimer => timer.kind === 'survey' || timer.kind === 'reminder';

/**
 * One shard's due timers, earliest first, the paused portals' moved on or cleared page by page
 * until `timersPerShard` are left to handle, the shard has no more due, or `pagesPerShard` pages
 * were read. Each page goes on after the last one (timers left in place, failed or in flight, are
 * not read twice).
 */
async function readShard(store: DueWorkPorts['store'], unverified: MailOfUnverifiedSenders, shard: number, now: Date) {
  const shardWork = { go: [] as DueTimer[], read: 0, paused: 0, cleared: 0, failed: 0 };
  let after: DueTimer | undefined;
  for (let page = 0; page < pagesPerShard && shardWork.go.length < timersPerShard; page += 1) {
    const limit = timersPerShard - shardWork.go.length;
    const timers = await store.dueTimers(shard, now, limit, after);
    const pause = await unverified.pause(timers);
    shardWork.go.push(...pause.go);
    shardWork.read += timers.length;
    shardWork.paused += pause.paused;
    shardWork.cleared += pause.cleared;
    shardWork.failed += pause.failed;
    if (timers.length < limit) break;
    after = timers.at(-1);
  }
  return shardWork;
}

async function portalContext(ports: DueWorkPorts, portalId: number, timers: readonly DueTimer[]): Promise<PortalContext> {
  const [settings, touchpoints] = await Promise.all([ports.store.getSettings(portalId), ports.store.listTouchpoints(portalId)]);
  const contactIds = [...new Set(timers.flatMap(({ contactId }) => (contactId ? [contactId] : [])))];
  // Read at send time, not kept: the address and the opt-out may have changed since the invitation.
  const contacts = contactIds.length ? await readContacts(await ports.hubspot.forPortal(portalId), contactIds, ports.backoff) : new Map();
  return { settings: settings?.value, touchpoints: new Map(touchpoints.map(({ value }) => [value.id, value])), contacts };
}

type TimerOutcome = 'survey' | 'reminder' | 'missed_follow_up' | 'answer' | 'in_flight' | 'nothing';

/** A timer that is no mail: a promise's deadline, or an invitation's clicks to settle. */
async function handleTimer(ports: DueWorkPorts, timer: DueTimer, now: Date): Promise<TimerOutcome> {
  const { store } = ports;
  const { portalId, dealId, touchpointId, contactId } = timer;
  if (timer.kind === 'follow_up') {
    const result = await new ClosedLoop(ports).followUpDeadline(portalId, dealId, touchpointId);
    await store.clearTimer(portalId, timer.id);
    return result === 'missed' ? 'missed_follow_up' : 'nothing';
  }
  if (!contactId) return 'nothing';
  const settled = await settleAnswer(ports, portalId, { dealId, touchpointId, contactId }, now);
  // A click since moved the timer to its own window: only this one's time is cleared.
  await store.clearTimer(portalId, timer.id, timer.dueAt);
  return settled === 'answered' || settled === 'changed' ? 'answer' : 'nothing';
}

/** A survey or reminder timer: the mail sent, skipped or left for the next run. */
async function handleMailTimer(ports: DueWorkPorts, context: PortalContext, timer: MailTimer, now: Date): Promise<TimerOutcome> {
  const { store } = ports;
  const { portalId, dealId, touchpointId, contactId } = timer;
  if (!contactId) return 'nothing';
  const key: InvitationKey = { dealId, touchpointId, contactId };
  const invitation = await currentInvitation(store, portalId, key, timer.kind, now);
  if (invitation && mailClaim(invitation, timer.kind, now).state === 'in_flight') return 'in_flight';
  const touchpoint = context.touchpoints.get(touchpointId);
  const contact = context.contacts.get(contactId);
  const settings = context.settings;

  let outcome: TimerOutcome = 'nothing';
  if (invitation && touchpoint && settings) {
    const notToMail = await reasonNotToMailContact(store, portalId, contactId, contact);
    const job = { portalId, key, touchpoint, settings, contact: contact!, language: invitation.language, claimedAt: now };
    const setReminder = async (sentAt: Date) => {
      if (settings.reminderAfterDays <= 0) return;
      await store.setTimer(portalId, { id: reminderTimerId(dealId, touchpointId, contactId), kind: 'reminder', dueAt: new Date(sentAt.getTime() + settings.reminderAfterDays * dayMs), dealId, touchpointId, contactId });
    };
    if (timer.kind === 'survey' && invitation.status === 'scheduled') {
      if (notToMail) await store.skipInvitation(portalId, key, notToMail);
      else if (await store.claimInvitationSend(portalId, key, now)) {
        await sendClaimedMail(ports, { ...job, kind: 'survey', sentAt: now });
        await setReminder(now);
        outcome = 'survey';
      }
    } else if (timer.kind === 'survey' && invitation.status === 'sent' && invitation.surveyMessageId && invitation.sentAt) {
      // The survey went out, but the run failed before its reminder was set: finish that.
      await setReminder(invitation.sentAt);
    } else if (timer.kind === 'reminder' && invitation.status === 'sent' && !notToMail && (await store.claimReminder(portalId, key, now))) {
      await sendClaimedMail(ports, { ...job, kind: 'reminder', sentAt: invitation.sentAt ?? now });
      outcome = 'reminder';
    }
  }
  // Done, or nothing left to do (answered, cancelled, opted out, bounced, touchpoint deleted): the timer goes.
  await store.clearTimer(portalId, timer.id);
  return outcome;
}

/** The timer's invitation, with a claim left by a run that died released, so this run sends the mail. */
async function currentInvitation(store: DueWorkPorts['store'], portalId: number, key: InvitationKey, kind: 'survey' | 'reminder', now: Date): Promise<Invitation | undefined> {
  const invitation = await store.getInvitation(portalId, key.dealId, key.touchpointId, key.contactId);
  const claim = invitation && mailClaim(invitation, kind, now);
  if (claim?.state !== 'abandoned') return invitation;
  logger.warn('releasing a mail claim its run never confirmed', { portalId, dealId: key.dealId, touchpointId: key.touchpointId, kind, claimedAt: claim.claimedAt.toISOString() });
  await store.releaseMailClaim(portalId, key, kind, claim.claimedAt);
  return store.getInvitation(portalId, key.dealId, key.touchpointId, key.contactId);
}

interface MailJob {
  portalId: number;
  key: InvitationKey;
  touchpoint: TouchpointDefinition;
  settings: PortalSettings;
  contact: DealContact;
  language: PortalSettings['defaultLanguage'];
  kind: MailKind;
  /** When this run claimed the mail. */
  claimedAt: Date;
  /** When the survey first went out: its links live from then. */
  sentAt: Date;
}

/**
 * Sends a claimed mail and confirms it at once with SES's message id: an
 * unconfirmed claim is sent again once its lease lapses, so the confirmation
 * gets a few more tries than the SDK's own. SES refusing the mail releases
 * the claim for the next run.
 */
async function sendClaimedMail(ports: DueWorkPorts, job: MailJob): Promise<void> {
  let messageId: string;
  try {
    messageId = await sendMail(ports, job);
  } catch (error) {
    await ports.store.releaseMailClaim(job.portalId, job.key, job.kind, job.claimedAt);
    throw error;
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (!(await ports.store.confirmMailSent(job.portalId, job.key, job.kind, job.claimedAt, messageId))) {
        logger.warn('a sent mail’s claim was no longer ours to confirm', { portalId: job.portalId, dealId: job.key.dealId, touchpointId: job.key.touchpointId, kind: job.kind, messageId });
      }
      return;
    } catch (error) {
      if (attempt === confirmAttempts) throw error;
      await (ports.backoff ?? defaultBackoff).sleep(attempt * 1000);
    }
  }
}

async function sendMail(ports: DueWorkPorts, job: MailJob): Promise<string> {
  const { key, contact } = job;
  const raw = await surveyMailFor(ports, {
    portalId: job.portalId,
    invitation: key,
    touchpoint: job.touchpoint,
    settings: job.settings,
    to: contact.email!,
    ...(contact.firstName ? { firstName: contact.firstName } : {}),
    language: job.language,
    kind: job.kind,
    sentAt: job.sentAt,
  });
  const messageId = await ports.sendMail(raw);
  logger.info('survey mail sent', { portalId: job.portalId, dealId: key.dealId, touchpointId: key.touchpointId, kind: job.kind, messageId });
  return messageId;
}
