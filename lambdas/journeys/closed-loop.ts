import type { Client } from '@hubspot/api-client';
import { dayMs, defaultLightThresholds, type PortalSettings, surveyLanguageOf, type TouchpointDefinition, trafficLight, type TrafficLight } from '@touchpoints/contracts';
import { daysLate, followUpTimerId, keepFollowUp, startFollowUp, type FollowUp, type FollowUpEvidence } from '../domain/follow-up.js';
import { recordProperties } from '../domain/write-back.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readContacts, readDealContexts, readDealLastContacted, readOwner } from '../hubspot/crm.js';
import { createOwnerTask, createTimelineNote, findDealActivity, writeRecordProperties } from '../hubspot/writes.js';
import { logger } from '../logger.js';
import { composeOwnerNotice, composeReplyMail } from '../mail/reply-mail.js';
import type { RecordRef } from '../store/keys.js';
import type { InvitationKey, TouchpointsStore } from '../store/store.js';

export interface ClosedLoopPorts {
  store: Pick<TouchpointsStore, 'claimOnce' | 'clearTimer' | 'dealFollowUps' | 'getFollowUp' | 'getResponse' | 'getSettings' | 'getTouchpoint' | 'lapseOnce' | 'listTouchpoints' | 'recordActivity' | 'releaseOnce' | 'rememberOnce' | 'saveFollowUp' | 'setTimer'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  sendMail: (raw: Buffer) => Promise<string>;
  now: () => Date;
  backoff?: BackoffOptions;
}

const plural = { deal: 'deals', contact: 'contacts', company: 'companies' } as const;

/**
 * Closing the loop: follow-up promises started, kept, kept late or missed; a
 * red answer (and yellow, where the portal asks) reaching the deal owner as a
 * HubSpot task at once, the unhappy customer hearing back; the records'
 * "Touchpoints" properties kept current. Every task and mail is claimed in
 * the store first, so retries and reruns never do it twice.
 */
export class ClosedLoop {
  constructor(private readonly ports: ClosedLoopPorts) {}

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
    if (settled.length) await this.refreshProperties(portalId, followUpRecords(settled[0]!));
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
    await this.once(
      portalId,
      taskKey,
      () =>
        createOwnerTask(
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
        ),
      () => findDealActivity(client, 'tasks', dealId, taskKey, this.ports.backoff),
    );
    await this.refreshProperties(portalId, followUpRecords(missed));
    return 'missed';
  }

  /**
   * An answer was recorded (or changed): a note on the contact's timeline,
   * owner task and customer reply for red (yellow if asked), properties
   * written back. `answerId` names this answer, so each answer makes one note.
   */
  /** The answer's note, owner alert and record properties; resolves to the answer's light (none when the answer or the settings are gone). */
  async answerRecorded(portalId: number, invitation: InvitationKey, answerId: string): Promise<TrafficLight | undefined> {
    const { store } = this.ports;
    const [response, settings, stored] = await Promise.all([
      store.getResponse(portalId, invitation),
      store.getSettings(portalId),
      store.getTouchpoint(portalId, invitation.touchpointId),
    ]);
    if (!response || !settings) return undefined;
    const thresholds = settings.value.lightThresholds ?? defaultLightThresholds;
    const light = trafficLight(response.score, thresholds);
    const touchpointName = stored?.value.name ?? invitation.touchpointId;
    const { closedLoop } = settings.value;
    const noteKey = `note-${answerId}`;
    const client = await this.ports.hubspot.forPortal(portalId);
    await this.once(
      portalId,
      noteKey,
      () =>
        createTimelineNote(
          client,
          {
            reference: noteKey,
            body: `Touchpoints: "${touchpointName}" rated ${response.score}/10 (${light})${response.comment ? ` – "${response.comment}"` : ''}`,
            at: response.answeredAt,
            contactId: invitation.contactId,
            dealId: invitation.dealId,
          },
          this.ports.backoff,
        ),
      () => findDealActivity(client, 'notes', invitation.dealId, noteKey, this.ports.backoff),
    );
    if (light === 'red' || (light === 'yellow' && closedLoop.taskOnYellow)) {
      await this.alertOwner(portalId, invitation, settings.value, { score: response.score, comment: response.comment, light, touchpointName });
    }
    await this.refreshProperties(portalId, [
      { objectType: 'deal', objectId: invitation.dealId },
      { objectType: 'contact', objectId: invitation.contactId },
      ...(response.companyId ? [{ objectType: 'company' as const, objectId: response.companyId }] : []),
    ]);
    return light;
  }

  private async alertOwner(
    portalId: number,
    invitation: InvitationKey,
    settings: PortalSettings,
    answer: { score: number; comment: string | undefined; light: 'red' | 'yellow' | 'green'; touchpointName: string },
  ): Promise<void> {
    const client = await this.ports.hubspot.forPortal(portalId);
    const [deals, contacts] = await Promise.all([
      readDealContexts(client, [invitation.dealId], this.ports.backoff),
      readContacts(client, [invitation.contactId], this.ports.backoff),
    ]);
    const deal = deals.get(invitation.dealId);
    const contact = contacts.get(invitation.contactId);
    const owner = deal?.ownerId ? await readOwner(client, deal.ownerId, this.ports.backoff) : undefined;
    const customer = [contact?.firstName, contact?.email].filter(Boolean).join(' ') || `contact ${invitation.contactId}`;
    const summary = `${customer} rated "${answer.touchpointName}" ${answer.score}/10${answer.comment ? `: "${answer.comment}"` : ''}`;
    const key = `${invitation.dealId}-${invitation.touchpointId}-${invitation.contactId}`;

    // One task per answer, even if the customer changes 4 to 3 within the week.
    const taskKey = `task-answer-${key}`;
    await this.once(
      portalId,
      taskKey,
      () =>
        createOwnerTask(
          client,
          {
            reference: taskKey,
            ownerId: deal?.ownerId,
            subject: `${answer.light === 'red' ? 'Red' : 'Yellow'} score on ${answer.touchpointName}: call ${contact?.firstName ?? 'the customer'}`,
            body: `${summary}. Deal: ${deal?.name ?? invitation.dealId}.`,
            dueAt: new Date(this.ports.now().getTime() + dayMs),
            dealId: invitation.dealId,
            contactIds: [invitation.contactId],
          },
          this.ports.backoff,
        ),
      () => findDealActivity(client, 'tasks', invitation.dealId, taskKey, this.ports.backoff),
    );
    if (answer.light !== 'red') return;
    if (settings.closedLoop.emailOwnerOnRed && owner?.email) {
      await this.once(portalId, `owner-mail-${key}`, async () =>
        this.ports.sendMail(await composeOwnerNotice({ from: settings.sender, to: owner.email!, subject: `Red score on ${answer.touchpointName}`, text: `${summary}.\nDeal: ${deal?.name ?? invitation.dealId}.` })),
      );
    }
    if (settings.closedLoop.replyToUnhappyCustomer && contact?.email && !contact.optedOutOfEmail) {
      const language = surveyLanguageOf(contact.hsLanguage, settings.defaultLanguage);
      await this.once(portalId, `reply-${key}`, async () =>
        this.ports.sendMail(
          await composeReplyMail({
            from: settings.sender,
            to: contact.email!,
            language,
            ...(contact.firstName ? { firstName: contact.firstName } : {}),
            ownerName: owner?.name ?? settings.sender.name,
            touchpointName: answer.touchpointName,
          }),
        ),
      );
    }
  }

  /** Recomputes the records' "Touchpoints" properties from their own items and writes them to HubSpot, a batch per object type. */
  async refreshProperties(portalId: number, records: readonly RecordRef[]): Promise<void> {
    const { store } = this.ports;
    const [settings, touchpoints] = await Promise.all([store.getSettings(portalId), store.listTouchpoints(portalId)]);
    const names = new Map(touchpoints.map(({ value }) => [value.id, value.name]));
    const summaries = await Promise.all(
      records.map(async (record) => {
        const activity = await store.recordActivity(portalId, record);
        return { record, properties: recordProperties(activity.responses, activity.followUps, settings?.value.lightThresholds ?? defaultLightThresholds, (id) => names.get(id) ?? id) };
      }),
    );
    const client = await this.ports.hubspot.forPortal(portalId);
    for (const [objectType, ofType] of Map.groupBy(summaries, ({ record }) => record.objectType)) {
      if (objectType === 'touchpoint') continue; // not a HubSpot record
      await writeRecordProperties(client, plural[objectType], ofType.map(({ record, properties }) => ({ id: record.objectId, properties })), this.ports.backoff);
    }
  }

  /**
   * Does a side effect once per key: claimed first, remembered after, so a
   * retry or a rerun never repeats it. When the effect itself fails, its claim
   * is released (a mail) or lapsed (a task or note, which may exist anyway). A claim nobody remembered belongs to a run that is
   * still at it or died: `findMade` (HubSpot, for tasks and notes) tells
   * whether the effect happened; otherwise this run fails, to be retried once
   * the claim's lease lapsed, and then does it (a mail may then go twice).
   */
  private async once(portalId: number, key: string, effect: () => Promise<string>, findMade?: () => Promise<string | undefined>): Promise<void> {
    const { store } = this.ports;
    const claim = await store.claimOnce(portalId, key, this.ports.now());
    if (claim === 'done') return;
    if (claim !== 'claimed') {
      const made = await findMade?.();
      if (made) return store.rememberOnce(portalId, key, made);
      if (claim === 'in_flight') throw new Error(`${key} is being done by another run; retrying later`);
      logger.warn('taking over the claim of a run that died', { portalId, key });
    }
    let result: string;
    try {
      result = await effect();
    } catch (error) {
      // What can be looked up may have been made after all: the next try looks first. A mail that
      // failed did not go.
      await (findMade ? store.lapseOnce(portalId, key) : store.releaseOnce(portalId, key));
      throw error;
    }
    // A failure from here on leaves the claim: the effect happened, a retry must not repeat it.
    await store.rememberOnce(portalId, key, result);
  }
}

function followUpRecords(followUp: FollowUp): RecordRef[] {
  return [
    { objectType: 'deal', objectId: followUp.dealId },
    ...followUp.contactIds.map((objectId) => ({ objectType: 'contact' as const, objectId })),
    ...(followUp.companyId ? [{ objectType: 'company' as const, objectId: followUp.companyId }] : []),
  ];
}
