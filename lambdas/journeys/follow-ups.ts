import type { Client } from '@hubspot/api-client';
import type { TouchpointDefinition } from '@touchpoints/contracts';
import { daysLate, followUpTimerId, keepFollowUp, startFollowUp, type FollowUp, type FollowUpEvidence } from '../domain/follow-up.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readDealLastContacted, readOwner } from '../hubspot/crm.js';
import { logger } from '../logger.js';
import type { RecordRef } from '../store/keys.js';
import type { TouchpointsStore } from '../store/store.js';
import type { OnceEffects } from './once.js';
import type { RecordProperties } from './record-properties.js';

export interface FollowUpPorts {
  store: Pick<TouchpointsStore, 'clearTimer' | 'dealFollowUps' | 'getFollowUp' | 'getTouchpoint' | 'saveFollowUp' | 'setTimer'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  now: () => Date;
  backoff?: BackoffOptions;
}

/**
 * The follow-up lifecycle: promises started when a deal passes a touchpoint, kept (or kept late)
 * by a stage or a logged contact, missed at their deadline with one task for the owner.
 */
export class FollowUps {
  constructor(
    private readonly ports: FollowUpPorts,
    private readonly effects: OnceEffects,
    private readonly properties: RecordProperties,
  ) {}

  /** The promises of the touchpoints a deal just passed: stored pending, with a deadline timer. */
  async startFollowUps(
    portalId: number,
    deal: { dealId: string; ownerId?: string | undefined; contactIds: string[]; companyId?: string | undefined },
    touchpoints: readonly TouchpointDefinition[],
    startedAt: Date,
    stageLabel: (stageId: string) => string,
  ): Promise<void> {
    const { store } = this.ports;
    for (const touchpoint of touchpoints) {
      const started = startFollowUp(touchpoint, deal, startedAt, stageLabel);
      if (!started) continue;
      // A replay keeps the stored promise; one cut short before its timer gets the timer now.
      const followUp = (await store.getFollowUp(portalId, deal.dealId, touchpoint.id)) ?? started;
      if (followUp.status !== 'pending') continue;
      // Saved again on a replay: a crash may have cut its copies on the contact and company records.
      await store.saveFollowUp(portalId, followUp);
      await store.setTimer(portalId, { id: followUpTimerId(deal.dealId, touchpoint.id), kind: 'follow_up', dueAt: followUp.dueAt, dealId: deal.dealId, touchpointId: touchpoint.id });
    }
  }

  /** The deal entered a stage or someone logged contact: the promises this keeps are kept (or kept late). */
  async recordEvidence(portalId: number, dealId: string, evidence: FollowUpEvidence): Promise<void> {
    const { store } = this.ports;
    const settled: FollowUp[] = [];
    for (const followUp of await store.dealFollowUps(portalId, dealId)) {
      const kept = keepFollowUp(followUp, evidence);
      if (!kept) continue;
      await store.saveFollowUp(portalId, kept);
      if (kept.status === 'kept') await store.clearTimer(portalId, followUpTimerId(dealId, kept.touchpointId));
      if (followUp.status === 'missed') settled.push(kept);
      logger.info('follow-up kept', { portalId, dealId, touchpointId: kept.touchpointId, status: kept.status, daysLate: daysLate(kept) });
    }
    // A miss kept late no longer counts as missed on the records.
    if (settled.length) {
      // Every record of every settled promise, each once (they share the deal, often the contacts).
      const records = new Map(settled.flatMap(followUpRecords).map((record) => [`${record.objectType}/${record.objectId}`, record]));
      await this.properties.refresh(portalId, [...records.values()]);
    }
  }

  /**
   * A promise's deadline: kept if HubSpot shows the contact after all, else
   * missed, with one task for the owner. A run that failed after recording the
   * miss is finished by the next one (the timer stays until this returns).
   */
  async followUpDeadline(portalId: number, dealId: string, touchpointId: string): Promise<'kept' | 'missed' | 'settled'> {
    const { store, now } = this.ports;
    const followUp = await store.getFollowUp(portalId, dealId, touchpointId);
    if (!followUp || (followUp.status !== 'pending' && followUp.status !== 'missed')) return 'settled';
    const client = await this.ports.hubspot.forPortal(portalId);
    if (followUp.status === 'pending' && followUp.expectation.expect === 'engagement') {
      // The webhook may have been lost; HubSpot's own "last contacted" has the last word.
      const lastContacted = await readDealLastContacted(client, dealId, this.ports.backoff);
      const kept = lastContacted && keepFollowUp(followUp, { kind: 'engagement', at: lastContacted });
      if (kept) {
        await store.saveFollowUp(portalId, kept);
        return 'kept';
      }
    }
    let missed = followUp;
    if (followUp.status === 'pending') {
      const owner = followUp.ownerId ? await readOwner(client, followUp.ownerId, this.ports.backoff) : undefined;
      missed = { ...followUp, status: 'missed', ...(owner ? { ownerName: owner.name } : {}) };
    }
    // Also when finishing a run that failed after recording the miss: its copies may be cut short.
    await store.saveFollowUp(portalId, missed);
    const touchpoint = (await store.getTouchpoint(portalId, touchpointId))?.value;
    const taskKey = `task-missed-${dealId}-${touchpointId}`;
    await this.effects.ownerTask(
      portalId,
      client,
      {
        reference: taskKey,
        ownerId: followUp.ownerId,
        subject: `Missed follow-up: ${followUp.promise}`,
        body: `After "${touchpoint?.name ?? touchpointId}" on ${followUp.startedAt.toISOString().slice(0, 10)} the company promised: ${followUp.promise}. It was due ${followUp.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC and has not happened. Contact the customer now.`,
        dueAt: now(),
        dealId,
        contactIds: followUp.contactIds,
      },
      this.ports.backoff,
    );
    await this.properties.refresh(portalId, followUpRecords(missed));
    return 'missed';
  }
}

function followUpRecords(followUp: FollowUp): RecordRef[] {
  return [
    { objectType: 'deal', objectId: followUp.dealId },
    ...followUp.contactIds.map((objectId) => ({ objectType: 'contact' as const, objectId })),
    ...(followUp.companyId ? [{ objectType: 'company' as const, objectId: followUp.companyId }] : []),
  ];
}
