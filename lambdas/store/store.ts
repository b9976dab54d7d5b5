/**
 * The store's facade: every read and write of the table goes through `TouchpointsStore`,
 * which hands each call to the aggregate that owns the items (one file each, all on the
 * shared primitives of table-access.ts, every key from keys.ts), so callers see one store.
 * Operations are key operations, BatchGets, or Queries of one portal's partitions; two
 * reads reach further: the GSI1 due-timer Query spans portals (timers.ts), and forgetting
 * a portal is the one Scan (forgetting.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PortalSettings, TouchpointDefinition } from '@touchpoints/contracts';
import type { SurveyResponse } from '../domain/response.js';
import type { FollowUp } from '../domain/follow-up.js';
import type { DealStageVisit, Invitation, MailKind, SkipReason, Timer } from '../domain/journey.js';
import type { PortalInstall } from '../domain/install.js';
import type { SenderDomainCheck } from '../domain/sender-domain.js';
import type { Period, PeriodSummary, TouchpointPeriodActivity } from '../domain/period-summary.js';
import type { MailSuppression } from '../domain/mail-feedback.js';
import type { Interview } from '../domain/interviews.js';
import type { StageStay } from '../domain/stage-stays.js';
import type { RecordRef } from './keys.js';
import { Contacts } from './contacts.js';
import { DealHistory } from './deal-history.js';
import { DealOutcomes } from './deal-outcomes.js';
import type { DealOutcome } from '../domain/deal-outcomes.js';
import type { DealAtRisk } from '@touchpoints/contracts';
import { EffectsLedger, type OnceClaim } from './effects-ledger.js';
import { FollowUps } from './follow-ups.js';
import { PortalForgetting } from './forgetting.js';
import { Invitations, type InvitationKey, type RecordActivity } from './invitations.js';
import { PortalConfiguration, type SettingsChange } from './portal-configuration.js';
import { PeriodSummaries } from './period-summaries.js';
import { Interviews } from './interviews.js';
import { SenderDomains } from './sender-domains.js';
import { StageStays } from './stage-stays.js';
import { TableAccess, type Item, type Versioned, type VersionedWrite } from './table-access.js';
import { SurveyClicks, type InvitationClicks } from './survey-clicks.js';
import { Timers } from './timers.js';
import type { AutomationSign, SurveyClick } from '../domain/survey-clicks.js';

export type { Versioned, VersionedWrite } from './table-access.js';
export type { SettingsChange } from './portal-configuration.js';
export type { InvitationKey, RecordActivity } from './invitations.js';
export type { InvitationClicks } from './survey-clicks.js';
export { webhookEventRetentionDays, type OnceClaim } from './effects-ledger.js';
export { timerShard, timerShards } from './timers.js';

export class TouchpointsStore {
  /** Deleting an uninstalled portal's items. */
  readonly forgetting: PortalForgetting;
  private readonly portal: PortalConfiguration;
  private readonly ledger: EffectsLedger;
  private readonly deals: DealHistory;
  private readonly outcomes: DealOutcomes;
  private readonly invitations: Invitations;
  private readonly followUps: FollowUps;
  private readonly contacts: Contacts;
  private readonly timers: Timers;
  private readonly clicks: SurveyClicks;
  private readonly senderDomains: SenderDomains;
  private readonly summaries: PeriodSummaries;
  private readonly interviews: Interviews;
  private readonly stays: StageStays;

  constructor(db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) {
    const table = new TableAccess(db, tableName, now);
    this.forgetting = new PortalForgetting(table);
    this.portal = new PortalConfiguration(table);
    this.ledger = new EffectsLedger(table);
    this.deals = new DealHistory(table);
    this.outcomes = new DealOutcomes(table);
    this.timers = new Timers(table);
    this.invitations = new Invitations(table, this.timers);
    this.followUps = new FollowUps(table);
    this.clicks = new SurveyClicks(table);
    this.interviews = new Interviews(table);
    this.summaries = new PeriodSummaries(table, this.invitations);
    this.contacts = new Contacts(table, this.invitations, this.timers, this.clicks, this.interviews, this.summaries);
    this.senderDomains = new SenderDomains(table);
    this.stays = new StageStays(table);
  }

  // -- portal configuration: settings, touchpoints, audit trail, install, journal cursor (portal-configuration.ts) --

  getSettings(portalId: number): Promise<Versioned<PortalSettings> | undefined> { return this.portal.getSettings(portalId); }
  saveSettings(portalId: number, settings: PortalSettings, write: VersionedWrite): Promise<number> { return this.portal.saveSettings(portalId, settings, write); }
  listTouchpoints(portalId: number): Promise<Versioned<TouchpointDefinition>[]> { return this.portal.listTouchpoints(portalId); }
  getTouchpoint(portalId: number, touchpointId: string): Promise<Versioned<TouchpointDefinition> | undefined> { return this.portal.getTouchpoint(portalId, touchpointId); }
  saveTouchpoint(portalId: number, touchpoint: TouchpointDefinition, write: VersionedWrite): Promise<number> { return this.portal.saveTouchpoint(portalId, touchpoint, write); }
  deleteTouchpoint(portalId: number, touchpointId: string, expectedVersion: number): Promise<void> { return this.portal.deleteTouchpoint(portalId, touchpointId, expectedVersion); }
  getInstall(portalId: number): Promise<PortalInstall | undefined> { return this.portal.getInstall(portalId); }
  saveInstall(portalId: number, install: PortalInstall): Promise<void> { return this.portal.saveInstall(portalId, install); }
  claimTokenRefresh(portalId: number, until: Date): Promise<boolean> { return this.portal.claimTokenRefresh(portalId, until); }
  journalOffset(): Promise<string | undefined> { return this.portal.journalOffset(); }
  saveJournalOffset(offset: string): Promise<void> { return this.portal.saveJournalOffset(offset); }
  recordChange(portalId: number, change: SettingsChange): Promise<void> { return this.portal.recordChange(portalId, change); }
  recentChanges(portalId: number, limit?: number): Promise<SettingsChange[]> { return this.portal.recentChanges(portalId, limit); }

  /** Everything the table holds for a portal, deleted at once (the admin disconnected the app). */
  async forgetPortal(portalId: number): Promise<number> {
    let deleted = 0;
    let cursor: Item | undefined;
    do {
      const step = await this.forgetting.step(portalId, cursor, { keepInstall: false });
      deleted += step.deleted;
      cursor = step.cursor;
    } while (cursor);
    return deleted;
  }

  // -- the effects ledger: webhook events seen, side effects claimed once (effects-ledger.ts) --

  webhookEventSeen(portalId: number, eventId: string): Promise<boolean> { return this.ledger.webhookEventSeen(portalId, eventId); }
  markWebhookEventSeen(portalId: number, eventId: string): Promise<boolean> { return this.ledger.markWebhookEventSeen(portalId, eventId); }
  claimOnce(portalId: number, key: string, now: Date): Promise<OnceClaim> { return this.ledger.claimOnce(portalId, key, now); }
  lapseOnce(portalId: number, key: string): Promise<void> { return this.ledger.lapseOnce(portalId, key); }
  releaseOnce(portalId: number, key: string): Promise<void> { return this.ledger.releaseOnce(portalId, key); }
  rememberOnce(portalId: number, key: string, result: string): Promise<void> { return this.ledger.rememberOnce(portalId, key, result); }
  onceState(portalId: number, key: string): Promise<{ result?: string } | undefined> { return this.ledger.onceState(portalId, key); }

  // -- a deal's stage visits and unasked touchpoints (deal-history.ts), its stays by month (stage-stays.ts) --

  recordDealStage(portalId: number, visit: DealStageVisit): Promise<void> { return this.deals.recordDealStage(portalId, visit); }
  dealStageHistory(portalId: number, dealId: string): Promise<DealStageVisit[]> { return this.deals.dealStageHistory(portalId, dealId); }
  saveStageStays(portalId: number, stays: readonly StageStay[]): Promise<void> { return this.stays.saveStageStays(portalId, stays); }
  stageStaysOfPeriod(portalId: number, period: Period): Promise<StageStay[]> { return this.stays.stageStaysOfPeriod(portalId, period); }
  recordUnaskedTouchpoint(portalId: number, dealId: string, touchpointId: string, passedAt: Date): Promise<void> { return this.deals.recordUnaskedTouchpoint(portalId, dealId, touchpointId, passedAt); }

  // -- closed deals and deals at risk (deal-outcomes.ts) --

  getDealOutcome(portalId: number, dealId: string): Promise<DealOutcome | undefined> { return this.outcomes.getDealOutcome(portalId, dealId); }
  saveDealOutcome(portalId: number, outcome: DealOutcome, previous: DealOutcome | undefined): Promise<void> { return this.outcomes.saveDealOutcome(portalId, outcome, previous); }
  removeDealOutcome(portalId: number, previous: DealOutcome): Promise<void> { return this.outcomes.removeDealOutcome(portalId, previous); }
  saveDealAtRisk(portalId: number, deal: DealAtRisk): Promise<void> { return this.outcomes.saveDealAtRisk(portalId, deal); }
  removeDealAtRisk(portalId: number, dealId: string): Promise<void> { return this.outcomes.removeDealAtRisk(portalId, dealId); }
  dealsAtRisk(portalId: number, limit: number): Promise<DealAtRisk[]> { return this.outcomes.dealsAtRisk(portalId, limit); }

  // -- invitations, their mirrors, answers and a record's activity (invitations.ts) --

  createInvitation(portalId: number, invitation: Invitation): Promise<boolean> { return this.invitations.createInvitation(portalId, invitation); }
  repairInvitationMirrors(portalId: number, invitation: InvitationKey): Promise<void> { return this.invitations.repairInvitationMirrors(portalId, invitation); }
  getInvitation(portalId: number, dealId: string, touchpointId: string, contactId: string): Promise<Invitation | undefined> { return this.invitations.getInvitation(portalId, dealId, touchpointId, contactId); }
  listInvitations(portalId: number, dealId: string): Promise<Invitation[]> { return this.invitations.listInvitations(portalId, dealId); }
  cancelScheduledInvitation(portalId: number, invitation: InvitationKey): Promise<boolean> { return this.invitations.cancelScheduledInvitation(portalId, invitation); }
  claimInvitationSend(portalId: number, invitation: InvitationKey, sentAt: Date): Promise<boolean> { return this.invitations.claimInvitationSend(portalId, invitation, sentAt); }
  claimReminder(portalId: number, invitation: InvitationKey, remindedAt: Date): Promise<boolean> { return this.invitations.claimReminder(portalId, invitation, remindedAt); }
  confirmMailSent(portalId: number, invitation: InvitationKey, kind: MailKind, claimedAt: Date, messageId: string): Promise<boolean> { return this.invitations.confirmMailSent(portalId, invitation, kind, claimedAt, messageId); }
  releaseMailClaim(portalId: number, invitation: InvitationKey, kind: MailKind, claimedAt: Date): Promise<boolean> { return this.invitations.releaseMailClaim(portalId, invitation, kind, claimedAt); }
  skipInvitation(portalId: number, invitation: InvitationKey, reason: SkipReason): Promise<boolean> { return this.invitations.skipInvitation(portalId, invitation, reason); }
  saveResponse(portalId: number, response: SurveyResponse): Promise<void> { return this.invitations.saveResponse(portalId, response); }
  getResponse(portalId: number, invitation: InvitationKey): Promise<SurveyResponse | undefined> { return this.invitations.getResponse(portalId, invitation); }
  recordResponses(portalId: number, record: RecordRef): Promise<SurveyResponse[]> { return this.invitations.recordResponses(portalId, record); }
  recordActivity(portalId: number, record: RecordRef): Promise<RecordActivity> { return this.invitations.recordActivity(portalId, record); }

  // -- the report's monthly summaries, and a month's raw items (period-summaries.ts) --

  periodSummaries(portalId: number, from: Period, to: Period): Promise<PeriodSummary[]> { return this.summaries.periodSummaries(portalId, from, to); }
  savePeriodSummary(portalId: number, summary: PeriodSummary): Promise<void> { return this.summaries.savePeriodSummary(portalId, summary); }
  touchpointPeriodActivity(portalId: number, touchpointId: string, period: Period): Promise<TouchpointPeriodActivity> { return this.summaries.touchpointPeriodActivity(portalId, touchpointId, period); }
  forgetPeriodSummary(portalId: number, period: Period): Promise<void> { return this.summaries.forgetPeriodSummary(portalId, period); }

  // -- interview tasks and the owners' notes in them (interviews.ts) --

  getInterview(portalId: number, invitation: InvitationKey, period: Period): Promise<Interview | undefined> { return this.interviews.getInterview(portalId, invitation, period); }
  recordInterview(portalId: number, interview: Interview): Promise<Interview> { return this.interviews.recordInterview(portalId, interview); }
  recentInterviews(portalId: number, since: Date): Promise<Interview[]> { return this.interviews.recentInterviews(portalId, since); }
  recordInterviewNotes(portalId: number, interview: Interview, notedAt: Date): Promise<void> { return this.interviews.recordInterviewNotes(portalId, interview, notedAt); }

  // -- the clicks on an invitation's survey links, and their verdicts (survey-clicks.ts) --

  recordClick(portalId: number, invitation: InvitationKey, click: SurveyClick): Promise<boolean> { return this.clicks.recordClick(portalId, invitation, click); }
  getClicks(portalId: number, invitation: InvitationKey): Promise<InvitationClicks | undefined> { return this.clicks.getClicks(portalId, invitation); }
  recordVerdicts(portalId: number, invitation: InvitationKey, verdicts: readonly (AutomationSign | null)[]): Promise<void> { return this.clicks.recordVerdicts(portalId, invitation, verdicts); }

  // -- follow-ups (follow-ups.ts) --

  saveFollowUp(portalId: number, followUp: FollowUp): Promise<void> { return this.followUps.saveFollowUp(portalId, followUp); }
  getFollowUp(portalId: number, dealId: string, touchpointId: string): Promise<FollowUp | undefined> { return this.followUps.getFollowUp(portalId, dealId, touchpointId); }
  dealFollowUps(portalId: number, dealId: string): Promise<FollowUp[]> { return this.followUps.dealFollowUps(portalId, dealId); }

  // -- a contact's survey slot, opt-out, privacy deletion and mail suppression (contacts.ts) --

  claimSurveySlot(portalId: number, contactId: string, invitationKey: string, sendAt: Date, window: { after: Date; before: Date }): Promise<boolean> { return this.contacts.claimSurveySlot(portalId, contactId, invitationKey, sendAt, window); }
  getSurveySlot(portalId: number, contactId: string): Promise<{ invitationKey: string; sendAt: Date } | undefined> { return this.contacts.getSurveySlot(portalId, contactId); }
  takeSurveySlot(portalId: number, contactId: string, holderKey: string, invitationKey: string, sendAt: Date): Promise<boolean> { return this.contacts.takeSurveySlot(portalId, contactId, holderKey, invitationKey, sendAt); }
  optOutOfSurveys(portalId: number, contactId: string): Promise<void> { return this.contacts.optOutOfSurveys(portalId, contactId); }
  optBackIntoSurveys(portalId: number, contactId: string): Promise<void> { return this.contacts.optBackIntoSurveys(portalId, contactId); }
  surveyOptOuts(portalId: number, contactIds: readonly string[]): Promise<Set<string>> { return this.contacts.surveyOptOuts(portalId, contactIds); }
  forgetContact(portalId: number, contactId: string): Promise<void> { return this.contacts.forgetContact(portalId, contactId); }
  suppressMail(portalId: number, contactId: string, suppression: MailSuppression): Promise<boolean> { return this.contacts.suppressMail(portalId, contactId, suppression); }
  mailSuppression(portalId: number, contactId: string): Promise<MailSuppression | undefined> { return this.contacts.mailSuppression(portalId, contactId); }

  // -- timers on GSI1's due-time shards (timers.ts) --

  setTimer(portalId: number, timer: Timer): Promise<void> { return this.timers.setTimer(portalId, timer); }
  dueTimers(shard: number, upTo: Date, limit: number, after?: Timer & { portalId: number }): Promise<(Timer & { portalId: number })[]> { return this.timers.dueTimers(shard, upTo, limit, after); }
  clearTimer(portalId: number, timerId: string, dueAt?: Date): Promise<void> { return this.timers.clearTimer(portalId, timerId, dueAt); }
  postponeTimer(portalId: number, timer: Timer, dueAt: Date): Promise<boolean> { return this.timers.postponeTimer(portalId, timer, dueAt); }
  moveTimer(portalId: number, timer: Timer, dueAt: Date): Promise<boolean> { return this.timers.moveTimer(portalId, timer, dueAt); }

  // -- the sender's domain as last checked with SES (sender-domains.ts) --

  getSenderDomain(portalId: number): Promise<SenderDomainCheck | undefined> { return this.senderDomains.getSenderDomain(portalId); }
  saveSenderDomain(portalId: number, check: SenderDomainCheck): Promise<void> { return this.senderDomains.saveSenderDomain(portalId, check); }
  claimSenderDomain(domain: string, portalId: number, claimedAt: Date): Promise<number> { return this.senderDomains.claimSenderDomain(domain, portalId, claimedAt); }
}
