/**
 * The report's copies of deals' stage stays (domain/stage-stays.ts): one partition per calendar
 * month the deals entered their stages, so a month's stage timing is one Query of that month. A
 * deal's stays are written again from its whole stage history at each of its stage events; a stay
 * is keyed by its visit's event, so writing it again overwrites it.
 */
import { periodOf, type Period } from '../domain/period-summary.js';
import type { StageStay } from '../domain/stage-stays.js';
import { chunks } from '../domain/chunks.js';
import { keys } from './keys.js';
import type { Item, TableAccess } from './table-access.js';

/** Stay writes side by side, within the SDK's 50 sockets. */
const writesAtOnce = 10;

export class StageStays {
  constructor(private readonly table: TableAccess) {}

  async saveStageStays(portalId: number, stays: readonly StageStay[]): Promise<void> {
    for (const some of chunks(stays, writesAtOnce)) await Promise.all(some.map((stay) => this.table.put(stayItem(portalId, stay))));
  }

  /** The stays deals began in the month, in key order (by deal, then time). */
  async stageStaysOfPeriod(portalId: number, period: Period): Promise<StageStay[]> {
    const items = await this.table.queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.stageStays(portalId, period).PK } });
    return items.map(stayOf);
  }
}

function stayItem(portalId: number, stay: StageStay): Item {
  const { dealId, pipelineId, stageId, enteredAt, eventId, ownerId, leadsTo, closed, repeat, next } = stay;
  return {
    ...keys.stageStay(portalId, periodOf(enteredAt), dealId, enteredAt, eventId),
    dealId,
    pipelineId,
    stageId,
    enteredAt: enteredAt.toISOString(),
    eventId,
    ...(ownerId ? { ownerId } : {}),
    ...(leadsTo ? { leadsTo } : {}),
    closed,
    repeat,
    ...(next ? { next: { stageId: next.stageId, enteredAt: next.enteredAt.toISOString(), lost: next.lost } } : {}),
  };
}

function stayOf(item: Item): StageStay {
  const next = item.next as { stageId: string; enteredAt: string; lost: boolean } | undefined;
  return {
    dealId: String(item.dealId),
    pipelineId: String(item.pipelineId),
    stageId: String(item.stageId),
    enteredAt: new Date(String(item.enteredAt)),
    eventId: String(item.eventId),
    ...(item.ownerId ? { ownerId: String(item.ownerId) } : {}),
    ...(item.leadsTo ? { leadsTo: String(item.leadsTo) } : {}),
    closed: item.closed === true,
    repeat: item.repeat === true,
    ...(next ? { next: { stageId: next.stageId, enteredAt: new Date(next.enteredAt), lost: next.lost === true } } : {}),
  };
}
