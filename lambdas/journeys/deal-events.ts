import type { TrafficLight } from '@touchpoints/contracts';
import type { DealStageChanged, QueuedEvent } from '../domain/webhook-event.js';
import { ClosedLoop } from './closed-loop.js';
import { cancelDealSurveys } from './deal-deleted.js';
import { DealOutcomeRecorder } from './deal-outcomes.js';
import { StageEntries, type StageEntryPorts } from './stage-entries.js';
import { backfillStageHistory, type StageHistoryPorts } from './stage-visits.js';
import { eventReceivesBeforeDeadLetter } from '../queue/events-queue.js';
import { logger } from '../logger.js';
import type { TouchpointsStore } from '../store/store.js';

function isStageChange(event: QueuedEvent): event is DealStageChanged {
  return event.subscriptionType === 'object.propertyChange' && event.propertyName === 'dealstage';
}

/** What processing a deal event needs from outside: handed in, so tests need no module mocks. */
export type DealEventPorts = StageEntryPorts & Pick<StageHistoryPorts, 'requestStageHistory'> & {
  store: Pick<TouchpointsStore, 'cancelScheduledInvitation' | 'forgetContact' | 'getInstall' | 'listInvitations' | 'markWebhookEventSeen' | 'webhookEventSeen'>;
};

export type DealEventOutcome = 'duplicate' | 'recorded' | 'deal_gone' | 'cancelled' | 'forgotten' | 'contacted' | 'answered' | `answered_${TrafficLight}` | 'stage_history' | 'not_installed';

/**
 * The router of HubSpot's deal events (and our own answer and stage history events): runs a
 * deal's events in order, drops those of a portal that has not installed the
 * app, skips one already seen, hands each to what it means (a stage entry, a
 * sales activity, an answer, a deleted deal, a forgotten contact), and marks
 * it seen last. Every write is keyed by the event, deal, touchpoint and
 * contact, so a redelivered event changes nothing.
 */
export class DealEventProcessor {
  /** Per portal, whether it has the app installed: read once per batch. */
  private readonly installed = new Map<number, Promise<boolean>>();
  /** Per deal, its last event's work and whether SQS will hand that event over again if it fails. */
  private readonly dealQueues = new Map<string, { done: Promise<unknown>; retried: boolean }>();
  private readonly closedLoop: ClosedLoop;
  private readonly stageEntries: StageEntries;
  private readonly outcomes: DealOutcomeRecorder;

  constructor(private readonly ports: DealEventPorts) {
    this.closedLoop = new ClosedLoop(ports);
    this.outcomes = new DealOutcomeRecorder(ports);
    this.stageEntries = new StageEntries(ports, this.closedLoop, this.outcomes);
  }

  /** Starts the batch's reads (one round per portal); failures surface on the events of the portal that failed. */
  prepare(events: readonly QueuedEvent[]): void {
    this.stageEntries.prepare(events.filter(isStageChange));
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
    const deal =
      event.subscriptionType === 'contact.privacyDeletion'
        ? `contact ${event.objectId}`
        : event.subscriptionType === 'touchpoints.stageHistoryRequested'
          ? 'stage history'
          : 'dealId' in event
            ? event.dealId
            : event.objectId;
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
          outcome = await this.stageEntries.record(event);
        } else {
          const at = event.propertyValue ? new Date(Number(event.propertyValue)) : new Date(event.occurredAt);
          await this.closedLoop.recordEvidence(event.portalId, event.objectId, { kind: 'engagement', at });
          outcome = 'contacted';
        }
        break;
      case 'touchpoints.answerRecorded': {
        const light = await this.closedLoop.answerRecorded(event.portalId, event);
        await this.outcomes.answerRecorded(event.portalId, event.dealId);
        outcome = light ? `answered_${light}` : 'answered';
        break;
      }
      case 'object.deletion':
        await cancelDealSurveys(store, event.portalId, event.objectId);
        await this.outcomes.dealDeleted(event.portalId, event.objectId);
        outcome = 'cancelled';
        break;
      case 'contact.privacyDeletion':
        await store.forgetContact(event.portalId, event.objectId);
        outcome = 'forgotten';
        break;
      case 'touchpoints.stageHistoryRequested':
        await backfillStageHistory(this.ports, event);
        outcome = 'stage_history';
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
}
