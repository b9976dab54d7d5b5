import type { Client } from '@hubspot/api-client';
import { customerNameFor, dayMs, defaultLightThresholds, type PortalSettings, type SurveyLanguage, surveyLanguageOf, trafficLight, type TrafficLight } from '@touchpoints/contracts';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readContacts, readDealContexts, readOwner } from '../hubspot/crm.js';
import { composeOwnerNotice, composeReplyMail } from '../mail/reply-mail.js';
import type { InvitationKey, TouchpointsStore } from '../store/store.js';
import type { OnceEffects } from './once.js';
import type { RecordProperties } from './record-properties.js';

export interface AnswerAlertPorts {
  store: Pick<TouchpointsStore, 'getResponse' | 'getSettings' | 'getTouchpoint'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  sendMail: (raw: Buffer) => Promise<string>;
  now: () => Date;
  backoff?: BackoffOptions;
}

/** What an answer sets off: a timeline note, the owner's task (and mail) for red or yellow, the unhappy customer's reply. */
export class AnswerAlerts {
  constructor(
    private readonly ports: AnswerAlertPorts,
    private readonly effects: OnceEffects,
    private readonly properties: RecordProperties,
  ) {}

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
    await this.effects.timelineNote(
      portalId,
      client,
      {
        reference: noteKey,
        body: `Touchpoints: "${touchpointName}" rated ${response.score}/10 (${light})${response.comment ? ` – "${response.comment}"` : ''}`,
        at: response.answeredAt,
        contactId: invitation.contactId,
        dealId: invitation.dealId,
      },
      this.ports.backoff,
    );
    if (light === 'red' || (light === 'yellow' && closedLoop.taskOnYellow)) {
      const customerName = (language: SurveyLanguage) => (stored ? customerNameFor(stored.value, language) : touchpointName);
      await this.alertOwner(portalId, invitation, settings.value, { score: response.score, comment: response.comment, light, touchpointName, customerName });
    }
    await this.properties.refresh(portalId, [
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
    answer: { score: number; comment: string | undefined; light: 'red' | 'yellow' | 'green'; touchpointName: string; customerName: (language: SurveyLanguage) => string },
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
    await this.effects.ownerTask(
      portalId,
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
    );
    if (answer.light !== 'red') return;
    if (settings.closedLoop.emailOwnerOnRed && owner?.email) {
      await this.effects.run(portalId, `owner-mail-${key}`, async () =>
        this.ports.sendMail(await composeOwnerNotice({ from: settings.sender, to: owner.email!, subject: `Red score on ${answer.touchpointName}`, text: `${summary}.\nDeal: ${deal?.name ?? invitation.dealId}.` })),
      );
    }
    if (settings.closedLoop.replyToUnhappyCustomer && contact?.email && !contact.optedOutOfEmail) {
      const language = surveyLanguageOf(contact.hsLanguage, settings.defaultLanguage);
      await this.effects.run(portalId, `reply-${key}`, async () =>
        this.ports.sendMail(
          await composeReplyMail({
            from: settings.sender,
            to: contact.email!,
            language,
            ...(contact.firstName ? { firstName: contact.firstName } : {}),
            ownerName: owner?.name ?? settings.sender.name,
            touchpointName: answer.customerName(language),
            recipient: { portalId, contactId: invitation.contactId },
          }),
        ),
      );
    }
  }
}
