import type { TrafficLight } from '@touchpoints/contracts';
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

  startFollowUps(...args: Parameters<FollowUps['startFollowUps']>): Promise<void> {
    return this.followUps.startFollowUps(...args);
  }

  recordEvidence(...args: Parameters<FollowUps['recordEvidence']>): Promise<void> {
    return this.followUps.recordEvidence(...args);
  }

  followUpDeadline(...args: Parameters<FollowUps['followUpDeadline']>): Promise<'kept' | 'missed' | 'settled'> {
    return this.followUps.followUpDeadline(...args);
  }

  answerRecorded(...args: Parameters<AnswerAlerts['answerRecorded']>): Promise<TrafficLight | undefined> {
    return this.alerts.answerRecorded(...args);
  }

  refreshProperties(...args: Parameters<RecordProperties['refresh']>): Promise<void> {
    return this.properties.refresh(...args);
  }
}
