/**
 * The portal's sender domain as last checked with SES: the domain, the DKIM tokens SES
 * generated for it, its state and when SES was last asked. One item per portal (its
 * current sender's domain), written by the settings and due λs, read by the card λ too.
 * And the claims that tie each domain to the one portal that may send from it.
 */
import { SenderDomainState, SesVerificationStatus } from '@touchpoints/contracts';
import type { SenderDomainCheck } from '../domain/sender-domain.js';
import { keys } from './keys.js';
import type { TableAccess } from './table-access.js';

export class SenderDomains {
  constructor(private readonly table: TableAccess) {}

  async getSenderDomain(portalId: number): Promise<SenderDomainCheck | undefined> {
    const item = await this.table.get(keys.senderDomain(portalId));
    return (
      item && {
        domain: String(item.domain),
        state: SenderDomainState.parse(item.state),
        dkimStatus: SesVerificationStatus.parse(item.dkimStatus),
        dkimTokens: (item.dkimTokens as unknown[]).map(String),
        checkedAt: new Date(String(item.checkedAt)),
        ...(item.verifiedBy === undefined ? {} : { verifiedBy: String(item.verifiedBy) }),
        ...(item.pendingSince === undefined ? {} : { pendingSince: new Date(String(item.pendingSince)) }),
      }
    );
  }

  async saveSenderDomain(portalId: number, check: SenderDomainCheck): Promise<void> {
    await this.table.put({
      ...keys.senderDomain(portalId),
      domain: check.domain,
      state: check.state,
      dkimStatus: check.dkimStatus,
      dkimTokens: [...check.dkimTokens],
      checkedAt: check.checkedAt.toISOString(),
      ...(check.verifiedBy === undefined ? {} : { verifiedBy: check.verifiedBy }),
      ...(check.pendingSince === undefined ? {} : { pendingSince: check.pendingSince.toISOString() }),
    });
  }

  /**
   * The portal that holds the domain: this one if nobody did (the claim is made, conditional on
   * its absence, so two portals racing for it cannot both win), else the one that claimed it first.
   */
  async claimSenderDomain(domain: string, portalId: number, claimedAt: Date): Promise<number> {
    const key = keys.senderDomainClaim(domain);
    const held = await this.table.get(key);
    if (held) return Number(held.portalId);
    if (await this.table.putIfAbsent({ ...key, domain, portalId, claimedAt: claimedAt.toISOString() })) return portalId;
    return Number((await this.table.get(key))!.portalId);
  }
}
