import type { Client } from '@hubspot/api-client';
import { dayMs } from '@touchpoints/contracts';
import { chunks } from '../domain/chunks.js';
import type { DealStageVisit } from '../domain/journey.js';
import { dealStays, stageFactsOf, stageHistoryReachDays, visitsFromHistory, type StageFacts } from '../domain/stage-stays.js';
import type { StageHistoryRequested } from '../domain/webhook-event.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readDealPipelines } from '../hubspot/crm.js';
import { readDealStageHistoryPage } from '../hubspot/stage-history.js';
import type { TouchpointsStore } from '../store/store.js';

/** What recording stage visits needs of the store: the deal's visits, and its stays by month. */
export type StageVisitStore = Pick<TouchpointsStore, 'recordDealStage' | 'dealStageHistory' | 'saveStageStays'>;

/**
 * A deal entered a stage: the visit recorded, and the deal's stays written again from its whole
 * history, since a visit changes its own stay and its neighbours' (the stay before now has a next
 * move; one arriving out of order lands between two). Every write is a keyed put.
 */
export async function recordStageVisit(store: StageVisitStore, portalId: number, visit: DealStageVisit, facts: ReadonlyMap<string, StageFacts>): Promise<void> {
  // The put and the history Query side by side: the Query may not see the visit anyway (DynamoDB
  // Queries are eventually consistent), so `writeDealStays` adds it, and a visit seen twice is one stay.
  const [history] = await Promise.all([store.dealStageHistory(portalId, visit.dealId), store.recordDealStage(portalId, visit)]);
  await writeDealStays(store, portalId, history, [visit], facts);
}

async function writeDealStays(store: StageVisitStore, portalId: number, history: readonly DealStageVisit[], written: readonly DealStageVisit[], facts: ReadonlyMap<string, StageFacts>): Promise<void> {
  await store.saveStageStays(portalId, dealStays([...history, ...written], facts));
}


/** The ask for one page of a portal's stage history; the first (`page` 0) when the portal installs. */
export function stageHistoryRequest(portalId: number, requestedAt: Date, next?: { page: number; after: string }): StageHistoryRequested {
  const page = next?.page ?? 0;
  return {
    subscriptionType: 'touchpoints.stageHistoryRequested',
    eventId: `stage-history-${requestedAt.getTime()}-${page}`,
    portalId,
    occurredAt: requestedAt.getTime(),
    page,
    ...(next ? { after: next.after } : {}),
  };
}

export interface StageHistoryPorts {
  store: StageVisitStore;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  /** Puts the ask for the next page on the events queue. */
  requestStageHistory: (request: StageHistoryRequested) => Promise<void>;
  backoff?: BackoffOptions;
}

/** Deals of a page written side by side: each writes its visits and stays a few at a time. */
const dealsAtOnce = 5;

/**
 * One page of the backfill an install asks for, so the report has a past on day one: up to 50
 * deals' `dealstage` history from HubSpot, its changes of the last two years recorded as stage
 * visits (keyed by their time and stage, so a page read twice writes the same items, and a move the
 * webhook recorded too is one stay), each deal's stays written, and the next page asked for. A
 * page's work is bounded; a portal with many deals takes many events, each retried on its own.
 */
export async function backfillStageHistory(ports: StageHistoryPorts, request: StageHistoryRequested): Promise<{ deals: number }> {
  const client = await ports.hubspot.forPortal(request.portalId);
  const [facts, page] = await Promise.all([readDealPipelines(client, ports.backoff).then(stageFactsOf), readDealStageHistoryPage(client, request.after, ports.backoff)]);
  const since = new Date(request.occurredAt - stageHistoryReachDays * dayMs);
  for (const deals of chunks(page.deals, dealsAtOnce)) {
    await Promise.all(
      deals.map(async (deal) => {
        const visits = visitsFromHistory(deal, since);
        if (visits.length === 0) return;
        for (const visit of visits) await ports.store.recordDealStage(request.portalId, visit);
        await writeDealStays(ports.store, request.portalId, await ports.store.dealStageHistory(request.portalId, deal.dealId), visits, facts);
      }),
    );
  }
  if (page.after) await ports.requestStageHistory(stageHistoryRequest(request.portalId, new Date(request.occurredAt), { page: request.page + 1, after: page.after }));
  return { deals: page.deals.length };
}
