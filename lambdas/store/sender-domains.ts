/**
 * The portal's sender domain as last checked with SES: the domain, the DKIM tokens SES
 * generated for it, its state and when SES was last asked. One item per portal (its
 * current sender's domain), written by the settings and due λs, read by the card λ too.
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
    });
  }
}
