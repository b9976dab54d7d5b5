import { beforeEach, describe, expect, it } from 'vitest';
import type { DealContact } from '../../../lambdas/domain/deal.js';
import { SesFeedbackEvent, type MailSuppression } from '../../../lambdas/domain/mail-feedback.js';
import { reasonNotToMailContact, recordMailFeedback } from '../../../lambdas/journeys/mail-feedback.js';

const portalId = 24681357;

/** The contact partition's suppression and opt-out items, with the calls made to them. */
class InMemorySuppressions {
  readonly suppressions = new Map<string, MailSuppression>();
  readonly optedOut = new Set<string>();
  readonly calls: string[] = [];

  async suppressMail(portal: number, contactId: string, suppression: MailSuppression): Promise<boolean> {
    this.calls.push(`suppressMail ${portal} ${contactId} ${suppression.reason}`);
    if (this.suppressions.has(contactId)) return false;
    this.suppressions.set(contactId, suppression);
    return true;
  }

  async mailSuppression(portal: number, contactId: string): Promise<MailSuppression | undefined> {
    this.calls.push(`mailSuppression ${portal} ${contactId}`);
    return this.suppressions.get(contactId);
  }

  async surveyOptOuts(portal: number, contactIds: readonly string[]): Promise<Set<string>> {
    this.calls.push(`surveyOptOuts ${portal} ${contactIds.join(',')}`);
    return new Set(contactIds.filter((id) => this.optedOut.has(id)));
  }
}

const tags = { 'touchpoints-portal': [String(portalId)], 'touchpoints-contact': ['101'] };
const mail = (mailTags: Record<string, string[]> = tags) => ({ messageId: 'ses-1', destination: ['anders.jensen@example.dk'], tags: mailTags });
const bounce = (bounceType: 'Permanent' | 'Transient', mailTags?: Record<string, string[]>) =>
  SesFeedbackEvent.parse({
    eventType: 'Bounce',
    bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'anders.jensen@example.dk' }], timestamp: '2026-12-05T10:00:00.000Z' },
    mail: mail(mailTags),
  });
const complaint = SesFeedbackEvent.parse({
  eventType: 'Complaint',
  complaint: { complainedRecipients: [{ emailAddress: 'anders.jensen@example.dk' }], timestamp: '2026-12-05T11:00:00.000Z' },
  mail: mail(),
});

let store: InMemorySuppressions;
beforeEach(() => {
  store = new InMemorySuppressions();
});

describe('recording a bounce or complaint', () => {
  it('suppresses the tagged contact for a hard bounce', async () => {
    expect(await recordMailFeedback({ store }, bounce('Permanent'))).toBe('bounced');
    expect(store.suppressions.get('101')).toEqual({ reason: 'bounced', address: 'anders.jensen@example.dk', at: new Date('2026-12-05T10:00:00.000Z'), messageId: 'ses-1' });
  });

  it('suppresses the tagged contact for a complaint', async () => {
    expect(await recordMailFeedback({ store }, complaint)).toBe('complained');
    expect(store.suppressions.get('101')?.reason).toBe('complained');
  });

  it('says so when the store already held what stands', async () => {
    await recordMailFeedback({ store }, complaint);
    expect(await recordMailFeedback({ store }, bounce('Permanent'))).toBe('already_suppressed');
  });

  it('writes nothing for a soft bounce', async () => {
    expect(await recordMailFeedback({ store }, bounce('Transient'))).toBe('soft_bounce');
    expect(store.calls).toEqual([]);
  });

  it('writes nothing for a mail that went to no contact', async () => {
    expect(await recordMailFeedback({ store }, bounce('Permanent', {}))).toBe('not_a_contact');
    expect(store.calls).toEqual([]);
  });
});

describe('why the due λ does not mail a contact', () => {
  const anders: DealContact = { contactId: '101', email: 'anders.jensen@example.dk', hsLanguage: 'da', optedOutOfEmail: false, firstName: 'Anders' };

  it('reads nothing for a contact HubSpot has no address for, or who opted out there', async () => {
    expect(await reasonNotToMailContact(store, portalId, '101', { ...anders, email: undefined })).toBe('no_email');
    expect(await reasonNotToMailContact(store, portalId, '101', { ...anders, optedOutOfEmail: true })).toBe('opted_out');
    expect(await reasonNotToMailContact(store, portalId, '101', undefined)).toBe('no_email');
    expect(store.calls).toEqual([]);
  });

  it('reads our opt-out and the suppression for a contact HubSpot would mail', async () => {
    expect(await reasonNotToMailContact(store, portalId, '101', anders)).toBeUndefined();
    await recordMailFeedback({ store }, bounce('Permanent'));
    expect(await reasonNotToMailContact(store, portalId, '101', anders)).toBe('bounced');
    store.optedOut.add('101');
    expect(await reasonNotToMailContact(store, portalId, '101', anders)).toBe('opted_out');
  });
});
