import type { SenderDnsRecord, SenderDomainState, SenderDomainView, SesVerificationStatus } from '@touchpoints/contracts';
import type { Invitation, TimerKind } from './journey.js';

/** What SES says of an identity (a domain or an address): its verification and its Easy DKIM setup (SES v1's identity attributes). */
export interface SesIdentity {
  verificationStatus: SesVerificationStatus;
  dkimStatus: SesVerificationStatus;
  dkimTokens: readonly string[];
}

/** A sender domain as last checked with SES: the DKIM tokens it generated, and what SES said when. */
export interface SenderDomainCheck {
  domain: string;
  state: SenderDomainState;
  dkimStatus: SesVerificationStatus;
  dkimTokens: readonly string[];
  checkedAt: Date;
  /** The verified identity the sender may send through: its address, its domain or a parent domain. */
  verifiedBy?: string;
  /** Since when the domain has not been verified for the portal (the paused mail's back-off); absent once verified. */
  pendingSince?: Date;
}

/** How long a check is trusted before SES is asked again: a pending domain is watched closely, a settled one rarely. */
export const senderCheckTtlMs: Record<SenderDomainState, number> = {
  pending: 60_000,
  verified: 3_600_000,
  failed: 3_600_000,
  taken: 3_600_000,
};

/** The domain SES verifies for a sender address: its part after the last '@', lower case. */
export function senderDomainOf(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) throw new RangeError(`not an email address: ${JSON.stringify(email)}`);
  return email.slice(at + 1).toLowerCase();
}

/**
 * Every SES identity that lets the address send, closest first: the address itself, its
 * domain, and each parent domain (a verified domain covers its subdomains' addresses too,
 * https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html). A bare top-level
 * domain is no identity anyone can verify, so it is left out.
 */
export function senderIdentitiesOf(email: string): string[] {
  const domain = senderDomainOf(email);
  const labels = domain.split('.');
  const parents = labels.slice(1, -1).map((_, index) => labels.slice(index + 1).join('.'));
  return [`${email.slice(0, email.lastIndexOf('@'))}@${domain}`, domain, ...parents];
}

/** The domain an identity stands for: an address's domain, or the domain itself. */
export function domainOfIdentity(identity: string): string {
  return identity.includes('@') ? senderDomainOf(identity) : identity;
}

/** True when the domain is one of the operator's shared domains or a subdomain of one: every portal may send from it. */
export function isSharedSenderDomain(domain: string, sharedDomains: readonly string[]): boolean {
  return sharedDomains.some((shared) => domain === shared || domain.endsWith(`.${shared}`));
}

/** How much later a paused survey's or reminder's timer comes due again at least, and at most. */
export const pausedMailDelayMs = { first: 5 * 60_000, longest: 3_600_000 };

/**
 * How far a paused portal's mail timers are moved on: as long as the domain has been waiting,
 * from five minutes up to an hour. A domain waiting for its DNS records is checked again when
 * they come back, so the checks back off the same way, and a portal with thousands of paused
 * timers rewrites them at most hourly instead of filling every run.
 */
export function pausedMailDelay(check: Pick<SenderDomainCheck, 'pendingSince' | 'checkedAt'>, now: Date): number {
  const waiting = now.getTime() - (check.pendingSince ?? check.checkedAt).getTime();
  return Math.min(pausedMailDelayMs.longest, Math.max(pausedMailDelayMs.first, waiting));
}

/**
 * What becomes of a paused portal's survey or reminder timer: `postpone` while it still has a
 * mail to send, `go` for a sent survey whose reminder is not set yet (no mail: the due work
 * sets it), `clear` when nothing is left (answered, cancelled, skipped, opted out, gone).
 */
export function pausedTimerFate(kind: Extract<TimerKind, 'survey' | 'reminder'>, invitation: Pick<Invitation, 'status' | 'reminderSentAt'> | undefined): 'postpone' | 'go' | 'clear' {
  if (kind === 'survey' && invitation?.status === 'scheduled') return 'postpone';
  if (kind === 'survey' && invitation?.status === 'sent') return 'go';
  if (kind === 'reminder' && invitation?.status === 'sent' && !invitation.reminderSentAt) return 'postpone';
  return 'clear';
}

/**
 * SES lets a domain send once either its verification or its DKIM setup has succeeded
 * (VerifyDomainDkim's documentation, below). Failed is final until verification is started
 * again; Pending, TemporaryFailure (SES keeps trying) and NotStarted all mean "not yet".
 */
export function senderDomainState({ verificationStatus, dkimStatus }: Pick<SesIdentity, 'verificationStatus' | 'dkimStatus'>): SenderDomainState {
  if (verificationStatus === 'Success' || dkimStatus === 'Success') return 'verified';
  if (verificationStatus === 'Failed' || dkimStatus === 'Failed') return 'failed';
  return 'pending';
}

/**
 * The three Easy DKIM CNAME records the admin adds to their DNS, one per token SES
 * generated: `{token}._domainkey.{domain}` → `{token}.dkim.amazonses.com`, as
 * https://docs.aws.amazon.com/ses/latest/APIReference/API_VerifyDomainDkim.html gives them.
 */
export function dkimRecords(domain: string, dkimTokens: readonly string[], status: SesVerificationStatus): SenderDnsRecord[] {
  return dkimTokens.map((token) => ({ name: `${token}._domainkey.${domain}`, type: 'CNAME', value: `${token}.dkim.amazonses.com`, status }));
}

/** True when SES should be asked again: the sender moved to another domain, or the check has aged past its state's TTL. */
export function senderCheckIsStale(check: SenderDomainCheck | undefined, domain: string, now: Date): boolean {
  return !check || check.domain !== domain || now.getTime() - check.checkedAt.getTime() >= senderCheckTtlMs[check.state];
}

/** The check as the settings page shows it. */
export function senderDomainView(check: SenderDomainCheck): SenderDomainView {
  return {
    domain: check.domain,
    state: check.state,
    records: dkimRecords(check.domain, check.dkimTokens, check.dkimStatus),
    checkedAt: check.checkedAt.toISOString(),
  };
}
