import type { PipelineStages, PortalSettings, TouchpointDefinition } from '@touchpoints/contracts';
import type { DealContext } from '../domain/deal.js';
import { fatigueWindow, planInvitations, type InvitationDecision } from '../domain/invitations.js';
import { surveySlotHolder, surveySlotHolderOf, surveyTimerId } from '../domain/journey.js';
import { touchpointsStartedBy } from '../domain/matching.js';
import type { DealStageChanged } from '../domain/webhook-event.js';
import { PortalNotConfiguredError } from '../errors.js';
import { stageFactsOf, type StageFacts } from '../domain/stage-stays.js';
import { readDealContexts, readDealPipelines } from '../hubspot/crm.js';
import type { TouchpointsStore } from '../store/store.js';
import type { ClosedLoop, ClosedLoopPorts } from './closed-loop.js';
import { type ClosingStages, closingStagesOf, type DealOutcomePorts, type DealOutcomeRecorder } from './deal-outcomes.js';
import { recordStageVisit } from './stage-visits.js';

/** What a stage entry needs from outside. */
export type StageEntryPorts = ClosedLoopPorts & DealOutcomePorts & {
  store: Pick<
    TouchpointsStore,
    'claimSurveySlot' | 'clearTimer' | 'createInvitation' | 'dealStageHistory' | 'getInvitation' | 'getSettings' | 'getSurveySlot' | 'listTouchpoints' | 'recordDealStage' | 'recordUnaskedTouchpoint' | 'repairInvitationMirrors' | 'saveStageStays' | 'setTimer' | 'skipInvitation' | 'surveyOptOuts' | 'takeSurveySlot'
  >;
};

/** One portal's share of an SQS batch, read once: its touchpoints, settings and the deals in play. */
interface PortalBatch {
  touchpoints: TouchpointDefinition[];
  settings: PortalSettings | undefined;
  deals: Map<string, DealContext>;
  /** The pipelines' stages (names for promises, closed stages and order for the stays): read once per batch, when first needed. */
  stageFacts: () => Promise<Map<string, StageFacts>>;
  /** The stages that close a deal (won or lost), from the same read. */
  closingStages: () => Promise<ClosingStages>;
}

/**
 * What a deal entering a stage means: the touchpoints it starts, their follow-up promises, and one
 * invitation per contact (or a skip with its reason), each written idempotently. `prepare` reads
 * what a whole batch of stage changes needs in one round per portal (store and HubSpot batch calls).
 */
export class StageEntries {
  private readonly portals = new Map<number, Promise<PortalBatch>>();

  constructor(
    private readonly ports: StageEntryPorts,
    private readonly closedLoop: ClosedLoop,
    private readonly outcomes: DealOutcomeRecorder,
  ) {}

  /** Starts the batch's reads; failures surface on the events of the portal that failed. */
  prepare(events: readonly DealStageChanged[]): void {
    for (const [portalId, portalEvents] of Map.groupBy(events, ({ portalId }) => portalId)) {
      const batch = this.readPortalBatch(portalId, portalEvents);
      batch.catch(() => undefined); // surfaced per event in record()
      this.portals.set(portalId, batch);
    }
  }

  private async readPortalBatch(portalId: number, events: readonly DealStageChanged[]): Promise<PortalBatch> {
    const { store } = this.ports;
    const [touchpoints, settings] = await Promise.all([store.listTouchpoints(portalId), store.getSettings(portalId)]);
    // Every deal is read, for its pipeline in the stage history; one batch call holds them all.
    const client = await this.ports.hubspot.forPortal(portalId);
    const deals = await readDealContexts(client, events.map(({ objectId }) => objectId), this.ports.backoff);
    // Read when first needed, once per batch; both readings of it made once too.
    let pipelines: Promise<PipelineStages[]> | undefined;
    let facts: Promise<Map<string, StageFacts>> | undefined;
    let closing: Promise<ClosingStages> | undefined;
    const readPipelines = () => (pipelines ??= readDealPipelines(client, this.ports.backoff));
    return {
      touchpoints: touchpoints.map(({ value }) => value),
      settings: settings?.value,
      deals,
      stageFacts: () => (facts ??= readPipelines().then(stageFactsOf)),
      closingStages: () => (closing ??= readPipelines().then(closingStagesOf)),
    };
  }

  private portalBatch(event: DealStageChanged): Promise<PortalBatch> {
    let batch = this.portals.get(event.portalId);
    if (!batch) {
      batch = this.readPortalBatch(event.portalId, [event]);
      this.portals.set(event.portalId, batch);
    }
    return batch;
  }

  /** The deal entered a stage: evidence for promises, follow-ups started, the stage history and the deal's stays, and the invitations its touchpoints plan. */
  async record(event: DealStageChanged): Promise<'recorded' | 'deal_gone'> {
    const { store } = this.ports;
    const { touchpoints, settings, deals, stageFacts, closingStages } = await this.portalBatch(event);
    let deal = deals.get(event.objectId);
    if (!deal) {
      // Not in the batch read (prepared without it, or HubSpot lagged): ask once more for this deal alone.
      deal = (await readDealContexts(await this.ports.hubspot.forPortal(event.portalId), [event.objectId], this.ports.backoff)).get(event.objectId);
    }
    if (!deal) return 'deal_gone';

    const enteredAt = new Date(event.occurredAt);
    const entry = { pipelineId: deal.pipelineId, stageId: event.propertyValue };
    await this.closedLoop.recordEvidence(event.portalId, deal.dealId, { kind: 'stage', stageId: entry.stageId, at: enteredAt });
    const closing = await closingStages();
    await this.outcomes.stageEntered(event.portalId, deal, closing.get(`${entry.pipelineId}/${entry.stageId}`), enteredAt, { touchpoints, thresholds: settings?.lightThresholds, closing });
    const started = touchpointsStartedBy(entry, touchpoints);
    const promising = started.filter(({ followUp }) => followUp);
    if (promising.length) {
      const facts = await stageFacts();
      const contactIds = deal.contacts.map(({ contactId }) => contactId);
      await this.closedLoop.startFollowUps(event.portalId, { ...deal, contactIds }, promising, enteredAt, (stageId) => facts.get(stageId)?.label ?? stageId);
    }
    if (started.length > 0 && !settings) throw new PortalNotConfiguredError(event.portalId);

    const [, optOuts] = await Promise.all([
      stageFacts().then((facts) => recordStageVisit(store, event.portalId, { dealId: deal.dealId, ...entry, enteredAt, eventId: event.eventId, ...(deal.ownerId ? { ownerId: deal.ownerId } : {}) }, facts)),
      started.length ? store.surveyOptOuts(event.portalId, deal.contacts.map(({ contactId }) => contactId)) : new Set<string>(),
    ]);
    if (started.length === 0 || !settings) return 'recorded';

    const plan = planInvitations(started, deal, enteredAt, settings, optOuts);
    await Promise.all(plan.unaskedTouchpointIds.map((touchpointId) => store.recordUnaskedTouchpoint(event.portalId, deal.dealId, touchpointId, enteredAt)));
    // One contact's decisions in order (the fatigue slot is shared); different contacts side by side.
    const byContact = Map.groupBy(plan.decisions, ({ contactId }) => contactId);
    await Promise.all(
      [...byContact.values()].map(async (decisions) => {
        for (const decision of decisions) await this.writeInvitation(event.portalId, deal, decision, settings);
      }),
    );
    return 'recorded';
  }

  /**
   * The fatigue rule asks the survey that goes first, whatever order HubSpot
   * delivered the events in: a slot held by a later survey not yet sent is
   * taken over, and that survey is skipped for fatigue instead.
   */
  private async displaceLaterSurvey(portalId: number, contactId: string, slotKey: string, sendAt: Date): Promise<boolean> {
    const { store } = this.ports;
    const slot = await store.getSurveySlot(portalId, contactId);
    if (!slot || slot.sendAt.getTime() <= sendAt.getTime()) return false;
    const held = surveySlotHolderOf(slot.invitationKey);
    if (!held) return false;
    const { dealId, touchpointId } = held;
    const holder = { dealId, touchpointId, contactId };
    // Only a survey still waiting to go gives way (one already sent, or not yet written, cannot); one
    // skipped for fatigue already (this retry's first try got that far) no longer needs the slot.
    const gaveWay = (await store.skipInvitation(portalId, holder, 'fatigue')) || (await store.getInvitation(portalId, dealId, touchpointId, contactId))?.skipReason === 'fatigue';
    if (!gaveWay) return false;
    await store.clearTimer(portalId, surveyTimerId(dealId, touchpointId, contactId));
    return store.takeSurveySlot(portalId, contactId, slot.invitationKey, slotKey, sendAt);
  }

  private async writeInvitation(portalId: number, deal: DealContext, decision: InvitationDecision, settings: PortalSettings): Promise<void> {
    const { store, now } = this.ports;
    const { touchpointId, contactId, language } = decision;
    const timerId = surveyTimerId(deal.dealId, touchpointId, contactId);
    const existing = await store.getInvitation(portalId, deal.dealId, touchpointId, contactId);
    if (existing) {
      // A retry after a crash between the invitation and its mirrors or its timer: finish the job.
      await store.repairInvitationMirrors(portalId, existing);
      if (existing.status === 'scheduled' && existing.sendAt) await store.setTimer(portalId, { id: timerId, kind: 'survey', dueAt: existing.sendAt, dealId: deal.dealId, touchpointId, contactId });
      return;
    }
    const invitation = {
      dealId: deal.dealId,
      touchpointId,
      contactId,
      language,
      createdAt: now(),
      ...(deal.companyId ? { companyId: deal.companyId } : {}),
      ...(deal.ownerId ? { ownerId: deal.ownerId } : {}),
    };
    if (decision.action === 'skip') {
      await store.createInvitation(portalId, { ...invitation, status: 'skipped', skipReason: decision.skipReason });
      return;
    }
    const window = fatigueWindow(decision.sendAt, settings);
    const slotKey = surveySlotHolder(deal.dealId, touchpointId);
    if (window && !(await store.claimSurveySlot(portalId, contactId, slotKey, decision.sendAt, window)) && !(await this.displaceLaterSurvey(portalId, contactId, slotKey, decision.sendAt))) {
      await store.createInvitation(portalId, { ...invitation, status: 'skipped', skipReason: 'fatigue' });
      return;
    }
    await store.createInvitation(portalId, { ...invitation, status: 'scheduled', sendAt: decision.sendAt });
    await store.setTimer(portalId, { id: timerId, kind: 'survey', dueAt: decision.sendAt, dealId: deal.dealId, touchpointId, contactId });
  }
}
