import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { SurveyResponse } from '../domain/response.js';
import type { FollowUp } from '../domain/follow-up.js';
import { claimLeaseMs, reminderTimerId, surveyTimerId, type DealStageVisit, type Invitation, type InvitationStatus, type MailKind, type SkipReason, type Timer } from '../domain/journey.js';
import type { PortalInstall } from '../domain/install.js';
import { PortalSettings, TouchpointDefinition } from '@touchpoints/contracts';
import { VersionConflictError } from '../errors.js';
import { followUpPrefix, invitationMirrorPrefix, keys, responsePrefix, type RecordRef, type TableKey } from './keys.js';
import { PortalForgetting } from './forgetting.js';
import { tableSchema } from './table.js';

type Item = Record<string, NativeAttributeValue>;

/** A stored value with the version an edit must name to replace it (optimistic concurrency). */
export interface Versioned<Value> {
  value: Value;
  version: number;
  changedAt: Date;
  changedBy: string;
}

export interface VersionedWrite {
  /** The version the caller read; undefined when creating. */
  expectedVersion: number | undefined;
  /** Who made the change (HubSpot user email or id), kept for the audit trail. */
  changedBy: string;
}

export const webhookEventRetentionDays = 7;
export const timerShards = 4;
const secondsPerDay = 86_400;

/** Spreads one minute's timers over shards so no index partition gets hot. */
export function timerShard(timerId: string): number {
  let hash = 0;
  for (const character of timerId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash % timerShards;
}

export type InvitationKey = Pick<Invitation, 'dealId' | 'touchpointId' | 'contactId'>;

/** One line of the settings audit trail: who, when, what (in words). */
export interface SettingsChange {
  changedBy: string;
  changedAt: Date;
  change: string;
}

/** What a record's card is made of, read in one Query. */
export interface RecordActivity {
  responses: SurveyResponse[];
  invitations: Invitation[];
  followUps: FollowUp[];
}

/** The records an invitation (and its answer) belongs to. */
function invitationRecords(dealId: string, contactId: string, companyId: string | undefined, touchpointId: string): RecordRef[] {
  return [
    { objectType: 'deal', objectId: dealId },
    { objectType: 'contact', objectId: contactId },
    ...(companyId ? [{ objectType: 'company' as const, objectId: companyId }] : []),
    { objectType: 'touchpoint', objectId: touchpointId },
  ];
}

function followUpFrom({ PK: _pk, SK: _sk, dueAt, startedAt, keptAt, ...followUp }: Item): FollowUp {
  return {
    ...(followUp as Omit<FollowUp, 'dueAt' | 'startedAt' | 'keptAt'>),
    dueAt: new Date(String(dueAt)),
    startedAt: new Date(String(startedAt)),
    ...(keptAt ? { keptAt: new Date(String(keptAt)) } : {}),
  };
}

/** Where a side effect stands for a run that wants to do it (`claimOnce`). */
export type OnceClaim = 'claimed' | 'taken_over' | 'done' | 'in_flight';

/** The contact's one survey slot, held by `invitationKey` for a survey going at `sendAt`. */
function surveySlotItem(portalId: number, contactId: string, invitationKey: string, sendAt: Date): Item {
  return { ...keys.surveySlot(portalId, contactId), invitationKey, lastSurveyAt: sendAt.toISOString() };
}

/** Where each kind of mail keeps its claim and its confirmation on the invitation. */
const mailClaimFields = {
  survey: { claimedAtField: 'sentAt', messageIdField: 'surveyMessageId' },
  reminder: { claimedAtField: 'reminderSentAt', messageIdField: 'reminderMessageId' },
} as const;

/** A conditional update of an invitation: `from` its statuses, with attributes `absent` or `equal` to values. */
interface InvitationChange {
  from?: InvitationStatus[];
  set?: Record<string, string>;
  remove?: string[];
  absent?: string[];
  equal?: Record<string, string>;
}

const dateFields = ['createdAt', 'sendAt', 'sentAt', 'reminderSentAt', 'answeredAt', 'firstAnsweredAt'] as const;

function invitationFrom({ PK: _pk, SK: _sk, revision: _revision, ...stored }: Item): Invitation {
  const invitation = { ...stored } as Item;
  for (const field of dateFields) if (invitation[field] !== undefined) invitation[field] = new Date(String(invitation[field]));
  return invitation as Invitation;
}

function responseFrom(item: Item): SurveyResponse {
  return {
    dealId: String(item.dealId),
    touchpointId: String(item.touchpointId),
    contactId: String(item.contactId),
    ...(item.companyId ? { companyId: String(item.companyId) } : {}),
    score: Number(item.score),
    ...(item.comment ? { comment: String(item.comment) } : {}),
    firstAnsweredAt: new Date(String(item.firstAnsweredAt)),
    answeredAt: new Date(String(item.answeredAt)),
  };
}

/**
 * The one data-access module: every read and write of the table goes through here.
 * Each method is one Query or a few key operations, except forgetting a portal
 * (`forgetting`, the one Scan, a page at a time).
 */
export class TouchpointsStore {
  /** Deleting an uninstalled portal's items. */
  readonly forgetting: PortalForgetting;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.forgetting = new PortalForgetting(db, tableName);
  }

  // -- portal settings and touchpoints (versioned) --

  async getSettings(portalId: number): Promise<Versioned<PortalSettings> | undefined> {
    const item = await this.get(keys.settings(portalId));
    return item && this.versioned(item, PortalSettings.parse(item.settings));
  }

  async saveSettings(portalId: number, settings: PortalSettings, write: VersionedWrite): Promise<number> {
    return this.putVersioned(keys.settings(portalId), { settings }, write, `settings of portal ${portalId}`);
  }

  async listTouchpoints(portalId: number): Promise<Versioned<TouchpointDefinition>[]> {
    const { PK, SKPrefix } = keys.touchpoints(portalId);
    const items = await this.queryPrefix(PK, SKPrefix);
    return items.map((item) => this.versioned(item, TouchpointDefinition.parse(item.touchpoint)));
  }

  async getTouchpoint(portalId: number, touchpointId: string): Promise<Versioned<TouchpointDefinition> | undefined> {
    const item = await this.get(keys.touchpoint(portalId, touchpointId));
    return item && this.versioned(item, TouchpointDefinition.parse(item.touchpoint));
  }

  async saveTouchpoint(portalId: number, touchpoint: TouchpointDefinition, write: VersionedWrite): Promise<number> {
    return this.putVersioned(keys.touchpoint(portalId, touchpoint.id), { touchpoint }, write, `touchpoint ${touchpoint.id}`);
  }

  async deleteTouchpoint(portalId: number, touchpointId: string, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.touchpoint(portalId, touchpointId),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      throw this.conflictOr(error, `touchpoint ${touchpointId}`, expectedVersion);
    }
  }

  // -- the portal's install (OAuth grant) --

  async getInstall(portalId: number): Promise<PortalInstall | undefined> {
    const item = await this.get(keys.install(portalId));
    return item && { accessToken: item.accessToken, refreshToken: item.refreshToken, expiresAt: new Date(item.expiresAt), ...(item.installedAt ? { installedAt: new Date(item.installedAt) } : {}) };
  }

  /**
   * Replaces the grant (and any refresh lease). A refresh keeps the install's time; an install
   * (`installedAt` given) sets it, so an older uninstall read from the journal later leaves it be.
   */
  async saveInstall(portalId: number, install: PortalInstall): Promise<void> {
    const installedAt = install.installedAt ? ':installedAt' : 'if_not_exists(installedAt, :installedAt)';
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.install(portalId),
        UpdateExpression: `SET accessToken = :access, refreshToken = :refresh, expiresAt = :expires, installedAt = ${installedAt} REMOVE refreshLeaseUntil`,
        ExpressionAttributeValues: {
          ':access': install.accessToken,
          ':refresh': install.refreshToken,
          ':expires': install.expiresAt.toISOString(),
          ':installedAt': (install.installedAt ?? this.now()).toISOString(),
        },
      }),
    );
  }

  /** True for the one caller allowed to refresh the portal's token until `until`. */
  async claimTokenRefresh(portalId: number, until: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.install(portalId),
          UpdateExpression: 'SET refreshLeaseUntil = :until',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(refreshLeaseUntil) OR refreshLeaseUntil < :now)',
          ExpressionAttributeValues: { ':until': until.toISOString(), ':now': this.now().toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // -- the app's place in HubSpot's webhooks journal --

  async journalOffset(): Promise<string | undefined> {
    return (await this.get(keys.journalCursor()))?.offset;
  }

  async saveJournalOffset(offset: string): Promise<void> {
    await this.put({ ...keys.journalCursor(), offset, savedAt: this.now().toISOString() });
  }

  // -- who changed what in the settings --

  async recordChange(portalId: number, change: SettingsChange): Promise<void> {
    await this.put({ ...keys.change(portalId, change.changedAt, randomUUID()), ...change, changedAt: change.changedAt.toISOString() });
  }

  /** The latest changes, newest first: one Query read backwards. */
  async recentChanges(portalId: number, limit = 20): Promise<SettingsChange[]> {
    const { PK, SKPrefix } = keys.changes(portalId);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': SKPrefix },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(({ changedBy, change, changedAt }) => ({ changedBy: String(changedBy), change: String(change), changedAt: new Date(String(changedAt)) }));
  }

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

  // -- webhook events and deal journeys --

  async webhookEventSeen(portalId: number, eventId: string): Promise<boolean> {
    return (await this.get(keys.webhookEvent(portalId, eventId))) !== undefined;
  }

  /** True the first time an event id is seen for the portal; kept 7 days, as long as HubSpot retries. */
  async markWebhookEventSeen(portalId: number, eventId: string): Promise<boolean> {
    const seenAt = this.now();
    const ttl = Math.floor(seenAt.getTime() / 1000) + webhookEventRetentionDays * secondsPerDay;
    return this.putIfAbsent({ ...keys.webhookEvent(portalId, eventId), seenAt: seenAt.toISOString(), ttl });
  }

  /** Idempotent: the same event recorded twice is the same item. */
  async recordDealStage(portalId: number, visit: DealStageVisit): Promise<void> {
    await this.put({
      ...keys.dealStage(portalId, visit.dealId, visit.enteredAt, visit.eventId),
      pipelineId: visit.pipelineId,
      stageId: visit.stageId,
      eventId: visit.eventId,
      enteredAt: visit.enteredAt.toISOString(),
    });
  }

  /** The deal's stages in the order it entered them. */
  async dealStageHistory(portalId: number, dealId: string): Promise<DealStageVisit[]> {
    const { PK, SKPrefix } = keys.dealStages(portalId, dealId);
    const items = await this.queryPrefix(PK, SKPrefix);
    return items.map((item) => ({
      dealId,
      pipelineId: String(item.pipelineId),
      stageId: String(item.stageId),
      enteredAt: new Date(String(item.enteredAt)),
      eventId: String(item.eventId),
    }));
  }

  /** The deal passed a touchpoint with nobody to ask (no contacts): a gap in our knowledge. */
  async recordUnaskedTouchpoint(portalId: number, dealId: string, touchpointId: string, passedAt: Date): Promise<void> {
    await this.put({ ...keys.unaskedTouchpoint(portalId, dealId, touchpointId), touchpointId, reason: 'no_contacts', passedAt: passedAt.toISOString() });
  }

  // -- invitations --

  /**
   * False when the deal, touchpoint and contact already have one: nobody is
   * invited twice. The contact's pointer is written first, so a privacy
   * deletion always finds the invitation.
   */
  async createInvitation(portalId: number, invitation: Invitation): Promise<boolean> {
    const { dealId, touchpointId, contactId } = invitation;
    await this.put(keys.contactInvitationPointer(portalId, contactId, dealId, touchpointId));
    const item = {
      ...keys.invitation(portalId, dealId, touchpointId, contactId),
      ...invitation,
      createdAt: invitation.createdAt.toISOString(),
      sendAt: invitation.sendAt?.toISOString(),
      revision: 1,
    };
    const created = await this.putIfAbsent(item);
    if (created) await this.mirrorInvitation(portalId, item);
    else await this.repairInvitationMirrors(portalId, invitation);
    return created;
  }

  /** A retry after a crash may find the invitation without its mirrors (card, report): mirrors what is stored. */
  async repairInvitationMirrors(portalId: number, { dealId, touchpointId, contactId }: InvitationKey): Promise<void> {
    const stored = await this.get(keys.invitation(portalId, dealId, touchpointId, contactId));
    if (!stored) return;
    await this.mirrorInvitation(portalId, stored);
    // A privacy deletion may have removed the invitation meanwhile: then its copies must not outlive it.
    if (await this.get(keys.invitation(portalId, dealId, touchpointId, contactId))) return;
    await this.deleteInvitationMirrors(portalId, { dealId, touchpointId, contactId }, (stored as Invitation).companyId);
  }

  private async deleteInvitationMirrors(portalId: number, { dealId, touchpointId, contactId }: InvitationKey, companyId: string | undefined): Promise<void> {
    await Promise.all(invitationRecords(dealId, contactId, companyId, touchpointId).map((record) => this.delete(keys.invitationMirror(portalId, record, dealId, touchpointId, contactId))));
  }

  async getInvitation(portalId: number, dealId: string, touchpointId: string, contactId: string): Promise<Invitation | undefined> {
    const item = await this.get(keys.invitation(portalId, dealId, touchpointId, contactId));
    return item && invitationFrom(item);
  }

  async listInvitations(portalId: number, dealId: string): Promise<Invitation[]> {
    const { PK, SKPrefix } = keys.invitations(portalId, dealId);
    return (await this.queryPrefix(PK, SKPrefix)).map(invitationFrom);
  }

  /** Stops a scheduled survey (its deal was deleted); one already sent or answered stays as it is. */
  async cancelScheduledInvitation(portalId: number, invitation: InvitationKey): Promise<boolean> {
    if (!(await this.transition(portalId, invitation, { from: ['scheduled'], set: { status: 'cancelled' } }))) return false;
    await this.clearTimer(portalId, surveyTimerId(invitation.dealId, invitation.touchpointId, invitation.contactId));
    return true;
  }

  /**
   * Claims a scheduled invitation's survey for sending: only one run of the due
   * λ wins, so no customer gets the same survey twice.
   */
  async claimInvitationSend(portalId: number, invitation: InvitationKey, sentAt: Date): Promise<boolean> {
    return this.transition(portalId, invitation, { from: ['scheduled'], set: { status: 'sent', sentAt: sentAt.toISOString() } });
  }

  /** The one reminder: only for a sent, unanswered survey, and only once. */
  async claimReminder(portalId: number, invitation: InvitationKey, remindedAt: Date): Promise<boolean> {
    return this.transition(portalId, invitation, { from: ['sent'], set: { reminderSentAt: remindedAt.toISOString() }, absent: ['reminderSentAt'] });
  }

  /** SES took the mail claimed at `claimedAt`: the claim becomes a fact (whatever the customer did since). */
  async confirmMailSent(portalId: number, invitation: InvitationKey, kind: MailKind, claimedAt: Date, messageId: string): Promise<boolean> {
    const { claimedAtField, messageIdField } = mailClaimFields[kind];
    return this.transition(portalId, invitation, { set: { [messageIdField]: messageId }, equal: { [claimedAtField]: claimedAt.toISOString() }, absent: [messageIdField] });
  }

  /**
   * Gives up a claim that never became a sent mail (SES refused it, or the run
   * holding it died), so the next run sends it. A confirmed mail is never released.
   */
  async releaseMailClaim(portalId: number, invitation: InvitationKey, kind: MailKind, claimedAt: Date): Promise<boolean> {
    const { claimedAtField, messageIdField } = mailClaimFields[kind];
    const claim = { from: ['sent'] as InvitationStatus[], equal: { [claimedAtField]: claimedAt.toISOString() }, absent: [messageIdField] };
    return this.transition(portalId, invitation, kind === 'survey' ? { ...claim, set: { status: 'scheduled' }, remove: ['sentAt'] } : { ...claim, remove: ['reminderSentAt'] });
  }

  /** An invitation that can no longer be sent (the contact opted out or lost their email since). */
  async skipInvitation(portalId: number, invitation: InvitationKey, reason: SkipReason): Promise<boolean> {
    return this.transition(portalId, invitation, { from: ['scheduled'], set: { status: 'skipped', skipReason: reason } });
  }

  /**
   * Writes the answer under every record it belongs to (deal, contact, company),
   * then marks the invitation answered. Keyed by invitation, so a retry or a
   * changed score overwrites; safe in any order, no transaction needed.
   */
  async saveResponse(portalId: number, response: SurveyResponse): Promise<void> {
    const { dealId, touchpointId, contactId, companyId } = response;
    const records = invitationRecords(dealId, contactId, companyId, touchpointId);
    const item = {
      dealId,
      touchpointId,
      contactId,
      companyId,
      score: response.score,
      comment: response.comment || undefined,
      firstAnsweredAt: response.firstAnsweredAt.toISOString(),
      answeredAt: response.answeredAt.toISOString(),
    };
    await Promise.all(records.map((record) => this.put({ ...keys.response(portalId, record, dealId, touchpointId, contactId), ...item })));
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.invitation(portalId, dealId, touchpointId, contactId),
        UpdateExpression:
          'SET #status = :answered, score = :score, answeredAt = :answeredAt, firstAnsweredAt = if_not_exists(firstAnsweredAt, :first) ADD revision :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':answered': 'answered', ':score': response.score, ':answeredAt': item.answeredAt, ':first': item.firstAnsweredAt, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    await this.mirrorInvitation(portalId, Attributes);
  }

  /**
   * Everything a record's card shows, in one Query on the record's partition:
   * its answers, the state of each invitation that concerns it, its follow-ups.
   */
  async recordActivity(portalId: number, record: RecordRef): Promise<RecordActivity> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.record(portalId, record.objectType, record.objectId).PK },
    });
    const activity: RecordActivity = { responses: [], invitations: [], followUps: [] };
    for (const item of items) {
      const sortKey = String(item.SK);
      if (sortKey.startsWith(responsePrefix)) activity.responses.push(responseFrom(item));
      else if (sortKey.startsWith(invitationMirrorPrefix)) activity.invitations.push(invitationFrom(item));
      else if (sortKey.startsWith(followUpPrefix)) activity.followUps.push(followUpFrom(item));
    }
    return activity;
  }

  /** A follow-up promise of one deal's touchpoint, kept under the deal, its contacts and its company. */
  async saveFollowUp(portalId: number, followUp: FollowUp): Promise<void> {
    const item = {
      ...followUp,
      dueAt: followUp.dueAt.toISOString(),
      startedAt: followUp.startedAt.toISOString(),
      keptAt: followUp.keptAt?.toISOString(),
    };
    const records: RecordRef[] = [
      { objectType: 'deal', objectId: followUp.dealId },
      ...followUp.contactIds.map((objectId) => ({ objectType: 'contact' as const, objectId })),
      ...(followUp.companyId ? [{ objectType: 'company' as const, objectId: followUp.companyId }] : []),
      { objectType: 'touchpoint', objectId: followUp.touchpointId },
    ];
    await Promise.all(records.map((record) => this.put({ ...keys.followUp(portalId, record, followUp.touchpointId, followUp.dealId), ...item })));
  }

  async getFollowUp(portalId: number, dealId: string, touchpointId: string): Promise<FollowUp | undefined> {
    const item = await this.get(keys.followUp(portalId, { objectType: 'deal', objectId: dealId }, touchpointId, dealId));
    return item && followUpFrom(item);
  }

  /** The deal's promises, from the deal's own partition. */
  async dealFollowUps(portalId: number, dealId: string): Promise<FollowUp[]> {
    return (await this.queryPrefix(keys.record(portalId, 'deal', dealId).PK, followUpPrefix)).map(followUpFrom);
  }

  /**
   * Claims a side effect (a task, a note, a reply mail) for this run:
   * `claimed` the first time; `done` once its result is remembered;
   * `in_flight` while another run's unremembered claim is younger than the
   * lease; `taken_over` when an older one, left by a run that died, is now
   * this run's (that run may or may not have done the effect).
   */
  async claimOnce(portalId: number, key: string, now: Date): Promise<OnceClaim> {
    try {
      const { Attributes } = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.once(portalId, key), claimedAt: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(PK) OR (attribute_not_exists(#result) AND claimedAt < :staleBefore)',
          ExpressionAttributeNames: { '#result': 'result' },
          ExpressionAttributeValues: { ':staleBefore': new Date(now.getTime() - claimLeaseMs).toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? 'taken_over' : 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(keys.once(portalId, key)))?.result === undefined ? 'in_flight' : 'done';
    }
  }

  /**
   * The side effect failed, but may have happened all the same (HubSpot timed
   * out or answered 5xx): the claim stays, lapsed at once, so the next try
   * takes it over and looks for what was made before making it.
   */
  async lapseOnce(portalId: number, key: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.once(portalId, key),
          UpdateExpression: 'SET claimedAt = :lapsed',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#result)',
          ExpressionAttributeNames: { '#result': 'result' },
          ExpressionAttributeValues: { ':lapsed': new Date(0).toISOString() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The side effect failed for sure: the claim goes, so a retry tries again. */
  async releaseOnce(portalId: number, key: string): Promise<void> {
    await this.delete(keys.once(portalId, key));
  }

  /** The side effect happened: from now on every claim of its key answers `done`. */
  async rememberOnce(portalId: number, key: string, result: string): Promise<void> {
    await this.put({ ...keys.once(portalId, key), claimedAt: this.now().toISOString(), result });
  }

  /** The answer to one invitation, as its contact's record holds it. */
  async getResponse(portalId: number, invitation: InvitationKey): Promise<SurveyResponse | undefined> {
    const { dealId, touchpointId, contactId } = invitation;
    const item = await this.get(keys.response(portalId, { objectType: 'contact', objectId: contactId }, dealId, touchpointId, contactId));
    return item && responseFrom(item);
  }

  /** Every answer a record holds: one Query on its partition. */
  async recordResponses(portalId: number, record: RecordRef): Promise<SurveyResponse[]> {
    return (await this.queryPrefix(keys.record(portalId, record.objectType, record.objectId).PK, responsePrefix)).map(responseFrom);
  }

  // -- the due λ's progress --

  // -- a contact's survey history: fatigue, opt-outs, privacy deletion --

  /**
   * Claims the contact's one survey slot for `invitationKey` unless another
   * survey falls inside the fatigue window. Atomic, so two events racing for
   * the same contact cannot both win; claiming again for the same invitation
   * succeeds, so retries are safe.
   */
  async claimSurveySlot(portalId: number, contactId: string, invitationKey: string, sendAt: Date, window: { after: Date; before: Date }): Promise<boolean> {
    return this.putIf(surveySlotItem(portalId, contactId, invitationKey, sendAt), 'attribute_not_exists(PK) OR invitationKey = :key OR lastSurveyAt <= :after OR lastSurveyAt >= :before', {
      ':key': invitationKey,
      ':after': window.after.toISOString(),
      ':before': window.before.toISOString(),
    });
  }

  /** Which invitation holds the contact's survey slot, and when its survey goes. */
  async getSurveySlot(portalId: number, contactId: string): Promise<{ invitationKey: string; sendAt: Date } | undefined> {
    const item = await this.get(keys.surveySlot(portalId, contactId));
    return item && { invitationKey: String(item.invitationKey), sendAt: new Date(String(item.lastSurveyAt)) };
  }

  /** Hands the contact's slot from `holderKey` to `invitationKey`, only while `holderKey` still holds it. */
  async takeSurveySlot(portalId: number, contactId: string, holderKey: string, invitationKey: string, sendAt: Date): Promise<boolean> {
    return this.putIf(surveySlotItem(portalId, contactId, invitationKey, sendAt), 'invitationKey = :holder', { ':holder': holderKey });
  }

  async optOutOfSurveys(portalId: number, contactId: string): Promise<void> {
    await this.put({ ...keys.surveyOptOut(portalId, contactId), contactId, optedOutAt: this.now().toISOString() });
  }

  /** Which of these contacts unsubscribed from our surveys (one BatchGet per 100). */
  async surveyOptOuts(portalId: number, contactIds: readonly string[]): Promise<Set<string>> {
    const optedOut = new Set<string>();
    const unique = [...new Set(contactIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let requested: Item[] = unique.slice(start, start + 100).map((id) => keys.surveyOptOut(portalId, id));
      while (requested.length) {
        const { Responses, UnprocessedKeys } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: requested } } }));
        for (const item of Responses?.[this.tableName] ?? []) optedOut.add(String(item.contactId));
        requested = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return optedOut;
  }

  /**
   * Privacy deletion: the contact's invitations and their timers, their answers
   * (and comments) under the deal and company too, and everything in the
   * contact's own partition.
   */
  async forgetContact(portalId: number, contactId: string): Promise<void> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.contact(portalId, contactId).PK },
    });
    for (const item of items) {
      const [kind, dealId, touchpointId] = String(item.SK).split('#');
      if (kind === 'INV' && dealId && touchpointId) {
        const invitation = await this.getInvitation(portalId, dealId, touchpointId, contactId);
        const answeredOn: RecordRef[] = [
          { objectType: 'deal', objectId: dealId },
          ...(invitation?.companyId ? [{ objectType: 'company' as const, objectId: invitation.companyId }] : []),
          { objectType: 'touchpoint', objectId: touchpointId },
        ];
        const deleteMirrors = () => this.deleteInvitationMirrors(portalId, { dealId, touchpointId, contactId }, invitation?.companyId);
        await Promise.all([
          ...answeredOn.map((record) => this.delete(keys.response(portalId, record, dealId, touchpointId, contactId))),
          deleteMirrors(),
          this.clearTimer(portalId, surveyTimerId(dealId, touchpointId, contactId)),
          this.clearTimer(portalId, reminderTimerId(dealId, touchpointId, contactId)),
        ]);
        await this.delete(keys.invitation(portalId, dealId, touchpointId, contactId));
        // Once more: a retried event repairing this invitation's mirrors may have written them in between.
        await deleteMirrors();
      }
      await this.delete({ PK: String(item.PK), SK: String(item.SK) });
    }
  }

  // -- timers --

  /**
   * Setting the same timer again moves it; it never doubles. A timer already
   * due goes into the current minute's bucket, which the next run reads.
   */
  async setTimer(portalId: number, timer: Timer): Promise<void> {
    await this.put({
      ...keys.timer(portalId, timer.id),
      ...keys.dueShard(timerShard(timer.id)),
      [tableSchema.dueIndex.sortKey]: `${timer.dueAt.toISOString()}#${timer.id}`,
      portalId,
      ...timer,
      dueAt: timer.dueAt.toISOString(),
    });
  }

  /** Up to `limit` timers of one shard due by `upTo` (GSI1), earliest first; a timer stays until cleared. */
  async dueTimers(shard: number, upTo: Date, limit: number): Promise<(Timer & { portalId: number })[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: tableSchema.dueIndex.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
        ExpressionAttributeNames: { '#pk': tableSchema.dueIndex.partitionKey, '#sk': tableSchema.dueIndex.sortKey },
        // Sort keys are `{dueAt ISO}#{id}`: every timer due at `upTo` or before sorts below this.
        ExpressionAttributeValues: { ':pk': keys.dueShard(shard).GSI1PK, ':upTo': `${upTo.toISOString()}#\uffff` },
        Limit: limit,
      }),
    );
    return Items.map(({ id, kind, dueAt, dealId, touchpointId, contactId, portalId }) => ({
      id,
      kind,
      dueAt: new Date(dueAt),
      dealId,
      touchpointId,
      portalId,
      ...(contactId === undefined ? {} : { contactId }),
    }));
  }

  async clearTimer(portalId: number, timerId: string): Promise<void> {
    await this.delete(keys.timer(portalId, timerId));
  }

  // -- the mechanics --

  private async get(key: TableKey): Promise<Item | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  /** A conditional change of one invitation; false when its state did not allow it. */
  private async transition(portalId: number, { dealId, touchpointId, contactId }: InvitationKey, change: InvitationChange): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Item = { ':one': 1 };
    const name = (attribute: string) => {
      const placeholder = `#n${Object.keys(names).length}`;
      names[placeholder] = attribute;
      return placeholder;
    };
    const value = (content: unknown) => {
      const placeholder = `:v${Object.keys(values).length}`;
      values[placeholder] = content;
      return placeholder;
    };
    const assignments = Object.entries(change.set ?? {}).map(([attribute, content]) => `${name(attribute)} = ${value(content)}`);
    const conditions = [
      ...(change.from ? [`${name('status')} IN (${change.from.map(value).join(', ')})`] : []),
      ...(change.absent ?? []).map((attribute) => `attribute_not_exists(${name(attribute)})`),
      ...Object.entries(change.equal ?? {}).map(([attribute, content]) => `${name(attribute)} = ${value(content)}`),
    ];
    const updates = [
      ...(assignments.length ? [`SET ${assignments.join(', ')}`] : []),
      ...(change.remove?.length ? [`REMOVE ${change.remove.map(name).join(', ')}`] : []),
      'ADD revision :one',
    ];
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(portalId, dealId, touchpointId, contactId),
          UpdateExpression: updates.join(' '),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      await this.mirrorInvitation(portalId, Attributes);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Copies an invitation's state into the partitions of the records it
   * concerns (deal, contact, company), so each card is one Query. Each copy
   * carries the invitation's revision and never overwrites a newer one, so
   * mirrors written out of order end right.
   */
  private async mirrorInvitation(portalId: number, stored: Item | undefined): Promise<void> {
    if (!stored) return;
    const { PK: _pk, SK: _sk, ...invitation } = stored;
    const { dealId, touchpointId, contactId, companyId } = invitation as Invitation;
    await Promise.all(
      invitationRecords(dealId, contactId, companyId, touchpointId).map(async (record) => {
        try {
          await this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...keys.invitationMirror(portalId, record, dealId, touchpointId, contactId), ...invitation },
              ConditionExpression: 'attribute_not_exists(PK) OR revision < :revision',
              ExpressionAttributeValues: { ':revision': invitation.revision },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
  }

  private async delete(key: TableKey): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  private async put(item: Item): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async putIfAbsent(item: Item): Promise<boolean> {
    return this.putIf(item, 'attribute_not_exists(PK)');
  }

  /** A put that happens only if `condition` holds; false when it did not. */
  private async putIf(item: Item, condition: string, values?: Item): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: condition, ...(values ? { ExpressionAttributeValues: values } : {}) }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async putVersioned(key: TableKey, body: Item, write: VersionedWrite, what: string): Promise<number> {
    const version = (write.expectedVersion ?? 0) + 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...body, version, changedAt: this.now().toISOString(), changedBy: write.changedBy },
          ...(write.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': write.expectedVersion } }),
        }),
      );
      return version;
    } catch (error) {
      throw this.conflictOr(error, what, write.expectedVersion);
    }
  }

  private conflictOr(error: unknown, what: string, expectedVersion: number | undefined): unknown {
    return error instanceof ConditionalCheckFailedException ? new VersionConflictError(what, expectedVersion) : error;
  }

  private versioned<Value>(item: Item, value: Value): Versioned<Value> {
    return { value, version: Number(item.version), changedAt: new Date(String(item.changedAt)), changedBy: String(item.changedBy) };
  }

  private queryPrefix(partitionKey: string, sortKeyPrefix: string): Promise<Item[]> {
    return this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': partitionKey, ':prefix': sortKeyPrefix },
    });
  }

  private async queryAll(query: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...query, TableName: this.tableName, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
