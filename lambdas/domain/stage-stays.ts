import type { PipelineStages } from '@touchpoints/contracts';
import type { DealStageVisit } from './journey.js';

/**
 * A deal's stays in its stages, from its stage history: what the report's stage timing is
 * computed from (stage-timing.ts). A stay is kept under the month the deal entered the stage, and
 * carries what the timing needs of the deal's next move and of the pipeline, so a month's timing
 * reads that month's stays and nothing else: no other month, no HubSpot call.
 */

/** What the pipeline says of a stage: HubSpot's stage metadata and display order. */
export interface StageFacts {
  label: string;
  /** Closed won or closed lost (HubSpot's stage metadata, `PipelineStages`' `closedAs`), or open. */
  closed: 'won' | 'lost' | null;
  /** Where a deal in this stage goes next in the pipeline's display order, closed-lost stages left out; none after the last, or from a lost stage. */
  leadsTo?: string;
}

/** Every stage's facts, by stage id, from the pipelines as `readDealPipelines` gives them (stages in display order, won or lost from their metadata). */
export function stageFactsOf(pipelines: readonly PipelineStages[]): Map<string, StageFacts> {
  const facts = new Map<string, StageFacts>();
  for (const pipeline of pipelines) {
    pipeline.stages.forEach(({ id, label, closedAs }, index) => {
      const leadsTo = closedAs === 'lost' ? undefined : pipeline.stages.slice(index + 1).find((stage) => stage.closedAs !== 'lost')?.id;
      facts.set(id, { label, closed: closedAs ?? null, ...(leadsTo ? { leadsTo } : {}) });
    });
  }
  return facts;
}

/** One stay of a deal in a stage: the report's copy of a stage visit, under the month it began. */
export interface StageStay extends DealStageVisit {
  /** The stage a deal here waits for next (`StageFacts.leadsTo`). */
  leadsTo?: string;
  /** The stage is closed (won or lost): a deal here waits for nothing. */
  closed: boolean;
  /** The deal was in this stage already: a value HubSpot's history repeats, or one move the webhook and the backfill both saw. Not a move; not counted. */
  repeat: boolean;
  /** The deal's next move, if it made one: the stage, when, and whether that stage is closed lost. */
  next?: { stageId: string; enteredAt: Date; lost: boolean };
}

/** How far back the install's backfill reads the deals' stage history, and so how far before the install the report's months reach: the timing needs a past, not all of it. */
export const stageHistoryReachDays = 730;

/** A deal's stays kept at most, the newest: one deal's long history cannot grow a stage event's work without bound. */
export const maxStaysPerDeal = 50;

const inVisitOrder = (a: DealStageVisit, b: DealStageVisit) => a.enteredAt.getTime() - b.enteredAt.getTime() || a.eventId.localeCompare(b.eventId);

/** A deal's stays from its stage visits, given in any order and possibly more than once; oldest first. */
export function dealStays(visits: readonly DealStageVisit[], facts: ReadonlyMap<string, StageFacts>): StageStay[] {
  const ordered = [...new Map(visits.map((visit) => [`${visit.enteredAt.toISOString()}#${visit.eventId}`, visit])).values()].sort(inVisitOrder).slice(-maxStaysPerDeal);
  return ordered.map(({ dealId, pipelineId, stageId, enteredAt, eventId, ownerId }, index): StageStay => {
    const next = ordered.slice(index + 1).find((later) => later.stageId !== stageId);
    const fact = facts.get(stageId);
    return {
      dealId,
      pipelineId,
      stageId,
      enteredAt,
      eventId,
      ...(ownerId ? { ownerId } : {}),
      ...(fact?.leadsTo ? { leadsTo: fact.leadsTo } : {}),
      closed: Boolean(fact?.closed),
      repeat: index > 0 && ordered[index - 1]!.stageId === stageId,
      ...(next ? { next: { stageId: next.stageId, enteredAt: next.enteredAt, lost: facts.get(next.stageId)?.closed === 'lost' } } : {}),
    };
  });
}

/** A deal's `dealstage` history as HubSpot keeps it (`propertiesWithHistory`), with the deal's pipeline and owner now. */
export interface DealStageHistory {
  dealId: string;
  pipelineId: string;
  ownerId?: string;
  changes: readonly { stageId: string; at: Date }[];
}

/**
 * The deal's stage changes from `since` on as stage visits, each keyed by its time and stage, so
 * reading the history again writes the same visits. The deal's pipeline and owner are today's:
 * HubSpot's history of `dealstage` does not say them.
 */
export function visitsFromHistory({ dealId, pipelineId, ownerId, changes }: DealStageHistory, since: Date): DealStageVisit[] {
  return changes
    .filter(({ at }) => at.getTime() >= since.getTime())
    .map(({ stageId, at }) => ({ dealId, pipelineId, stageId, enteredAt: at, eventId: `history-${at.getTime()}-${stageId}`, ...(ownerId ? { ownerId } : {}) }))
    .sort(inVisitOrder)
    .slice(-maxStaysPerDeal);
}
