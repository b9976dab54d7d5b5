import type { Client } from '@hubspot/api-client';
import { customerNameFor, dayMs, defaultLightThresholds, type PortalSettings, type SurveyLanguage, surveyLanguageOf, trafficLight, type TrafficLight } from '@touchpoints/contracts';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readContacts, readDealContexts, readOwner } from '../hubspot/crm.js';
import { composeOwnerNotice, composeReplyMail } from '../mail/reply-mail.js';
import type { InvitationKey, TouchpointsStore } from '../store/store.js';
import { logger } from '../logger.js';
import { reasonNotToMailContact } from './mail-feedback.js';
import type { OnceEffects } from './once.js';
import type { RecordProperties } from './record-properties.js';

export interface AnswerAlertPorts {
  store: Pick<TouchpointsStore, 'getResponse' | 'getSenderDomain' | 'getSettings' | 'getTouchpoint' | 'mailSuppression' | 'onceState' | 'surveyOptOuts'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  sendMail: (raw: Buffer) => Promise<string>;
  now: () => Date;
  backoff?: BackoffOptions;
}

/** What one answer is, as its note and its task tell it. */
interface AnswerFacts {
  score: number;
  comment: string | undefined;
  light: TrafficLight;
  touchpointName: string;
  customerName: (language: SurveyLanguage) => string;
  answeredAt: Date;
}

/**
 * What a settled answer sets off: one timeline note per answer, revised when the answer changes;
 * the owner's task (and mail) for red or yellow, one per answer, revised with a later comment or
 * score, marked (and, where the portal says so, completed) when the customer changes it to green;
 * the unhappy customer's reply.
 */
export class AnswerAlerts {
  constructor(
    private readonly ports: AnswerAlertPorts,
    private readonly effects: OnceEffects,
    private readonly properties: RecordProperties,
  ) {}

  /** The answer's note, owner alert and record properties; resolves to the answer's light (none when the answer or the settings are gone). */
  async answerRecorded(portalId: number, invitation: InvitationKey): Promise<TrafficLight | undefined> {
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
    const answer: AnswerFacts = {
      score: response.score,
      comment: response.comment,
      light,
      touchpointName,
      customerName: (language) => (stored ? customerNameFor(stored.value, language) : touchpointName),
      answeredAt: response.answeredAt,
    };
    const key = answerKey(invitation);
    const client = await this.ports.hubspot.forPortal(portalId);
    const note = {
      reference: `note-answer-${key}`,
      body: `Touchpoints: "${touchpointName}" rated ${response.score}/10 (${light})${response.comment ? ` – "${response.comment}"` : ''}`,
      at: response.firstAnsweredAt,
      contactId: invitation.contactId,
      dealId: invitation.dealId,
    };
    if (!(await this.effects.timelineNote(portalId, client, note, this.ports.backoff))) await this.effects.reviseTimelineNote(portalId, client, note, this.ports.backoff);
    // Before the owner's alert, whose mails may fail: the records show the answer regardless.
    await this.properties.refresh(portalId, [
      { objectType: 'deal', objectId: invitation.dealId },
      { objectType: 'contact', objectId: invitation.contactId },
      ...(response.companyId ? [{ objectType: 'company' as const, objectId: response.companyId }] : []),
    ]);
    await this.alertOwner(portalId, client, invitation, settings.value, answer);
    return light;
  }

  private async alertOwner(portalId: number, client: Client, invitation: InvitationKey, settings: PortalSettings, answer: AnswerFacts): Promise<void> {
    const { closedLoop } = settings;
    const needsTask = answer.light === 'red' || (answer.light === 'yellow' && closedLoop.taskOnYellow);
    const taskKey = `task-answer-${answerKey(invitation)}`;
    // An answer that never needed a task has none to tell about its change.
    if (!needsTask && !(await this.ports.store.onceState(portalId, taskKey))) return;

    const [deals, contacts] = await Promise.all([
      readDealContexts(client, [invitation.dealId], this.ports.backoff),
      readContacts(client, [invitation.contactId], this.ports.backoff),
    ]);
    const deal = deals.get(invitation.dealId);
    const contact = contacts.get(invitation.contactId);
    const customer = [contact?.firstName, contact?.email].filter(Boolean).join(' ') || `contact ${invitation.contactId}`;
    const said = answer.comment ? `: "${answer.comment}"` : '';
    const dealLine = `Deal: ${deal?.name ?? invitation.dealId}.`;

    if (!needsTask) {
      const changedOn = answer.answeredAt.toISOString().slice(0, 10);
      const status = answer.light === 'green' && closedLoop.completeTaskWhenGreen ? 'complete' : 'keep';
      await this.effects.reviseOwnerTask(
        portalId,
        client,
        {
          reference: taskKey,
          dealId: invitation.dealId,
          subject: `Score on ${answer.touchpointName} changed to ${answer.score}/10: ${contact?.firstName ?? 'the customer'}`,
          body: `${customer} changed their score for "${answer.touchpointName}" to ${answer.score}/10 on ${changedOn}${said}.\n${dealLine}`,
          status,
        },
        this.ports.backoff,
      );
      return;
    }

    const summary = `${customer} rated "${answer.touchpointName}" ${answer.score}/10${said}`;
    const task = {
      reference: taskKey,
      ownerId: deal?.ownerId,
      subject: `${answer.light === 'red' ? 'Red' : 'Yellow'} score on ${answer.touchpointName}: call ${contact?.firstName ?? 'the customer'}`,
      body: `${summary}.\n${dealLine}`,
      dueAt: new Date(this.ports.now().getTime() + dayMs),
      dealId: invitation.dealId,
      contactIds: [invitation.contactId],
    };
    // One task per answer: a later comment or score rewrites it.
    if (!(await this.effects.ownerTask(portalId, client, task, this.ports.backoff))) await this.effects.reviseOwnerTask(portalId, client, { ...task, status: 'reopen' }, this.ports.backoff);
    if (answer.light !== 'red') return;
    // SES refuses mail from a sender domain it has not verified: the task stands, the mails are not tried.
    const senderDomain = await this.ports.store.getSenderDomain(portalId);
    if (senderDomain && senderDomain.state !== 'verified') {
      logger.warn('red answer mails not sent: the sender domain is not verified', { portalId, domain: senderDomain.domain });
      return;
    }
    const key = answerKey(invitation);
    const owner = deal?.ownerId ? await readOwner(client, deal.ownerId, this.ports.backoff) : undefined;
    if (closedLoop.emailOwnerOnRed && owner?.email) {
      await this.effects.run(portalId, `owner-mail-${key}`, async () =>
        this.ports.sendMail(await composeOwnerNotice({ from: settings.sender, to: owner.email!, subject: `Red score on ${answer.touchpointName}`, text: `${summary}.\n${dealLine}` })),
      );
    }
    // Not to an address that bounced, a person who marked our mail as spam, or one who opted out.
    if (closedLoop.replyToUnhappyCustomer && contact?.email && !(await reasonNotToMailContact(this.ports.store, portalId, invitation.contactId, contact))) {
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

/** Names one invitation's answer in the effects it causes: one note, one task, one owner mail, one reply. */
const answerKey = ({ dealId, touchpointId, contactId }: InvitationKey) => `${dealId}-${touchpointId}-${contactId}`;
