import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Timer } from '../lambdas/domain/journey.js';
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
