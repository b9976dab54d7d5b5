import type { Client } from '@hubspot/api-client';
import { defaultLightThresholds, type LightThresholds, type PipelineStages, type TouchpointDefinition } from '@touchpoints/contracts';
import type { DealContext } from '../domain/deal.js';
import { dealAtRisk, type DealOutcomeKind, redAnswersOf, scoresAtClose } from '../domain/deal-outcomes.js';
import type { SurveyResponse } from '../domain/response.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readDealContexts, readDealPipelines } from '../hubspot/crm.js';
import type { TouchpointsStore } from '../store/store.js';

/** What keeping closed deals and deals at risk needs from outside. */
export interface DealOutcomePorts {
  store: Pick<
    TouchpointsStore,
    'getDealOutcome' | 'getSettings' | 'listTouchpoints' | 'recordResponses' | 'removeDealAtRisk' | 'removeDealOutcome' | 'saveDealAtRisk' | 'saveDealOutcome'
  >;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  backoff?: BackoffOptions;
}

/** The stages that close a deal, "{pipeline}/{stage}" → won or lost, from HubSpot's stage metadata. */
export type ClosingStages = ReadonlyMap<string, DealOutcomeKind>;

export const closingStagesOf = (pipelines: readonly PipelineStages[]): ClosingStages =>
  new Map(pipelines.flatMap(({ id, stages }) => stages.flatMap(({ id: stageId, closedAs }) => (closedAs ? [[`${id}/${stageId}`, closedAs] as const] : []))));

/** What a stage entry knows of its portal: the touchpoints, the light thresholds, the closing stages. */
interface PortalOutcomeContext {
  touchpoints: readonly TouchpointDefinition[];
  thresholds: LightThresholds | undefined;
  closing: ClosingStages;
}

/**
 * The touchpoints whose answers can explain how a deal closes: known ones asked before a close,
 * not one on a closing stage (its answer comes after the outcome) nor one asked after a lost deal.
 */
function askedBeforeClose({ touchpoints, closing }: Pick<PortalOutcomeContext, 'touchpoints' | 'closing'>): (touchpointId: string) => boolean {
  const counted = new Set(
    touchpoints.filter(({ afterLostDeal, trigger }) => !afterLostDeal && !closing.has(`${trigger.pipelineId}/${trigger.stageId}`)).map(({ id }) => id),
  );
  return (touchpointId) => counted.has(touchpointId);
}

/**
 * Closed deals and deals at risk, kept as the deals move (the events λ). A deal entering a closing
 * stage keeps its outcome with each touchpoint's score at that moment (a later close overwrites
 * it) and is no longer at risk; a deal entering an open stage loses any outcome (it reopened) and
 * is at risk while any of its answers is red. After each answer the deal's red answers are counted
 * again, and HubSpot asked whether the deal is still open. Each step recomputes from the deal's own
 * answers, so a replayed event changes nothing.
 */
export class DealOutcomeRecorder {
  constructor(private readonly ports: DealOutcomePorts) {}

  async stageEntered(portalId: number, deal: DealContext, closedAs: DealOutcomeKind | undefined, at: Date, portal: PortalOutcomeContext): Promise<void> {
    const { store } = this.ports;
    const [responses, previous] = await Promise.all([store.recordResponses(portalId, { objectType: 'deal', objectId: deal.dealId }), store.getDealOutcome(portalId, deal.dealId)]);
    // HubSpot delivered an older move after a newer close: the close stands.
    if (previous && previous.closedAt > at) return;
    const counted = askedBeforeClose(portal);
    if (closedAs) {
      const closed = { dealId: deal.dealId, outcome: closedAs, closedAt: at, ...(deal.amount === undefined ? {} : { amount: deal.amount }), ...(deal.ownerId ? { ownerId: deal.ownerId } : {}) };
      await store.saveDealOutcome(portalId, { ...closed, scores: scoresAtClose(responses, counted) }, previous);
      await store.removeDealAtRisk(portalId, deal.dealId);
      return;
    }
    if (previous) await store.removeDealOutcome(portalId, previous);
    await this.keepAtRisk(portalId, deal.dealId, deal, redAnswersOf(responses, portal.thresholds ?? defaultLightThresholds, counted));
  }

  /** An answer was saved: the deal is at risk while it is open and any of its answers is red. */
  async answerRecorded(portalId: number, dealId: string): Promise<void> {
    const { store } = this.ports;
    const [responses, settings, touchpoints] = await Promise.all([
      store.recordResponses(portalId, { objectType: 'deal', objectId: dealId }),
      store.getSettings(portalId),
      store.listTouchpoints(portalId),
    ]);
    const known = new Set(touchpoints.filter(({ value }) => !value.afterLostDeal).map(({ value }) => value.id));
    const red = redAnswersOf(responses, settings?.value.lightThresholds ?? defaultLightThresholds, (touchpointId) => known.has(touchpointId));
    if (red.length === 0) return this.keepAtRisk(portalId, dealId, undefined, red);
    // Whether the deal is still open, its amount and owner: HubSpot's, as of now.
    const client = await this.ports.hubspot.forPortal(portalId);
    const [deals, pipelines] = await Promise.all([readDealContexts(client, [dealId], this.ports.backoff), readDealPipelines(client, this.ports.backoff)]);
    const deal = deals.get(dealId);
    const open = deal && !closingStagesOf(pipelines).has(`${deal.pipelineId}/${deal.stageId}`);
    await this.keepAtRisk(portalId, dealId, open ? deal : undefined, red);
  }

  /** A deleted deal is at risk no more; how it closed, if it did, stays a fact of its month. */
  dealDeleted(portalId: number, dealId: string): Promise<void> {
    return this.ports.store.removeDealAtRisk(portalId, dealId);
  }

  /** In the index while the deal is open with a red answer; out of it otherwise. */
  private async keepAtRisk(portalId: number, dealId: string, openDeal: DealContext | undefined, red: readonly SurveyResponse[]): Promise<void> {
    if (openDeal && red.length > 0) await this.ports.store.saveDealAtRisk(portalId, dealAtRisk(openDeal, red));
    else await this.ports.store.removeDealAtRisk(portalId, dealId);
  }
}
