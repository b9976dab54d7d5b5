/**
 * Timers: one item per pending survey, reminder or follow-up deadline, also kept in GSI1
 * under one of a few due-time shards, so the due λ finds every timer that came due with
 * one Query per shard, however long it was away. The index is the one place where a
 * Query spans portals.
 */
import type { Timer } from '../domain/journey.js';
import { dueSortKey, dueSortKeyUpTo, keys } from './keys.js';
import type { TableAccess } from './table-access.js';
import { tableSchema } from './table.js';

export const timerShards = 4;

/** Spreads one minute's timers over shards so no index partition gets hot. */
export function timerShard(timerId: string): number {
  let hash = 0;
  for (const character of timerId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash % timerShards;
}

export class Timers {
  constructor(private readonly table: TableAccess) {}

  /**
   * Setting the same timer again moves it; it never doubles. A timer already
   * due sorts before now in its shard, so the next run finds it.
   */
  async setTimer(portalId: number, timer: Timer): Promise<void> {
    await this.table.put(timerItem(portalId, timer));
  }

  /**
   * Up to `limit` timers of one shard due by `upTo` (GSI1), earliest first, or the ones after
   * `after` (a timer of an earlier page, moved or cleared since or not); a timer stays until cleared.
   */
  async dueTimers(shard: number, upTo: Date, limit: number, after?: Timer & { portalId: number }): Promise<(Timer & { portalId: number })[]> {
    const items = await this.table.queryPage({
      IndexName: tableSchema.dueIndex.name,
      KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
      ExpressionAttributeNames: { '#pk': tableSchema.dueIndex.partitionKey, '#sk': tableSchema.dueIndex.sortKey },
      ExpressionAttributeValues: { ':pk': keys.dueShard(shard).GSI1PK, ':upTo': dueSortKeyUpTo(upTo) },
      Limit: limit,
      ...(after ? { ExclusiveStartKey: timerIndexKey(after.portalId, after) } : {}),
    });
    return items.map(({ id, kind, dueAt, dealId, touchpointId, contactId, portalId }) => ({
      id,
      kind,
      dueAt: new Date(dueAt),
      dealId,
      touchpointId,
      portalId,
      ...(contactId === undefined ? {} : { contactId }),
    }));
  }

  /**
   * Moves a timer that is still there to `dueAt` (a paused portal's survey waits); false when
   * it was cleared meanwhile, which it stays.
   */
  async postponeTimer(portalId: number, timer: Timer, dueAt: Date): Promise<boolean> {
    return this.table.putIf(timerItem(portalId, { ...timer, dueAt }), 'attribute_exists(PK)');
  }

  /**
   * Moves a timer still due at `timer.dueAt` to `dueAt` (the due run's lease on a handed-out
   * timer, and its release); false when it was cleared or set anew meanwhile, which stands.
   */
  async moveTimer(portalId: number, timer: Timer, dueAt: Date): Promise<boolean> {
    return this.table.putIf(timerItem(portalId, { ...timer, dueAt }), 'dueAt = :dueAt', { ':dueAt': timer.dueAt.toISOString() });
  }

  /** With `dueAt`, only while the timer still falls due then: a timer moved meanwhile stays for its new time. */
  async clearTimer(portalId: number, timerId: string, dueAt?: Date): Promise<void> {
    if (dueAt) await this.table.deleteIf(keys.timer(portalId, timerId), 'dueAt = :dueAt', { ':dueAt': dueAt.toISOString() });
    else await this.table.delete(keys.timer(portalId, timerId));
  }
}

/** Where a timer sits in GSI1: its own key with its shard and due-time sort key (an index page's ExclusiveStartKey). */
function timerIndexKey(portalId: number, timer: Timer) {
  return { ...keys.timer(portalId, timer.id), ...keys.dueShard(timerShard(timer.id)), ...dueSortKey(timer.dueAt, timer.id) };
}

/** A timer's item: under its own key, and in its GSI1 shard sorted by when it falls due. */
function timerItem(portalId: number, timer: Timer) {
  return {
    ...timerIndexKey(portalId, timer),
    portalId,
    ...timer,
    dueAt: timer.dueAt.toISOString(),
  };
}
