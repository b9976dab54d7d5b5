import type { DealContext } from '../domain/deal.js';
import { fatigueWindow, planInvitations, type InvitationDecision } from '../domain/invitations.js';
import { surveyTimerId } from '../domain/journey.js';
import { touchpointsStartedBy } from '../domain/matching.js';
import type { PortalSettings, TouchpointDefinition, TrafficLight } from '@touchpoints/contracts';
import type { DealStageChanged, QueuedEvent } from '../domain/webhook-event.js';
import { readDealContexts, readDealPipelines } from '../hubspot/crm.js';
import { ClosedLoop, type ClosedLoopPorts } from './closed-loop.js';
import { eventReceivesBeforeDeadLetter } from '../queue/events-queue.js';
import { PortalNotConfiguredError } from '../errors.js';
import { logger } from '../logger.js';
import type { TouchpointsStore } from '../store/store.js';

function isStageChange(event: QueuedEvent): event is DealStageChanged {
  return event.subscriptionType === 'object.propertyChange' && event.propertyName === 'dealstage';
}

/** What processing a deal event needs from outside: handed in, so tests need no module mocks. */
export type DealEventPorts = ClosedLoopPorts & {
  store: Pick<
    TouchpointsStore,
    'cancelScheduledInvitation' | 'claimSurveySlot' | 'clearTimer' | 'createInvitation' | 'forgetContact' | 'getInstall' | 'getInvitation' | 'getSettings' | 'getSurveySlot' | 'listInvitations' | 'listTouchpoints' | 'markWebhookEventSeen' | 'recordDealStage' | 'recordUnaskedTouchpoint' | 'repairInvitationMirrors' | 'setTimer' | 'skipInvitation' | 'surveyOptOuts' | 'takeSurveySlot' | 'webhookEventSeen'
  >;
};

/** One portal's share of an SQS batch, read once: its touchpoints, settings and the deals in play. */
interface PortalBatch {
  touchpoints: TouchpointDefinition[];
  settings: PortalSettings | undefined;
  deals: Map<string, DealContext>;
  /** Read only when a promise needs a stage's name. */
  stageLabels: () => Promise<Map<string, string>>;
}

export type DealEventOutcome = 'duplicate' | 'recorded' | 'deal_gone' | 'cancelled' | 'forgotten' | 'contacted' | 'answered' | `answered_${TrafficLight}` | 'not_installed';

/**
 * Turns HubSpot's deal events into journeys and invitations. `prepare` reads
 * what a whole SQS batch needs in one round per portal (store and HubSpot
 * batch calls); `process` then handles one event, idempotently: every write is
 * keyed by the event, deal, touchpoint and contact, so a redelivered event
 * changes nothing.
 */
export class DealEventProcessor {
  private readonly portals = new Map<number, Promise<PortalBatch>>();
  /** Per portal, whether it has the app installed: read once per batch. */
  private readonly installed = new Map<number, Promise<boolean>>();
  /** Per deal, its last event's work and whether SQS will hand that event over again if it fails. */
  private readonly dealQueues = new Map<string, { done: Promise<unknown>; retried: boolean }>();
  private readonly closedLoop: ClosedLoop;

  constructor(private readonly ports: DealEventPorts) {
    this.closedLoop = new ClosedLoop(ports);
  }

  /** Starts the batch's reads; failures surface on the events of the portal that failed. */
  prepare(events: readonly QueuedEvent[]): void {
    const stageChanges = events.filter(isStageChange);
    const byPortal = Map.groupBy(stageChanges, ({ portalId }) => portalId);
    for (const [portalId, portalEvents] of byPortal) {
      const batch = this.readPortalBatch(portalId, portalEvents);
      batch.catch(() => undefined); // surfaced per event in process()
      this.portals.set(portalId, batch);
    }
  }

  /**
   * Events of one deal run one after another, in the order the batch holds
   * them (HubSpot's order of occurrence); different deals run side by side.
   * So the earlier stage always claims the contact's survey slot first, and
   * when an earlier event fails and will be retried, the deal's later ones
   * fail with it: retried together, they run in order again instead of the
   * later one overtaking it. On the earlier one's last receive they run, so a
   * poison event does not take its deal's later events into the DLQ.
   */
  process(event: QueuedEvent, receiveCount = 1): Promise<DealEventOutcome> {
    const deal = event.subscriptionType === 'contact.privacyDeletion' ? `contact ${event.objectId}` : 'dealId' in event ? event.dealId : event.objectId;
    const key = `${event.portalId}/${deal}`;
    const previous = this.dealQueues.get(key) ?? { done: Promise.resolve(), retried: false };
    const done = previous.done.then(
      () => this.processNow(event),
      (error: unknown) => {
        if (!previous.retried) return this.processNow(event);
        throw new Error(`an earlier event of ${deal} failed, so this one waits for its retry: ${(error as Error).message}`);
      },
    );
    this.dealQueues.set(key, { done, retried: receiveCount < eventReceivesBeforeDeadLetter });
    return done;
  }

  private async processNow(event: QueuedEvent): Promise<DealEventOutcome> {
    const { store } = this.ports;
    // HubSpot still delivers events for a while after an uninstall (and events queued before it);
    // there is nobody to act for, and nothing may be written that the uninstall deleted.
    if (!(await this.isInstalled(event.portalId))) return 'not_installed';
    if (await store.webhookEventSeen(event.portalId, event.eventId)) return 'duplicate';
    let outcome: DealEventOutcome;
    switch (event.subscriptionType) {
      case 'object.propertyChange':
        if (isStageChange(event)) {
          outcome = await this.recordStageEntry(event);
        } else {
          const at = event.propertyValue ? new Date(Number(event.propertyValue)) : new Date(event.occurredAt);
          await this.closedLoop.recordEvidence(event.portalId, event.objectId, { kind: 'engagement', at });
          outcome = 'contacted';
        }
        break;
      case 'touchpoints.answerRecorded': {
        const light = await this.closedLoop.answerRecorded(event.portalId, event, event.eventId);
        outcome = light ? `answered_${light}` : 'answered';
        break;
      }
      case 'object.deletion':
        outcome = await this.cancelDealSurveys(event.portalId, event.objectId);
        break;
      case 'contact.privacyDeletion':
        await store.forgetContact(event.portalId, event.objectId);
        outcome = 'forgotten';
        break;
    }
    // Marked last: a crash before this point redoes idempotent work, never skips it.
    await store.markWebhookEventSeen(event.portalId, event.eventId);
    return outcome;
  }

  private isInstalled(portalId: number): Promise<boolean> {
    let installed = this.installed.get(portalId);
    if (!installed) {
      installed = this.ports.store.getInstall(portalId).then((install) => {
        if (!install) logger.warn('events dropped: the portal has not installed Touchpoints', { portalId }); // once per portal and batch
        return Boolean(install);
      });
      this.installed.set(portalId, installed);
    }
    return installed;
  }

  private async readPortalBatch(portalId: number, events: readonly DealStageChanged[]): Promise<PortalBatch> {
    const { store } = this.ports;
    const [touchpoints, settings] = await Promise.all([store.listTouchpoints(portalId), store.getSettings(portalId)]);
    // Every deal is read, for its pipeline in the stage history; one batch call holds them all.
    const client = await this.ports.hubspot.forPortal(portalId);
    const deals = await readDealContexts(client, events.map(({ objectId }) => objectId), this.ports.backoff);
    let stageLabels: Promise<Map<string, string>> | undefined;
    return {
      touchpoints: touchpoints.map(({ value }) => value),
      settings: settings?.value,
      deals,
      stageLabels: () =>
        (stageLabels ??= readDealPipelines(client, this.ports.backoff).then(
          (pipelines) => new Map(pipelines.flatMap(({ stages }) => stages.map(({ id, label }) => [id, label]))),
        )),
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

  private async recordStageEntry(event: DealStageChanged): Promise<DealEventOutcome> {
    const { store } = this.ports;
    const { touchpoints, settings, deals, stageLabels } = await this.portalBatch(event);
    let deal = deals.get(event.objectId);
    if (!deal) {
      // Not in the batch read (prepared without it, or HubSpot lagged): ask once more for this deal alone.
      deal = (await readDealContexts(await this.ports.hubspot.forPortal(event.portalId), [event.objectId], this.ports.backoff)).get(event.objectId);
    }
    if (!deal) return 'deal_gone';

    const enteredAt = new Date(event.occurredAt);
    const entry = { pipelineId: deal.pipelineId, stageId: event.propertyValue };
    await this.closedLoop.recordEvidence(event.portalId, deal.dealId, { kind: 'stage', stageId: entry.stageId, at: enteredAt });
    const started = touchpointsStartedBy(entry, touchpoints);
    const promising = started.filter(({ followUp }) => followUp);
    if (promising.length) {
      const labels = await stageLabels();
      const contactIds = deal.contacts.map(({ contactId }) => contactId);
      await this.closedLoop.startFollowUps(event.portalId, { ...deal, contactIds }, promising, enteredAt, (stageId) => labels.get(stageId) ?? stageId);
    }
    if (started.length > 0 && !settings) throw new PortalNotConfiguredError(event.portalId);

    const [, optOuts] = await Promise.all([
      store.recordDealStage(event.portalId, { dealId: deal.dealId, ...entry, enteredAt, eventId: event.eventId }),
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
    const [dealId, touchpointId] = slot.invitationKey.split('/');
    if (!dealId || !touchpointId) return false;
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
    const slotKey = `${deal.dealId}/${touchpointId}`;
    if (window && !(await store.claimSurveySlot(portalId, contactId, slotKey, decision.sendAt, window)) && !(await this.displaceLaterSurvey(portalId, contactId, slotKey, decision.sendAt))) {
      await store.createInvitation(portalId, { ...invitation, status: 'skipped', skipReason: 'fatigue' });
      return;
    }
    await store.createInvitation(portalId, { ...invitation, status: 'scheduled', sendAt: decision.sendAt });
    await store.setTimer(portalId, { id: timerId, kind: 'survey', dueAt: decision.sendAt, dealId: deal.dealId, touchpointId, contactId });
  }

  private async cancelDealSurveys(portalId: number, dealId: string): Promise<DealEventOutcome> {
    const { store } = this.ports;
    for (const invitation of await store.listInvitations(portalId, dealId)) {
      if (invitation.status === 'scheduled') await store.cancelScheduledInvitation(portalId, invitation);
    }
    return 'cancelled';
  }
}
