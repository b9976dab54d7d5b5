/**
 * The effects ledger: what keeps retried work from doing a thing twice. Once-claims
 * guard side effects outside the table (a HubSpot task or note, a reply mail) with a
 * lease, a lapse and a remembered result; seen-marks drop a webhook event HubSpot
 * delivers again. Both are keyed by what caused them and live in their own partitions.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { claimLeaseMs } from '../domain/journey.js';
import { keys } from './keys.js';
import type { TableAccess } from './table-access.js';

/** Where a side effect stands for a run that wants to do it (`claimOnce`). */
export type OnceClaim = 'claimed' | 'taken_over' | 'done' | 'in_flight';

export const webhookEventRetentionDays = 7;
const secondsPerDay = 86_400;

export class EffectsLedger {
  constructor(private readonly table: TableAccess) {}

  // -- once-claims of side effects --

  /**
   * Claims a side effect (a task, a note, a reply mail) for this run:
   * `claimed` the first time; `done` once its result is remembered;
   * `in_flight` while another run's unremembered claim is younger than the
   * lease; `taken_over` when an older one, left by a run that died, is now
   * this run's (that run may or may not have done the effect).
   */
  async claimOnce(portalId: number, key: string, now: Date): Promise<OnceClaim> {
    try {
      const { Attributes } = await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.once(portalId, key), claimedAt: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(PK) OR (attribute_not_exists(#result) AND claimedAt < :staleBefore)',
          ExpressionAttributeNames: { '#result': 'result' },
          ExpressionAttributeValues: { ':staleBefore': new Date(now.getTime() - claimLeaseMs).toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? 'taken_over' : 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.table.get(keys.once(portalId, key)))?.result === undefined ? 'in_flight' : 'done';
    }
  }

  /**
   * The side effect failed, but may have happened all the same (HubSpot timed
   * out or answered 5xx): the claim stays, lapsed at once, so the next try
   * takes it over and looks for what was made before making it.
   */
  async lapseOnce(portalId: number, key: string): Promise<void> {
    await this.table.updateIf(keys.once(portalId, key), {
      UpdateExpression: 'SET claimedAt = :lapsed',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#result)',
      ExpressionAttributeNames: { '#result': 'result' },
      ExpressionAttributeValues: { ':lapsed': new Date(0).toISOString() },
    });
  }

  /** The side effect failed for sure: the claim goes, so a retry tries again. */
  async releaseOnce(portalId: number, key: string): Promise<void> {
    await this.table.delete(keys.once(portalId, key));
  }

  /**
   * Where a side effect stands without claiming it: undefined when nobody claimed it, `{ result }`
   * once it happened (a task's or note's id), `{}` while a claim is unremembered (a run is at it,
   * or died, maybe after making it).
   */
  async onceState(portalId: number, key: string): Promise<{ result?: string } | undefined> {
    const item = await this.table.get(keys.once(portalId, key));
    if (!item) return undefined;
    return item.result === undefined ? {} : { result: String(item.result) };
  }

  /** The side effect happened: from now on every claim of its key answers `done`. */
  async rememberOnce(portalId: number, key: string, result: string): Promise<void> {
    await this.table.put({ ...keys.once(portalId, key), claimedAt: this.table.now().toISOString(), result });
  }

  // -- webhook events already seen --

  async webhookEventSeen(portalId: number, eventId: string): Promise<boolean> {
    return (await this.table.get(keys.webhookEvent(portalId, eventId))) !== undefined;
  }

  /** True the first time an event id is seen for the portal; kept 7 days, as long as HubSpot retries. */
  async markWebhookEventSeen(portalId: number, eventId: string): Promise<boolean> {
    const seenAt = this.table.now();
    const ttl = Math.floor(seenAt.getTime() / 1000) + webhookEventRetentionDays * secondsPerDay;
    return this.table.putIfAbsent({ ...keys.webhookEvent(portalId, eventId), seenAt: seenAt.toISOString(), ttl });
  }
}
