import type { TouchpointDefinition, TrafficLight } from '@touchpoints/contracts';
import type { FollowUpEvidence } from '../domain/follow-up.js';
import type { RecordRef } from '../store/keys.js';
import type { InvitationKey } from '../store/store.js';
import { AnswerAlerts, type AnswerAlertPorts } from './answer-alerts.js';
import { FollowUps, type FollowUpPorts } from './follow-ups.js';
import { OnceEffects, type OncePorts } from './once.js';
import { RecordProperties, type RecordPropertiesPorts } from './record-properties.js';

export type ClosedLoopPorts = FollowUpPorts & AnswerAlertPorts & RecordPropertiesPorts & OncePorts;

/**
 * Closing the loop: follow-up promises started, kept, kept late or missed (follow-ups.ts); a red
 * answer (and yellow, where the portal asks) reaching the deal owner as a HubSpot task at once and
 * the unhappy customer hearing back (answer-alerts.ts); the records' "Touchpoints" properties kept
 * current (record-properties.ts). Every task, note and mail is claimed in the store first
 * (once.ts), so retries and reruns never do it twice.
 */
export class ClosedLoop {
  private readonly followUps: FollowUps;
  private readonly alerts: AnswerAlerts;
  private readonly properties: RecordProperties;

  constructor(ports: ClosedLoopPorts) {
    const effects = new OnceEffects(ports);
    this.properties = new RecordProperties(ports);
    this.followUps = new FollowUps(ports, effects, this.properties);
    this.alerts = new AnswerAlerts(ports, effects, this.properties);
  }

  startFollowUps(
    portalId: number,
    deal: { dealId: string; ownerId?: string | undefined; contactIds: string[]; companyId?: string | undefined },
    touchpoints: readonly TouchpointDefinition[],
    startedAt: Date,
    stageLabel: (stageId: string) => string,
  ): Promise<void> {
    return this.followUps.startFollowUps(portalId, deal, touchpoints, startedAt, stageLabel);
  }

  recordEvidence(portalId: number, dealId: string, evidence: FollowUpEvidence): Promise<void> {
    return this.followUps.recordEvidence(portalId, dealId, evidence);
  }

  followUpDeadline(portalId: number, dealId: string, touchpointId: string): Promise<'kept' | 'missed' | 'settled'> {
    return this.followUps.followUpDeadline(portalId, dealId, touchpointId);
  }

  answerRecorded(portalId: number, invitation: InvitationKey, answerId: string): Promise<TrafficLight | undefined> {
    return this.alerts.answerRecorded(portalId, invitation, answerId);
  }

  refreshProperties(portalId: number, records: readonly RecordRef[]): Promise<void> {
    return this.properties.refresh(portalId, records);
  }
}
