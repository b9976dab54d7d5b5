import type { Timer } from '../domain/journey.js';
import { senderCheckIsStale, senderDomainOf, senderDomainState, type SenderDomainCheck } from '../domain/sender-domain.js';
import { logger } from '../logger.js';
import type { SenderIdentities } from '../mail/sender-identities.js';
import type { TouchpointsStore } from '../store/store.js';

export interface SenderVerificationPorts {
  store: Pick<TouchpointsStore, 'getSenderDomain' | 'saveSenderDomain'>;
  identities: SenderIdentities;
  now: () => Date;
}

/**
 * Whether a portal's sender domain may send, as SES says: verification (Easy DKIM) is
 * started for a domain SES does not know yet, and the answer is kept in the table so SES
 * is asked again only once the check is stale (a minute while pending, an hour after).
 */
export class SenderVerification {
  constructor(private readonly ports: SenderVerificationPorts) {}

  /** Where the sender's domain stands now; an existing portal's first check starts verification too. */
  async current(portalId: number, senderEmail: string): Promise<SenderDomainCheck> {
    const domain = senderDomainOf(senderEmail);
    const stored = await this.ports.store.getSenderDomain(portalId);
    if (stored && !senderCheckIsStale(stored, domain, this.ports.now())) return stored;
    return this.check(portalId, domain, { restartFailed: false });
  }

  /** After the admin saved a sender: its domain is checked at once, and one SES gave up on is started again. */
  async senderSaved(portalId: number, senderEmail: string): Promise<SenderDomainCheck> {
    return this.check(portalId, senderDomainOf(senderEmail), { restartFailed: true });
  }

  private async check(portalId: number, domain: string, { restartFailed }: { restartFailed: boolean }): Promise<SenderDomainCheck> {
    const { identities, now } = this.ports;
    let identity = await identities.domainIdentity(domain);
    const state = identity && senderDomainState(identity);
    // A domain verified without DKIM (a TXT record, by hand) is left as it is.
    if (!identity || (state !== 'verified' && identity.dkimTokens.length === 0) || (restartFailed && state === 'failed')) {
      await identities.startDkimVerification(domain);
      identity = await identities.domainIdentity(domain);
      if (!identity) throw new Error(`SES does not know ${domain} right after VerifyDomainDkim`);
      logger.info('sender domain verification started', { portalId, domain });
    }
    const check: SenderDomainCheck = {
      domain,
      state: senderDomainState(identity),
      dkimStatus: identity.dkimStatus,
      dkimTokens: identity.dkimTokens,
      checkedAt: now(),
    };
    await this.ports.store.saveSenderDomain(portalId, check);
    return check;
  }
}

/** How much later a paused survey's or reminder's timer comes due again. */
export const pausedMailDelayMs = 5 * 60_000;

export interface SenderPausePorts extends Omit<SenderVerificationPorts, 'store'> {
  store: SenderVerificationPorts['store'] & Pick<TouchpointsStore, 'getSettings' | 'postponeTimer'>;
}

type DueTimer = Timer & { portalId: number };

export interface SenderPause {
  /** The timers this run handles: every follow-up deadline, and the mail of portals whose sender is verified. */
  go: DueTimer[];
  /** Surveys and reminders moved on because their portal's sender domain is not verified. */
  paused: number;
  /** Surveys and reminders left unsent where they are because their portal's sender could not be checked. */
  failed: number;
}

/**
 * The due λ's check before it mails: SES refuses a sender whose domain is not verified,
 * so a portal's surveys and reminders wait until it is. Their timers are moved on by
 * `pausedMailDelayMs`, never cleared: they go in the first run after verification, and
 * meanwhile do not crowd the earliest slots of the due index that other portals' timers
 * need. A portal without settings is left to the due work (it has nothing to send).
 */
export async function pauseMailOfUnverifiedSenders(ports: SenderPausePorts, timers: readonly DueTimer[], now: Date): Promise<SenderPause> {
  const verification = new SenderVerification(ports);
  const pause: SenderPause = { go: [], paused: 0, failed: 0 };
  for (const [portalId, portalTimers] of Map.groupBy(timers, ({ portalId }) => portalId)) {
    const mail = portalTimers.filter(({ kind }) => kind === 'survey' || kind === 'reminder');
    pause.go.push(...portalTimers.filter((timer) => !mail.includes(timer)));
    if (!mail.length) continue;
    try {
      const settings = await ports.store.getSettings(portalId);
      const sender = settings && (await verification.current(portalId, settings.value.sender.email));
      if (!sender || sender.state === 'verified') {
        pause.go.push(...mail);
        continue;
      }
      const until = new Date(now.getTime() + pausedMailDelayMs);
      for (const timer of mail) await ports.store.postponeTimer(portalId, timer, until);
      pause.paused += mail.length;
      logger.info('surveys paused: the sender domain is not verified', { portalId, domain: sender.domain, state: sender.state, timers: mail.length });
    } catch (error) {
      // Unchecked means unsent: the timers stay where they are and the next run checks again.
      pause.failed += mail.length;
      logger.error('sender domain check failed', { portalId, timers: mail.length, error: (error as Error).message });
    }
  }
  return pause;
}
