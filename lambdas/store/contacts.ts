/**
 * A contact's own partition: the one survey slot the fatigue rule claims atomically,
 * the survey opt-out, the mail suppression (a hard bounce or a complaint), and the
 * pointers to the contact's invitations, which let a privacy deletion find and forget
 * everything the table holds about the contact.
 */
import { reminderTimerId, settleTimerId, surveyTimerId } from '../domain/journey.js';
import type { MailSuppression } from '../domain/mail-feedback.js';
import { periodOf } from '../domain/period-summary.js';
import { keys } from './keys.js';
import { invitationRecords, type Invitations } from './invitations.js';
import type { Interviews } from './interviews.js';
import type { PeriodSummaries } from './period-summaries.js';
import type { SurveyClicks } from './survey-clicks.js';
import type { Item, TableAccess } from './table-access.js';
import type { Timers } from './timers.js';

/** The contact's one survey slot, held by `invitationKey` for a survey going at `sendAt`. */
function surveySlotItem(portalId: number, contactId: string, invitationKey: string, sendAt: Date): Item {
  return { ...keys.surveySlot(portalId, contactId), invitationKey, lastSurveyAt: sendAt.toISOString() };
}

/** A stored suppression; the contact card reads it from the same partition (`recordActivity`). */
export function mailSuppressionFrom(item: Item): MailSuppression {
  return { reason: item.reason === 'complained' ? 'complained' : 'bounced', address: String(item.address), at: new Date(String(item.suppressedAt)), messageId: String(item.messageId) };
}

export class Contacts {
  constructor(
    private readonly table: TableAccess,
    private readonly invitations: Invitations,
    private readonly timers: Timers,
    private readonly clicks: SurveyClicks,
    private readonly interviews: Interviews,
    /** A month's stored summary is dropped, so it is computed again without the contact. */
    private readonly summaries: Pick<PeriodSummaries, 'forgetPeriodSummary'>,
  ) {}

  // -- fatigue: the survey slot --

  /**
   * Claims the contact's one survey slot for `invitationKey` unless another
   * survey falls inside the fatigue window. Atomic, so two events racing for
   * the same contact cannot both win; claiming again for the same invitation
   * succeeds, so retries are safe.
   */
  async claimSurveySlot(portalId: number, contactId: string, invitationKey: string, sendAt: Date, window: { after: Date; before: Date }): Promise<boolean> {
    return this.table.putIf(surveySlotItem(portalId, contactId, invitationKey, sendAt), 'attribute_not_exists(PK) OR invitationKey = :key OR lastSurveyAt <= :after OR lastSurveyAt >= :before', {
      ':key': invitationKey,
      ':after': window.after.toISOString(),
      ':before': window.before.toISOString(),
    });
  }

  /** Which invitation holds the contact's survey slot, and when its survey goes. */
  async getSurveySlot(portalId: number, contactId: string): Promise<{ invitationKey: string; sendAt: Date } | undefined> {
    const item = await this.table.get(keys.surveySlot(portalId, contactId));
    return item && { invitationKey: String(item.invitationKey), sendAt: new Date(String(item.lastSurveyAt)) };
  }

  /** Hands the contact's slot from `holderKey` to `invitationKey`, only while `holderKey` still holds it. */
  async takeSurveySlot(portalId: number, contactId: string, holderKey: string, invitationKey: string, sendAt: Date): Promise<boolean> {
    return this.table.putIf(surveySlotItem(portalId, contactId, invitationKey, sendAt), 'invitationKey = :holder', { ':holder': holderKey });
  }

  // -- opt-outs --

  async optOutOfSurveys(portalId: number, contactId: string): Promise<void> {
    await this.table.put({ ...keys.surveyOptOut(portalId, contactId), contactId, optedOutAt: this.table.now().toISOString() });
  }

  /** Which of these contacts unsubscribed from our surveys (one BatchGet per 100). */
  /** The person changed their mind right after unsubscribing (the page's undo). */
  async optBackIntoSurveys(portalId: number, contactId: string): Promise<void> {
    await this.table.delete(keys.surveyOptOut(portalId, contactId));
  }

  async surveyOptOuts(portalId: number, contactIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(contactIds)];
    const items = await this.table.batchGet(unique.map((id) => keys.surveyOptOut(portalId, id)));
    return new Set(items.map((item) => String(item.contactId)));
  }

  // -- mail suppressions: hard bounces and complaints --

  /**
   * Records why the contact is no longer mailed; true when this event was written. SNS delivers
   * at least once and in no set order: a replay or an older bounce changes nothing. A later
   * event replaces a bounce (the address may have been corrected and bounced again); nothing
   * replaces a complaint, which stands whatever the address.
   */
  async suppressMail(portalId: number, contactId: string, suppression: MailSuppression): Promise<boolean> {
    const { reason, address, at, messageId } = suppression;
    return this.table.putIf(
      { ...keys.mailSuppression(portalId, contactId), contactId, reason, address, suppressedAt: at.toISOString(), messageId },
      'attribute_not_exists(PK) OR (reason = :bounced AND suppressedAt < :at)',
      { ':bounced': 'bounced', ':at': at.toISOString() },
    );
  }

  async mailSuppression(portalId: number, contactId: string): Promise<MailSuppression | undefined> {
    const item = await this.table.get(keys.mailSuppression(portalId, contactId));
    return item && mailSuppressionFrom(item);
  }

  // -- privacy deletion --

  /**
   * Privacy deletion: the contact's invitations and their timers, their answers
   * (and comments) under the deal, company and touchpoint too, their interview tasks' items,
   * the stored summaries of their answers' months, and everything in the contact's own partition.
   */
  async forgetContact(portalId: number, contactId: string): Promise<void> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.contact(portalId, contactId).PK },
    });
    for (const item of items) {
      const [kind, dealId, touchpointId] = String(item.SK).split('#');
      if (kind === 'INV' && dealId && touchpointId) {
        // The invitation, or (a deletion that stopped after removing it) the contact's own copy of it, tells the company and the touchpoint's month.
        const stored = await this.invitations.getInvitation(portalId, dealId, touchpointId, contactId);
        const ownCopy = items.find(({ SK }) => SK === keys.invitationMirror(portalId, { objectType: 'contact', objectId: contactId }, dealId, touchpointId, contactId).SK);
        const companyId = stored?.companyId ?? (ownCopy?.companyId === undefined ? undefined : String(ownCopy.companyId));
        const createdAt = stored?.createdAt ?? (ownCopy ? new Date(String(ownCopy.createdAt)) : undefined);
        const invitationKey = { dealId, touchpointId, contactId, ...(companyId ? { companyId } : {}) };
        const deleteMirrors = () => this.invitations.deleteInvitationMirrors(portalId, invitationKey, createdAt);
        await Promise.all([
          ...invitationRecords(invitationKey, createdAt).map((record) => this.table.delete(keys.response(portalId, record, dealId, touchpointId, contactId))),
          deleteMirrors(),
          this.timers.clearTimer(portalId, surveyTimerId(dealId, touchpointId, contactId)),
          this.timers.clearTimer(portalId, reminderTimerId(dealId, touchpointId, contactId)),
          this.timers.clearTimer(portalId, settleTimerId(dealId, touchpointId, contactId)),
          // The clicks hold the comments the contact typed.
          this.clicks.forgetClicks(portalId, { dealId, touchpointId, contactId }),
          // An interview task made for the answer.
          ...(createdAt ? [this.interviews.forgetInterview(portalId, { dealId, touchpointId, contactId }, periodOf(createdAt))] : []),
        ]);
        await this.table.delete(keys.invitation(portalId, dealId, touchpointId, contactId));
        // Once more: a retried event repairing this invitation's mirrors may have written them in between.
        await deleteMirrors();
        // Last, once the raw items are gone: the month's summary may quote the contact's comment or
        // keep them as an interview candidate, so it is dropped and computed again from what is left.
        // Per invitation, not once at the end: the last of the month's drops it after all of theirs are
        // gone, and a deletion cut short and retried still finds the month from the invitations left.
        if (createdAt) await this.summaries.forgetPeriodSummary(portalId, periodOf(createdAt));
      }
      await this.table.delete({ PK: String(item.PK), SK: String(item.SK) });
    }
  }
}
