/**
 * Closed deals and deals at risk (domain/deal-outcomes.ts). A closed deal is one item in its deal
 * partition (how it closed, each touchpoint's score) and a copy in each answered touchpoint's
 * partition of the month it closed, where the report's month Query finds it. A deal that closes
 * again is overwritten; one that reopens loses them. An open deal with a red answer is one item
 * in its deal partition, ranked by amount in GSI1 under the portal's at-risk key.
 */
import type { DealAtRisk, Score } from '@touchpoints/contracts';
import { copiesOf, type DealOutcome, type DealOutcomeCopy, type DealOutcomeKind } from '../domain/deal-outcomes.js';
import { periodOf } from '../domain/period-summary.js';
import { atRiskSortKey, keys } from './keys.js';
import { tableSchema } from './table.js';
import type { Item, TableAccess } from './table-access.js';

const copyKeysOf = (portalId: number, outcome: DealOutcome) =>
  Object.keys(outcome.scores).map((touchpointId) => keys.dealOutcomeCopy(portalId, touchpointId, periodOf(outcome.closedAt), outcome.dealId));

type ClosedDeal = Omit<DealOutcome, 'scores'>;

function closedDealItem({ dealId, outcome, closedAt, amount, ownerId }: ClosedDeal): Item {
  return { dealId, outcome, closedAt: closedAt.toISOString(), amount, ownerId };
}

function closedDealFrom(item: Item): ClosedDeal {
  return {
    dealId: String(item.dealId),
    outcome: item.outcome as DealOutcomeKind,
    closedAt: new Date(String(item.closedAt)),
    ...(typeof item.amount === 'number' ? { amount: item.amount } : {}),
    ...(typeof item.ownerId === 'string' ? { ownerId: item.ownerId } : {}),
  };
}

/** A touchpoint partition's copy of a closed deal. */
export function dealOutcomeCopyFrom(item: Item): DealOutcomeCopy {
  return { ...closedDealFrom(item), score: Number(item.score) as Score };
}

export class DealOutcomes {
  constructor(private readonly table: TableAccess) {}

  async getDealOutcome(portalId: number, dealId: string): Promise<DealOutcome | undefined> {
    const item = await this.table.get(keys.dealOutcome(portalId, dealId));
    return item && { ...closedDealFrom(item), scores: item.scores as Record<string, Score> };
  }

  /**
   * The deal closed: its copies from an earlier close that this one does not overwrite (another
   * month, a touchpoint no longer answered) go first, then the new copies, then the deal's own
   * item. A retry after a crash finds the earlier item still there and does it all again.
   */
  async saveDealOutcome(portalId: number, outcome: DealOutcome, previous: DealOutcome | undefined): Promise<void> {
    const current = copyKeysOf(portalId, outcome);
    const stale = previous ? copyKeysOf(portalId, previous).filter((key) => !current.some(({ PK, SK }) => PK === key.PK && SK === key.SK)) : [];
    await this.table.batchDelete(stale);
    await Promise.all(
      copiesOf(outcome).map(({ touchpointId, copy }) =>
        this.table.put({ ...keys.dealOutcomeCopy(portalId, touchpointId, periodOf(copy.closedAt), copy.dealId), ...closedDealItem(copy), score: copy.score }),
      ),
    );
    const { scores, ...deal } = outcome;
    await this.table.put({ ...keys.dealOutcome(portalId, outcome.dealId), ...closedDealItem(deal), scores });
  }

  /** The deal is open again: its outcome and copies go, the copies first. */
  async removeDealOutcome(portalId: number, previous: DealOutcome): Promise<void> {
    await this.table.batchDelete(copyKeysOf(portalId, previous));
    await this.table.delete(keys.dealOutcome(portalId, previous.dealId));
  }

  async saveDealAtRisk(portalId: number, deal: DealAtRisk): Promise<void> {
    await this.table.put({ ...keys.dealAtRisk(portalId, deal.dealId), ...keys.dealsAtRisk(portalId), ...atRiskSortKey(deal.amount, deal.dealId), ...deal });
  }

  async removeDealAtRisk(portalId: number, dealId: string): Promise<void> {
    await this.table.delete(keys.dealAtRisk(portalId, dealId));
  }

  /** The portal's most valuable deals at risk, in one Query of GSI1 (eventually consistent, as every index read). */
  async dealsAtRisk(portalId: number, limit: number): Promise<DealAtRisk[]> {
    const items = await this.table.queryPage({
      IndexName: tableSchema.dueIndex.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': tableSchema.dueIndex.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.dealsAtRisk(portalId).GSI1PK },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map(({ dealId, dealName, amount, ownerId, redTouchpointIds, redSince }) => ({ dealId, dealName, amount, ownerId, redTouchpointIds, redSince }));
  }
}
