import type { SenderDnsRecord, SenderDomainState, SenderDomainView, SesVerificationStatus } from '@touchpoints/contracts';

/** What SES says of a domain identity: its verification and its Easy DKIM setup (SES v1's identity attributes). */
export interface SesDomainIdentity {
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
}

/** How long a check is trusted before SES is asked again: a pending domain is watched closely, a settled one rarely. */
export const senderCheckTtlMs: Record<SenderDomainState, number> = {
  pending: 60_000,
  verified: 3_600_000,
  failed: 3_600_000,
};

/** The domain SES verifies for a sender address: its part after the last '@', lower case. */
export function senderDomainOf(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) throw new RangeError(`not an email address: ${JSON.stringify(email)}`);
  return email.slice(at + 1).toLowerCase();
}

/**
 * SES lets a domain send once either its verification or its DKIM setup has succeeded
 * (VerifyDomainDkim's documentation, below). Failed is final until verification is started
 * again; Pending, TemporaryFailure (SES keeps trying) and NotStarted all mean "not yet".
 */
export function senderDomainState({ verificationStatus, dkimStatus }: Pick<SesDomainIdentity, 'verificationStatus' | 'dkimStatus'>): SenderDomainState {
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
