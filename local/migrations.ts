import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Timer } from '../lambdas/domain/journey.js';
import { periodOf } from '../lambdas/domain/period-summary.js';
import { followUpPrefix, invitationMirrorPrefix, keys, responsePrefix } from '../lambdas/store/keys.js';
import type { TouchpointsStore } from '../lambdas/store/store.js';

/** The index key timers had before they were sorted by due time in shards: `DUE#{minute}#{shard}`. */
const minuteBucketKey = /^DUE#\d{4}-\d\d-\d\dT\d\d:\d\d#\d+$/;

/**
 * Re-sets the timers a persisted local table (`npm start`'s `.data`) still
 * keeps under minute-bucket index keys, so the due λ finds them again.
 * Returns how many it moved. A Scan, run once at start-up, never on a request.
 */
export async function reindexMinuteBucketTimers(documents: DynamoDBDocumentClient, tableName: string, store: TouchpointsStore): Promise<number> {
  let moved = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'SK = :timer AND begins_with(GSI1PK, :due)', ExpressionAttributeValues: { ':timer': 'TIMER', ':due': 'DUE#' }, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) {
      if (!minuteBucketKey.test(String(item.GSI1PK))) continue;
      const { id, kind, dueAt, dealId, touchpointId, contactId, portalId } = item;
      const timer: Timer = { id, kind, dueAt: new Date(dueAt), dealId, touchpointId, ...(contactId === undefined ? {} : { contactId }) };
      await store.setTimer(Number(portalId), timer);
      moved += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return moved;
}

/** A touchpoint's partition before its copies were kept by month: `P#{portal}#touchpoint#{touchpoint}`. */
const wholeTouchpointPartition = /^P#(\d+)#touchpoint#([^#]+)$/;
const touchpointCopyPrefixes = [responsePrefix, invitationMirrorPrefix, followUpPrefix];

/**
 * Moves the answers, invitation copies and follow-ups a persisted local table keeps in a
 * touchpoint's single partition into the touchpoint's month partitions: an invitation copy by
 * the month it was made, its answer by its invitation's, a follow-up by the month it started. An
 * answer whose invitation is gone is dropped, as the store no longer keeps one. Returns how many
 * items it moved. A Scan, run once at start-up, never on a request; a rerun finds nothing left.
 */
export async function splitTouchpointPartitionsByMonth(documents: DynamoDBDocumentClient, tableName: string, store: TouchpointsStore): Promise<number> {
  let moved = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, FilterExpression: 'contains(PK, :touchpoint)', ExpressionAttributeValues: { ':touchpoint': '#touchpoint#' }, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const [, portal, touchpointId] = wholeTouchpointPartition.exec(String(item.PK)) ?? [];
      if (!portal || !touchpointId || !touchpointCopyPrefixes.some((prefix) => String(item.SK).startsWith(prefix))) continue;
      const startedAt = await monthStart(store, Number(portal), item);
      if (startedAt) {
        const period = periodOf(startedAt);
        await documents.send(new PutCommand({ TableName: tableName, Item: { ...item, PK: keys.record(Number(portal), { objectType: 'touchpoint', objectId: touchpointId, period }).PK } }));
        moved += 1;
      }
      await documents.send(new DeleteCommand({ TableName: tableName, Key: { PK: item.PK, SK: item.SK } }));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return moved;
}

/** When the copy's month began: its invitation's `createdAt`, or the follow-up's `startedAt`; none for an answer whose invitation is gone. */
async function monthStart(store: TouchpointsStore, portalId: number, item: Record<string, unknown>): Promise<Date | undefined> {
  const sortKey = String(item.SK);
  if (sortKey.startsWith(invitationMirrorPrefix)) return new Date(String(item.createdAt));
  if (sortKey.startsWith(followUpPrefix)) return new Date(String(item.startedAt));
  return (await store.getInvitation(portalId, String(item.dealId), String(item.touchpointId), String(item.contactId)))?.createdAt;
}
