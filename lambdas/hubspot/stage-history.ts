import type { Client } from '@hubspot/api-client';
import type { DealStageHistory } from '../domain/stage-stays.js';
import { withBackoff, type BackoffOptions } from './backoff.js';

/**
 * Deals per page when their `dealstage` history is asked for. HubSpot's list endpoint: "Usage of
 * this parameter [propertiesWithHistory] will reduce the maximum number of objects that can be read
 * by a single request" (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/get-objects);
 * that maximum is 50, and a larger `limit` is refused with 400
 * (https://github.com/HubSpot/hubspot-api-python/issues/143).
 */
const dealsPerHistoryPage = 50;

/** One page of the portal's deals with the history of their stage (newest first, as HubSpot keeps it), and the cursor of the next page. */
export async function readDealStageHistoryPage(client: Client, after: string | undefined, backoff?: BackoffOptions): Promise<{ deals: DealStageHistory[]; after?: string }> {
  const page = await withBackoff(() => client.crm.deals.basicApi.getPage(dealsPerHistoryPage, after, ['pipeline', 'hubspot_owner_id'], ['dealstage']), backoff);
  const deals = page.results.flatMap(({ id, properties, propertiesWithHistory }): DealStageHistory[] => {
    if (!properties.pipeline) return [];
    return [
      {
        dealId: id,
        pipelineId: properties.pipeline,
        ...(properties.hubspot_owner_id ? { ownerId: properties.hubspot_owner_id } : {}),
        changes: (propertiesWithHistory?.dealstage ?? []).map(({ value, timestamp }) => ({ stageId: value, at: new Date(timestamp) })),
      },
    ];
  });
  const next = page.paging?.next?.after;
  return { deals, ...(next ? { after: next } : {}) };
}
