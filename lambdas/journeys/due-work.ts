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
import { dueWorkLeaseMs, fairBatches, hasTimeForAnotherTimer, timersToHandOut } from '../domain/due-work-sharing.js';
import { SenderOutOfTime } from './paced-mail.js';

/** What the minute run needs: the due timers, the sender check, where work is handed out, and SES's rate. */
export interface DueHandOutPorts extends Pick<SenderPausePorts, 'identities' | 'sharedSenderDomains'> {
  store: SenderPausePorts['store'] & Pick<TouchpointsStore, 'dueTimers' | 'moveTimer'>;
  dueWork: DueWorkQueue;
  sendQuota: () => Promise<SendQuota>;
}

/** The queue the senders take due work from. */
export interface DueWorkQueue {
  /** Timers a sender takes at once (the event source's batch size): one portal's per message batch. */
  batchSize: number;
  /** Timers handed out and not yet taken. */
  queued(): Promise<number>;
  handOut(work: readonly DueWork[]): Promise<void>;
}

/** SES's account limit (GetSendQuota's MaxSendRate): mails per second. */
export interface SendQuota {
  maxSendRate: number;
}

/** What a sender needs: everything a timer's work touches. */
export interface DueWorkPorts extends SurveyLinks, ClosedLoopPorts, Omit<AnswerSettlingPorts, 'store'> {
  store: ClosedLoopPorts['store'] & AnswerSettlingPorts['store'] & Pick<TouchpointsStore, 'claimInvitationSend' | 'claimReminder' | 'clearTimer' | 'confirmMailSent' | 'getInvitation' | 'getSettings' | 'listTouchpoints' | 'mailSuppression' | 'moveTimer' | 'releaseMailClaim' | 'setTimer' | 'skipInvitation' | 'surveyOptOuts'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  /** Sends a survey or reminder within the sender's run, at its share of SES's rate (PacedMailSender); resolves to SES's message id. */
  sendPacedMail: (raw: Buffer, run: SenderRun) => Promise<string>;
  backoff?: BackoffOptions;
}

export type DueTimer = Timer & { portalId: number };

/** One timer handed out: leased (its due time moved `dueWorkLeaseMs` on) by the minute run at `runAt`. */
export interface DueWork {
  timer: DueTimer;
  runAt: Date;
}

/** A sender's invocation: the time it has left (Lambda's `getRemainingTimeInMillis`). */
export interface SenderRun {
  remainingMs(): number;
}

/** What a minute run and the senders it fed did; each counts its own part. */
export interface DueRunReport {
  /** Due timers the minute run read (per shard at most `pagesPerShard` pages of `dueTimersPerPage`). */
  timersRead: number;
  /** Timers the minute run leased and put on the due work queue. */
  handedOut: number;
  surveysSent: number;
  remindersSent: number;
  missedFollowUps: number;
  /** Answers a person gave or changed, settled and handed to the closed loop. */
  answersSettled: number;
  /** Timers cleared with nothing to do (answered, cancelled, opted out; paused portals' too). */
  skipped: number;
  /** Mails another run has claimed and not yet confirmed: their timers go back for the next run. */
  inFlight: number;
  /** Surveys and reminders whose portal's sender domain is not verified: their timers moved on, kept. */
  paused: number;
  /** Timers a sender had no time left for (or SES kept throttling): back on the queue. */
  leftForLater: number;
  /** Handed-out timers whose lease had lapsed when a sender got them: a later run hands them out again. */
  lapsed: number;
  failed: number;
}

export const emptyDueRunReport = (): DueRunReport => ({ timersRead: 0, handedOut: 0, surveysSent: 0, remindersSent: 0, missedFollowUps: 0, answersSettled: 0, skipped: 0, inFlight: 0, paused: 0, leftForLater: 0, lapsed: 0, failed: 0 });

/** Adds `part`'s counts to `total`. */
export function addDueRunReport(total: DueRunReport, part: DueRunReport): DueRunReport {
  for (const name of Object.keys(total) as (keyof DueRunReport)[]) total[name] += part[name];
  return total;
}

interface PortalContext {
  settings: PortalSettings | undefined;
  touchpoints: Map<string, TouchpointDefinition>;
  contacts: Map<string, DealContact>;
}

/** Tries at confirming a sent mail (each with the SDK's own retries), a second apart, then two. */
const confirmAttempts = 3;

/** A page of due timers: one Query of a shard. */
export const dueTimersPerPage = 1000;

/**
 * Pages of up to `dueTimersPerPage` a run reads per shard at most, earliest first: the pool (up to
 * 16,000 timers) the run hands a minute of sending out of, fairly across portals, so a portal with
 * thousands due before the others' does not fill the run alone. A page of a paused portal's timers
 * is moved on (or cleared), so thousands of them cannot keep other portals' timers out of the run.
 */
export const pagesPerShard = 4;

/** Timer writes (leases) side by side, within the SDK's 50 sockets. */
const leasesAtOnce = 10;

/**
 * The minute run: finds every timer that has come due (one Query per index shard, however long
 * since the last run), holds back the mail of portals whose sender domain is not verified
 * (sender-verification.ts), and hands the rest out to the senders in fair batches (one portal's
 * per batch, portals round-robin), at most about a minute of sending at SES's rate less what the
 * queue still holds. Each timer handed out is leased first: its due time moved `dueWorkLeaseMs`
 * on, conditionally, so the next runs do not read it while a sender has it; a timer the sender
 * does not clear comes back when the lease lapses (or at once, when the sender gives it back).
 */
export async function handOutDueWork(ports: DueHandOutPorts, now: Date): Promise<DueRunReport> {
  // The sender check's time is the run's minute too.
  const unverified = new MailOfUnverifiedSenders({ ...ports, now: () => now }, now);
  const shards = await Promise.all(Array.from({ length: timerShards }, (_, shard) => readShard(ports.store, unverified, shard, now)));
  const report = emptyDueRunReport();
  for (const shard of shards) {
    report.timersRead += shard.read;
    report.paused += shard.paused;
    report.skipped += shard.cleared;
    report.failed += shard.failed;
  }
  const due = shards.flatMap(({ go }) => go).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (due.length === 0) return report;
  const [quota, queued] = await Promise.all([ports.sendQuota(), ports.dueWork.queued()]);
  let room = timersToHandOut(quota.maxSendRate, queued);
  const leaseUntil = new Date(now.getTime() + dueWorkLeaseMs);
  for (const batch of fairBatches(due, ports.dueWork.batchSize)) {
    if (room <= 0) break;
    const taken = batch.slice(0, room);
    room -= taken.length;
    const leased: DueWork[] = [];
    for (let first = 0; first < taken.length; first += leasesAtOnce) {
      await Promise.all(
        taken.slice(first, first + leasesAtOnce).map(async (timer) => {
          // Refused when the timer was cleared or set anew since it was read: then it is not this run's to hand out.
          if (await ports.store.moveTimer(timer.portalId, timer, leaseUntil)) leased.push({ timer: { ...timer, dueAt: leaseUntil }, runAt: now });
        }),
      );
    }
    if (leased.length === 0) continue;
    try {
      await ports.dueWork.handOut(leased);
      report.handedOut += leased.length;
    } catch (error) {
      // The leases lapse and a later run hands these timers out again.
      report.failed += leased.length;
      logger.error('due work not handed out', { portalId: batch[0]!.portalId, timers: leased.length, error: (error as Error).message });
    }
  }
  return report;
}

/**
 * A sender's share of the due work: per portal, its promises and answers, then its mail (one
 * read of settings, touchpoints and contacts for the portal's timers). It takes no timer once
 * the run's remaining time is under the safety margin, nor one whose lease has lapsed (a later
 * minute run hands that out again); a timer whose work failed, or whose mail another sender
 * holds, goes back at once for the next minute run. A claim on the invitation before each send
 * means a timer handed out twice never mails anyone twice.
 */
export async function doDueWork<Work extends DueWork>(ports: DueWorkPorts, work: readonly Work[], run: SenderRun): Promise<{ report: DueRunReport; notTaken: Work[] }> {
  const report = emptyDueRunReport();
  const notTaken: Work[] = [];
  const count = (outcome: TimerOutcome) => {
    if (outcome === 'survey') report.surveysSent += 1;
    else if (outcome === 'reminder') report.remindersSent += 1;
    else if (outcome === 'missed_follow_up') report.missedFollowUps += 1;
    else if (outcome === 'answer') report.answersSettled += 1;
    else if (outcome === 'in_flight') report.inFlight += 1;
    else report.skipped += 1;
  };
  const handBack = async ({ timer }: DueWork, now: Date) => {
    try {
      await ports.store.moveTimer(timer.portalId, timer, now);
    } catch (error) {
      logger.warn('a timer stays leased until its lease lapses', { portalId: timer.portalId, timerId: timer.id, error: (error as Error).message });
    }
  };
  // The minute's time, as the run that handed it out saw it (tests and the demo run the clock on), or later.
  const nowFor = (item: DueWork) => new Date(Math.max(ports.now().getTime(), item.runAt.getTime()));
  const live = work.filter((item) => item.timer.dueAt.getTime() > nowFor(item).getTime());
  report.lapsed = work.length - live.length;
  const handle = async (item: Work, task: (now: Date) => Promise<TimerOutcome>) => {
    if (!hasTimeForAnotherTimer(run.remainingMs())) {
      notTaken.push(item);
      return;
    }
    const now = nowFor(item);
    try {
      const outcome = await task(now);
      count(outcome);
      if (outcome === 'in_flight') await handBack(item, now);
    } catch (error) {
      if (error instanceof SenderOutOfTime) {
        notTaken.push(item);
        return;
      }
      report.failed += 1;
      logger.error('timer failed', { portalId: item.timer.portalId, timerId: item.timer.id, error: (error as Error).message });
      await handBack(item, now);
    }
  };
  for (const [portalId, portalWork] of Map.groupBy(live, ({ timer }) => timer.portalId)) {
    // Settling answers and checking promises need no mail context: a portal whose HubSpot is down still settles.
    const mail = portalWork.filter((item): item is Work & { timer: MailTimer } => isMailTimer(item.timer));
    for (const item of portalWork.filter((item) => !isMailTimer(item.timer))) await handle(item, (now) => handleTimer(ports, item.timer, now));
    if (mail.length === 0) continue;
    if (!hasTimeForAnotherTimer(run.remainingMs())) {
      notTaken.push(...mail);
      continue;
    }
    let context: PortalContext;
    try {
      context = await portalContext(ports, portalId, mail.map(({ timer }) => timer));
    } catch (error) {
      // One portal's HubSpot being down (or its token revoked) holds up only its own mail.
      report.failed += mail.length;
      logger.error('portal timers failed', { portalId, timers: mail.length, error: (error as Error).message });
      await Promise.all(mail.map((item) => handBack(item, nowFor(item))));
      continue;
    }
    for (const item of mail) await handle(item, (now) => handleMailTimer(ports, context, item.timer, run, now));
  }
  report.leftForLater = notTaken.length;
  return { report, notTaken };
}

type MailTimer = DueTimer & { kind: MailKind };
const isMailTimer = (timer: DueTimer): timer is MailTimer => timer.kind === 'survey' || timer.kind === 'reminder';

/**
 * One shard's due timers, earliest first, the paused portals' moved on or cleared, page by page
 * until the shard has no more due or `pagesPerShard` pages were read. Each page goes on after the
 * last one (timers left in place are not read twice).
 */
async function readShard(store: DueHandOutPorts['store'], unverified: MailOfUnverifiedSenders, shard: number, now: Date) {
  const shardWork = { go: [] as DueTimer[], read: 0, paused: 0, cleared: 0, failed: 0 };
  let after: DueTimer | undefined;
  for (let page = 0; page < pagesPerShard; page += 1) {
    const timers = await store.dueTimers(shard, now, dueTimersPerPage, after);
    const pause = await unverified.pause(timers);
    shardWork.go.push(...pause.go);
    shardWork.read += timers.length;
    shardWork.paused += pause.paused;
    shardWork.cleared += pause.cleared;
    shardWork.failed += pause.failed;
    if (timers.length < dueTimersPerPage) break;
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
async function handleMailTimer(ports: DueWorkPorts, context: PortalContext, timer: MailTimer, run: SenderRun, now: Date): Promise<TimerOutcome> {
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
        await sendClaimedMail(ports, { ...job, kind: 'survey', sentAt: now }, run);
        await setReminder(now);
        outcome = 'survey';
      }
    } else if (timer.kind === 'survey' && invitation.status === 'sent' && invitation.surveyMessageId && invitation.sentAt) {
      // The survey went out, but the run failed before its reminder was set: finish that.
      await setReminder(invitation.sentAt);
    } else if (timer.kind === 'reminder' && invitation.status === 'sent' && !notToMail && (await store.claimReminder(portalId, key, now))) {
      await sendClaimedMail(ports, { ...job, kind: 'reminder', sentAt: invitation.sentAt ?? now }, run);
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
async function sendClaimedMail(ports: DueWorkPorts, job: MailJob, run: SenderRun): Promise<void> {
  let messageId: string;
  try {
    messageId = await sendMail(ports, job, run);
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

async function sendMail(ports: DueWorkPorts, job: MailJob, run: SenderRun): Promise<string> {
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
  const messageId = await ports.sendPacedMail(raw, run);
  logger.info('survey mail sent', { portalId: job.portalId, dealId: key.dealId, touchpointId: key.touchpointId, kind: job.kind, messageId });
  return messageId;
}
