import type { Client } from '@hubspot/api-client';
import type { PropertyVersion } from '../domain/interviews.js';
import { chunks } from '../domain/chunks.js';
import { withBackoff, type BackoffOptions } from './backoff.js';

const notesProperty = 'hs_task_body';

/**
 * The history of each task's notes (`hs_task_body`), newest first as HubSpot keeps it: one batch
 * read per 100 tasks with `propertiesWithHistory`
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/batch/get-objects).
 * A task deleted in HubSpot is not in the result.
 */
export async function readTaskNotesHistory(client: Client, taskIds: readonly string[], backoff?: BackoffOptions): Promise<Map<string, PropertyVersion[]>> {
  const pages = await Promise.all(
    chunks([...new Set(taskIds)], 100).map((ids) =>
      withBackoff(() => client.crm.objects.tasks.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [notesProperty], propertiesWithHistory: [notesProperty] }), backoff),
    ),
  );
  return new Map(
    pages
      .flatMap((page) => page.results)
      .map((task) => [
        task.id,
        (task.propertiesWithHistory?.[notesProperty] ?? []).map(({ value, timestamp, sourceType, sourceId }) => ({
          value,
          timestamp: new Date(timestamp),
          sourceType,
          ...(sourceId ? { sourceId } : {}),
        })),
      ]),
  );
}
