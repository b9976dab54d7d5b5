/**
 * A deal's journey as the events λ saw it: each stage it entered (idempotent per
 * webhook event) and each touchpoint it passed with nobody to ask. Kept under the
 * deal's own partition, beside its invitations. A deal's stays (stage-stays.ts) are computed
 * from them; nothing on a request path reads them.
 */
import type { DealStageVisit } from '../domain/journey.js';
import { keys } from './keys.js';
import type { TableAccess } from './table-access.js';

export class DealHistory {
  constructor(private readonly table: TableAccess) {}

  /** Idempotent: the same event recorded twice is the same item. */
  async recordDealStage(portalId: number, visit: DealStageVisit): Promise<void> {
    await this.table.put({
      ...keys.dealStage(portalId, visit.dealId, visit.enteredAt, visit.eventId),
      pipelineId: visit.pipelineId,
      stageId: visit.stageId,
      eventId: visit.eventId,
      enteredAt: visit.enteredAt.toISOString(),
      ...(visit.ownerId ? { ownerId: visit.ownerId } : {}),
    });
  }

  /** The deal's stages in the order it entered them. */
  async dealStageHistory(portalId: number, dealId: string): Promise<DealStageVisit[]> {
    const { PK, SKPrefix } = keys.dealStages(portalId, dealId);
    const items = await this.table.queryPrefix(PK, SKPrefix);
    return items.map((item) => ({
      dealId,
      pipelineId: String(item.pipelineId),
      stageId: String(item.stageId),
      enteredAt: new Date(String(item.enteredAt)),
      eventId: String(item.eventId),
      ...(item.ownerId ? { ownerId: String(item.ownerId) } : {}),
    }));
  }

  /** The deal passed a touchpoint with nobody to ask (no contacts): a gap in our knowledge. */
  async recordUnaskedTouchpoint(portalId: number, dealId: string, touchpointId: string, passedAt: Date): Promise<void> {
    await this.table.put({ ...keys.unaskedTouchpoint(portalId, dealId, touchpointId), touchpointId, reason: 'no_contacts', passedAt: passedAt.toISOString() });
  }
}
