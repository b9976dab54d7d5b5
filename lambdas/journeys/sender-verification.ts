import type { SenderDomainState } from '@touchpoints/contracts';
import type { Timer } from '../domain/journey.js';
import {
  domainOfIdentity,
  isSharedSenderDomain,
  pausedMailDelay,
  pausedTimerFate,
  senderCheckIsStale,
  senderDomainOf,
  senderDomainState,
  senderIdentitiesOf,
  type SenderDomainCheck,
} from '../domain/sender-domain.js';
import { SenderDomainTakenError } from '../errors.js';
import { logger } from '../logger.js';
import type { SenderIdentities } from '../mail/sender-identities.js';
import type { TouchpointsStore } from '../store/store.js';

export interface SenderVerificationPorts {
  store: Pick<TouchpointsStore, 'claimSenderDomain' | 'getSenderDomain' | 'saveSenderDomain'>;
  identities: SenderIdentities;
  /** The operator's own domains (and their subdomains) every portal may send from; any other is held by the first portal to use it. */
  sharedSenderDomains: readonly string[];
  now: () => Date;
}

/**
 * Whether a portal's sender may send, as SES says: the sender's address, its domain and each
 * parent domain are asked about at once, since SES sends from any of them once verified. The
 * first verified one the portal may use lets it send; only when none does is Easy DKIM started
 * for the exact domain. SES identities belong to the whole account, so each domain is held by
 * the portal that first used it (a claim in the table) and no other portal sends from it or
 * verifies it, except the operator's shared domains. The answer is kept in the table so SES is
 * asked again only once the check is stale (a minute while pending, an hour after).
 */
export class SenderVerification {
  constructor(private readonly ports: SenderVerificationPorts) {}

  /** Where the sender stands now; an existing portal's first check starts verification too. */
  async current(portalId: number, senderEmail: string): Promise<SenderDomainCheck> {
    const stored = await this.ports.store.getSenderDomain(portalId);
    if (stored && !senderCheckIsStale(stored, senderDomainOf(senderEmail), this.ports.now())) return stored;
    return this.check(portalId, senderEmail, stored, { restartFailed: false });
  }

  /** Before a sender is saved: its domain becomes the portal's, or the save is refused because another portal holds it. */
  async claim(portalId: number, senderEmail: string): Promise<void> {
    const domain = senderDomainOf(senderEmail);
    if (!(await this.mayUse(portalId, domain))) throw new SenderDomainTakenError(domain);
  }

  /** After the admin saved a sender: it is checked at once, and a domain SES gave up on is started again. */
  async senderSaved(portalId: number, senderEmail: string): Promise<SenderDomainCheck> {
    return this.check(portalId, senderEmail, await this.ports.store.getSenderDomain(portalId), { restartFailed: true });
  }

  private async check(portalId: number, senderEmail: string, previous: SenderDomainCheck | undefined, { restartFailed }: { restartFailed: boolean }): Promise<SenderDomainCheck> {
    const { identities, now } = this.ports;
    const domain = senderDomainOf(senderEmail);
    const candidates = senderIdentitiesOf(senderEmail);
    const known = await identities.identities(candidates);
    let verifiedBy: string | undefined;
    for (const name of candidates) {
      const identity = known.get(name);
      if (identity && senderDomainState(identity) === 'verified' && (await this.mayUse(portalId, domainOfIdentity(name)))) {
        verifiedBy = name;
        break;
      }
    }
    let identity = known.get(domain);
    let state: SenderDomainState;
    if (verifiedBy) state = 'verified';
    else if (!(await this.mayUse(portalId, domain))) state = 'taken';
    else {
      if (!identity || identity.dkimTokens.length === 0 || (restartFailed && senderDomainState(identity) === 'failed')) {
        await identities.startDkimVerification(domain);
        identity = (await identities.identities([domain])).get(domain);
        if (!identity) throw new Error(`SES does not know ${domain} right after VerifyDomainDkim`);
        logger.info('sender domain verification started', { portalId, domain });
      }
      state = senderDomainState(identity);
    }
    const stillPending = previous?.domain === domain && previous.state !== 'verified' ? previous.pendingSince : undefined;
    const check: SenderDomainCheck = {
      domain,
      state,
      // Another portal's domain: its DKIM setup is none of this portal's business.
      dkimStatus: state === 'taken' ? 'NotStarted' : (identity?.dkimStatus ?? 'NotStarted'),
      dkimTokens: state === 'taken' ? [] : (identity?.dkimTokens ?? []),
      checkedAt: now(),
      ...(verifiedBy ? { verifiedBy } : { pendingSince: stillPending ?? now() }),
    };
    await this.ports.store.saveSenderDomain(portalId, check);
    return check;
  }

  /** A shared domain, or one this portal holds (claimed now if nobody did). */
  private async mayUse(portalId: number, domain: string): Promise<boolean> {
    if (isSharedSenderDomain(domain, this.ports.sharedSenderDomains)) return true;
    return (await this.ports.store.claimSenderDomain(domain, portalId, this.ports.now())) === portalId;
  }
}

export interface SenderPausePorts extends Omit<SenderVerificationPorts, 'store'> {
  store: SenderVerificationPorts['store'] & Pick<TouchpointsStore, 'clearTimer' | 'getInvitation' | 'getSettings' | 'postponeTimer'>;
}

type DueTimer = Timer & { portalId: number };
/** Paused timers read and moved side by side, within the SDK's 50 sockets however many shards a run reads at once. */
const timerWritesAtOnce = 10;
type MailTimer = DueTimer & { kind: 'survey' | 'reminder' };
const isMail = (timer: DueTimer): timer is MailTimer => timer.kind === 'survey' || timer.kind === 'reminder';

export interface SenderPause {
  /** The timers this run handles: every follow-up deadline and settling, and the mail of portals whose sender is verified. */
  go: DueTimer[];
  /** Surveys and reminders moved on because their portal's sender is not verified. */
  paused: number;
  /** Paused surveys and reminders with nothing left to send (answered, cancelled, skipped): their timers cleared. */
  cleared: number;
  /** Surveys and reminders left unsent where they are because their portal's sender or invitation could not be read. */
  failed: number;
}

/**
 * The due λ's check before it mails: SES refuses a sender that is not verified, so a portal's
 * surveys and reminders wait until it is. A timer with mail left to send is moved on by
 * `pausedMailDelay` (five minutes, backing off to an hour while the domain keeps waiting), never
 * dropped: it goes in its first run after verification. One with nothing left to send is cleared,
 * so it never comes back. A portal without settings is left to the due work (it has nothing to
 * send). One per run: each portal's sender is checked once however many pages of timers the run reads.
 */
export class MailOfUnverifiedSenders {
  private readonly senders = new Map<number, Promise<SenderDomainCheck | undefined>>();
  private readonly verification: SenderVerification;

  constructor(
    private readonly ports: SenderPausePorts,
    private readonly now: Date,
  ) {
    this.verification = new SenderVerification(ports);
  }

  async pause(timers: readonly DueTimer[]): Promise<SenderPause> {
    const pause: SenderPause = { go: [], paused: 0, cleared: 0, failed: 0 };
    for (const [portalId, portalTimers] of Map.groupBy(timers, ({ portalId }) => portalId)) {
      const mail = portalTimers.filter(isMail);
      pause.go.push(...portalTimers.filter((timer) => !isMail(timer)));
      if (!mail.length) continue;
      let sender: SenderDomainCheck | undefined;
      try {
        sender = await this.senderOf(portalId);
      } catch (error) {
        // Unchecked means unsent: the timers stay where they are and the next run checks again.
        pause.failed += mail.length;
        logger.error('sender domain check failed', { portalId, timers: mail.length, error: (error as Error).message });
        continue;
      }
      if (!sender || sender.state === 'verified') {
        pause.go.push(...mail);
        continue;
      }
      const until = new Date(this.now.getTime() + pausedMailDelay(sender, this.now));
      const before = { paused: pause.paused, cleared: pause.cleared };
      for (let first = 0; first < mail.length; first += timerWritesAtOnce) {
        await Promise.all(mail.slice(first, first + timerWritesAtOnce).map((timer) => this.holdBack(portalId, timer, until, pause)));
      }
      logger.info('surveys paused: the sender is not verified', { portalId, domain: sender.domain, state: sender.state, paused: pause.paused - before.paused, cleared: pause.cleared - before.cleared, until: until.toISOString() });
    }
    return pause;
  }

  private senderOf(portalId: number): Promise<SenderDomainCheck | undefined> {
    let sender = this.senders.get(portalId);
    if (!sender) {
      sender = this.ports.store.getSettings(portalId).then((settings) => settings && this.verification.current(portalId, settings.value.sender.email));
      this.senders.set(portalId, sender);
    }
    return sender;
  }

  private async holdBack(portalId: number, timer: MailTimer, until: Date, pause: SenderPause): Promise<void> {
    try {
      const invitation = timer.contactId ? await this.ports.store.getInvitation(portalId, timer.dealId, timer.touchpointId, timer.contactId) : undefined;
      const fate = pausedTimerFate(timer.kind, invitation);
      if (fate === 'go') pause.go.push(timer);
      else if (fate === 'clear') {
        await this.ports.store.clearTimer(portalId, timer.id);
        pause.cleared += 1;
      } else if (await this.ports.store.postponeTimer(portalId, timer, until)) pause.paused += 1;
    } catch (error) {
      pause.failed += 1;
      logger.error('paused timer failed', { portalId, timerId: timer.id, error: (error as Error).message });
    }
  }
}
