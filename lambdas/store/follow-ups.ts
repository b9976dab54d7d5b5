/**
 * Follow-ups: the promise a deal's touchpoint makes (a call, a mail by a due time), copied
 * into the partition of every record it concerns (deal, each contact, company, touchpoint)
 * so each card and each touchpoint report reads it in its one Query.
 */
import type { FollowUp } from '../domain/follow-up.js';
import { periodOf } from '../domain/period-summary.js';
import { followUpPrefix, keys, type RecordRef } from './keys.js';
import type { Item, TableAccess } from './table-access.js';

export function followUpFrom({ PK: _pk, SK: _sk, dueAt, startedAt, keptAt, ...followUp }: Item): FollowUp {
  return {
    ...(followUp as Omit<FollowUp, 'dueAt' | 'startedAt' | 'keptAt'>),
    dueAt: new Date(String(dueAt)),
    startedAt: new Date(String(startedAt)),
    ...(keptAt ? { keptAt: new Date(String(keptAt)) } : {}),
  };
}

export class FollowUps {
  constructor(private readonly table: TableAccess) {}

  /** A follow-up promise of one deal's touchpoint, kept under the deal, its contacts, its company and the touchpoint's month it started in. */
  async saveFollowUp(portalId: number, followUp: FollowUp): Promise<void> {
    const item = {
      ...followUp,
      dueAt: followUp.dueAt.toISOString(),
      startedAt: followUp.startedAt.toISOString(),
      keptAt: followUp.keptAt?.toISOString(),
    };
    const records: RecordRef[] = [
      { objectType: 'deal', objectId: followUp.dealId },
      ...followUp.contactIds.map((objectId) => ({ objectType: 'contact' as const, objectId })),
      ...(followUp.companyId ? [{ objectType: 'company' as const, objectId: followUp.companyId }] : []),
      { objectType: 'touchpoint', objectId: followUp.touchpointId, period: periodOf(followUp.startedAt) },
    ];
    await Promise.all(records.map((record) => this.table.put({ ...keys.followUp(portalId, record, followUp.touchpointId, followUp.dealId), ...item })));
  }

  /** The deal's copy. */
  async getFollowUp(portalId: number, dealId: string, touchpointId: string): Promise<FollowUp | undefined> {
    const item = await this.table.get(keys.followUp(portalId, { objectType: 'deal', objectId: dealId }, touchpointId, dealId));
    return item && followUpFrom(item);
  }

  /** The deal's promises, from the deal's own partition. */
  async dealFollowUps(portalId: number, dealId: string): Promise<FollowUp[]> {
    return (await this.table.queryPrefix(keys.record(portalId, { objectType: 'deal', objectId: dealId }).PK, followUpPrefix)).map(followUpFrom);
  }
}
