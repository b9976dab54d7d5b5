/**
 * Invitations and their answers. An invitation lives under its deal and changes only by
 * conditional transitions (so one run wins each send, reminder or skip); each change is
 * mirrored, revision-guarded, into the partitions of the records it concerns (deal,
 * contact, company, touchpoint), where the answers are written too, so a record's card
 * (`recordActivity`) and a touchpoint's report are each one Query.
 */
import type { SurveyResponse } from '../domain/response.js';
import type { DealOutcomeCopy } from '../domain/deal-outcomes.js';
import type { FollowUp } from '../domain/follow-up.js';
import { surveyTimerId, type Invitation, type InvitationStatus, type MailKind, type SkipReason } from '../domain/journey.js';
import type { MailSuppression } from '../domain/mail-feedback.js';
import { periodOf } from '../domain/period-summary.js';
import { dealOutcomeCopyPrefix, followUpPrefix, interviewCopyPrefix, invitationMirrorPrefix, keys, mailSuppressionSortKey, responsePrefix, type RecordRef } from './keys.js';
import { interviewFrom } from './interviews.js';
import type { Interview } from '../domain/interviews.js';
import { mailSuppressionFrom } from './contacts.js';
import { dealOutcomeCopyFrom } from './deal-outcomes.js';
import { followUpFrom } from './follow-ups.js';
import type { Item, TableAccess, Transition } from './table-access.js';
import type { Timers } from './timers.js';

export type InvitationKey = Pick<Invitation, 'dealId' | 'touchpointId' | 'contactId'>;

/** What a record's card is made of, read in one Query. */
export interface RecordActivity {
  responses: SurveyResponse[];
  invitations: Invitation[];
  followUps: FollowUp[];
  /** A contact's own suppression, which shares the contact's record partition. */
  mailSuppression?: MailSuppression;
  /** A touchpoint month's closed deals (deal-outcomes.ts); only touchpoint partitions have them. */
  dealOutcomes?: DealOutcomeCopy[];
  /** A touchpoint month's interview tasks (store/interviews.ts). */
  interviews?: Interview[];
}

/**
 * The records an invitation (and its answer) belongs to: its touchpoint's month is the one the
 * invitation was made in. A privacy deletion that can no longer learn that month (`createdAt`
 * unknown) reaches the other records only.
 */
export function invitationRecords({ dealId, contactId, companyId, touchpointId }: InvitationKey & Pick<Invitation, 'companyId'>, createdAt: Date | undefined): RecordRef[] {
  return [
    { objectType: 'deal', objectId: dealId },
    { objectType: 'contact', objectId: contactId },
    ...(companyId ? [{ objectType: 'company' as const, objectId: companyId }] : []),
    ...(createdAt ? [{ objectType: 'touchpoint' as const, objectId: touchpointId, period: periodOf(createdAt) }] : []),
  ];
}

/** Where each kind of mail keeps its claim and its confirmation on the invitation. */
const mailClaimFields = {
  survey: { claimedAtField: 'sentAt', messageIdField: 'surveyMessageId' },
  reminder: { claimedAtField: 'reminderSentAt', messageIdField: 'reminderMessageId' },
} as const;

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

export class Invitations {
  constructor(
    private readonly table: TableAccess,
    private readonly timers: Timers,
  ) {}

  // -- the invitation and its mirrors --

  /**
   * False when the deal, touchpoint and contact already have one: nobody is
   * invited twice. The contact's pointer is written first, so a privacy
   * deletion always finds the invitation.
   */
  async createInvitation(portalId: number, invitation: Invitation): Promise<boolean> {
    const { dealId, touchpointId, contactId } = invitation;
    await this.table.put(keys.contactInvitationPointer(portalId, contactId, dealId, touchpointId));
    const item = {
      ...keys.invitation(portalId, dealId, touchpointId, contactId),
      ...invitation,
      createdAt: invitation.createdAt.toISOString(),
      sendAt: invitation.sendAt?.toISOString(),
      revision: 1,
    };
    const created = await this.table.putIfAbsent(item);
    if (created) await this.mirrorInvitation(portalId, item);
    else await this.repairInvitationMirrors(portalId, invitation);
    return created;
  }

  /** A retry after a crash may find the invitation without its mirrors (card, report): mirrors what is stored. */
  async repairInvitationMirrors(portalId: number, { dealId, touchpointId, contactId }: InvitationKey): Promise<void> {
    const stored = await this.table.get(keys.invitation(portalId, dealId, touchpointId, contactId));
    if (!stored) return;
    await this.mirrorInvitation(portalId, stored);
    // A privacy deletion may have removed the invitation meanwhile: then its copies must not outlive it.
    if (await this.table.get(keys.invitation(portalId, dealId, touchpointId, contactId))) return;
    await this.deleteInvitationMirrors(portalId, { dealId, touchpointId, contactId, companyId: (stored as Invitation).companyId }, new Date(String(stored.createdAt)));
  }

  /** Not on the store's facade: a privacy deletion (`Contacts.forgetContact`) and the repair above use it. */
  async deleteInvitationMirrors(portalId: number, invitation: InvitationKey & Pick<Invitation, 'companyId'>, createdAt: Date | undefined): Promise<void> {
    const { dealId, touchpointId, contactId } = invitation;
    await Promise.all(invitationRecords(invitation, createdAt).map((record) => this.table.delete(keys.invitationMirror(portalId, record, dealId, touchpointId, contactId))));
  }

  async getInvitation(portalId: number, dealId: string, touchpointId: string, contactId: string): Promise<Invitation | undefined> {
    const item = await this.table.get(keys.invitation(portalId, dealId, touchpointId, contactId));
    return item && invitationFrom(item);
  }

  async listInvitations(portalId: number, dealId: string): Promise<Invitation[]> {
    const { PK, SKPrefix } = keys.invitations(portalId, dealId);
    return (await this.table.queryPrefix(PK, SKPrefix)).map(invitationFrom);
  }

  // -- transitions: each wins once, or answers false --

  /** Stops a scheduled survey (its deal was deleted); one already sent or answered stays as it is. */
  async cancelScheduledInvitation(portalId: number, invitation: InvitationKey): Promise<boolean> {
    if (!(await this.transition(portalId, invitation, { from: ['scheduled'], set: { status: 'cancelled' } }))) return false;
    await this.timers.clearTimer(portalId, surveyTimerId(invitation.dealId, invitation.touchpointId, invitation.contactId));
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

  // -- answers and what a record's partition shows --

  /**
   * Writes the answer under every record it belongs to (deal, contact, company,
   * touchpoint month), then marks the invitation answered. Keyed by invitation, so a retry
   * or a changed score overwrites; safe in any order, no transaction needed. An answer whose
   * invitation is gone (a privacy deletion came first) is not kept.
   */
  async saveResponse(portalId: number, response: SurveyResponse): Promise<void> {
    const { dealId, touchpointId, contactId, companyId } = response;
    const invitation = await this.table.get(keys.invitation(portalId, dealId, touchpointId, contactId));
    if (!invitation) return;
    const records = invitationRecords(response, new Date(String(invitation.createdAt)));
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
    await Promise.all(records.map((record) => this.table.put({ ...keys.response(portalId, record, dealId, touchpointId, contactId), ...item })));
    const answered = await this.table.update(keys.invitation(portalId, dealId, touchpointId, contactId), {
      UpdateExpression: 'SET #status = :answered, score = :score, answeredAt = :answeredAt, firstAnsweredAt = if_not_exists(firstAnsweredAt, :first) ADD revision :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':answered': 'answered', ':score': response.score, ':answeredAt': item.answeredAt, ':first': item.firstAnsweredAt, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    });
    await this.mirrorInvitation(portalId, answered);
  }

  /** The answer to one invitation, as its contact's record holds it. */
  async getResponse(portalId: number, invitation: InvitationKey): Promise<SurveyResponse | undefined> {
    const { dealId, touchpointId, contactId } = invitation;
    const item = await this.table.get(keys.response(portalId, { objectType: 'contact', objectId: contactId }, dealId, touchpointId, contactId));
    return item && responseFrom(item);
  }

  /** Every answer a record holds: one Query on its partition. */
  async recordResponses(portalId: number, record: RecordRef): Promise<SurveyResponse[]> {
    return (await this.table.queryPrefix(keys.record(portalId, record).PK, responsePrefix)).map(responseFrom);
  }

  /**
   * Everything a record's card shows, in one Query on the record's partition:
   * its answers, the state of each invitation that concerns it, its follow-ups.
   */
  async recordActivity(portalId: number, record: RecordRef): Promise<RecordActivity> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.record(portalId, record).PK },
    });
    const activity: RecordActivity = { responses: [], invitations: [], followUps: [] };
    for (const item of items) {
      const sortKey = String(item.SK);
      if (sortKey.startsWith(responsePrefix)) activity.responses.push(responseFrom(item));
      else if (sortKey.startsWith(invitationMirrorPrefix)) activity.invitations.push(invitationFrom(item));
      else if (sortKey.startsWith(followUpPrefix)) activity.followUps.push(followUpFrom(item));
      else if (record.objectType === 'contact' && sortKey === mailSuppressionSortKey) activity.mailSuppression = mailSuppressionFrom(item);
      else if (record.objectType === 'touchpoint' && sortKey.startsWith(dealOutcomeCopyPrefix)) (activity.dealOutcomes ??= []).push(dealOutcomeCopyFrom(item));
      else if (record.objectType === 'touchpoint' && sortKey.startsWith(interviewCopyPrefix)) (activity.interviews ??= []).push(interviewFrom(item));
    }
    return activity;
  }

  // -- the mechanics --

  /** A conditional change of one invitation, mirrored when it happened; false when its state did not allow it. */
  private async transition(portalId: number, { dealId, touchpointId, contactId }: InvitationKey, change: Transition & { from?: InvitationStatus[] }): Promise<boolean> {
    const { changed, attributes } = await this.table.transition(keys.invitation(portalId, dealId, touchpointId, contactId), change);
    if (changed) await this.mirrorInvitation(portalId, attributes);
    return changed;
  }

  /**
   * Copies an invitation's state into the partitions of the records it concerns
   * (deal, contact, company, touchpoint), so each card and each touchpoint report is
   * one Query. Each copy carries the invitation's revision and never overwrites a
   * newer one, so mirrors written out of order end right.
   */
  private async mirrorInvitation(portalId: number, stored: Item | undefined): Promise<void> {
    if (!stored) return;
    const { PK: _pk, SK: _sk, ...invitation } = stored;
    const { dealId, touchpointId, contactId } = invitation as Invitation;
    await Promise.all(
      invitationRecords(invitation as Invitation, new Date(String(invitation.createdAt))).map((record) =>
        this.table.putIf({ ...keys.invitationMirror(portalId, record, dealId, touchpointId, contactId), ...invitation }, 'attribute_not_exists(PK) OR revision < :revision', {
          ':revision': invitation.revision,
        }),
      ),
    );
  }
}
