import { describe, expect, it } from 'vitest';
import {
  mailFeedback,
  reasonNotToMail,
  recipientFromTags,
  recipientTags,
  SesFeedbackEvent,
  suppressionApplies,
  type MailSuppression,
} from '../../../lambdas/domain/mail-feedback.js';

const tags: Record<string, string[]> = {
  'ses:configuration-set': ['TouchpointsMail'],
  'ses:from-domain': ['bilhuset.example'],
  'touchpoints-portal': ['881234'],
  'touchpoints-contact': ['4711'],
};
const mail = { messageId: 'ses-0001', destination: ['mette@kunde.example'], tags };

function bounce(bounceType: 'Permanent' | 'Transient' | 'Undetermined', mailChanges: Partial<typeof mail> = {}): SesFeedbackEvent {
  return SesFeedbackEvent.parse({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: bounceType === 'Transient' ? 'MailboxFull' : 'General',
      bouncedRecipients: [{ emailAddress: 'mette@kunde.example', action: 'failed', status: '5.1.1' }],
      timestamp: '2026-12-05T10:01:00.000Z',
      feedbackId: 'feedback-1',
    },
    mail: { ...mail, ...mailChanges },
  });
}

const complaint = SesFeedbackEvent.parse({
  eventType: 'Complaint',
  complaint: {
    complainedRecipients: [{ emailAddress: 'mette@kunde.example' }],
    timestamp: '2026-12-05T11:00:00.000Z',
    feedbackId: 'feedback-2',
    complaintFeedbackType: 'abuse',
  },
  mail,
});

const suppression = (reason: MailSuppression['reason']): MailSuppression => ({ reason, address: 'Mette@Kunde.example', at: new Date('2026-12-05T10:01:00Z'), messageId: 'ses-0001' });

describe('what a bounce or complaint means', () => {
  it('a hard bounce suppresses the tagged contact as bounced, at the bounce’s time', () => {
    expect(mailFeedback(bounce('Permanent'))).toEqual({
      kind: 'suppress',
      recipient: { portalId: 881234, contactId: '4711' },
      suppression: { reason: 'bounced', address: 'mette@kunde.example', at: new Date('2026-12-05T10:01:00.000Z'), messageId: 'ses-0001' },
    });
  });

  it('a complaint suppresses the tagged contact as complained', () => {
    expect(mailFeedback(complaint)).toMatchObject({ kind: 'suppress', recipient: { portalId: 881234, contactId: '4711' }, suppression: { reason: 'complained', at: new Date('2026-12-05T11:00:00.000Z') } });
  });

  it('a soft bounce, or one SES could not classify, suppresses nobody', () => {
    expect(mailFeedback(bounce('Transient'))).toEqual({ kind: 'soft_bounce', recipient: { portalId: 881234, contactId: '4711' }, messageId: 'ses-0001' });
    expect(mailFeedback(bounce('Undetermined')).kind).toBe('soft_bounce');
  });

  it('a hard bounce of a mail without our contact tags (a deal owner’s notice) names no contact', () => {
    expect(mailFeedback(bounce('Permanent', { tags: { 'ses:configuration-set': ['TouchpointsMail'] } }))).toEqual({ kind: 'not_a_contact', messageId: 'ses-0001' });
  });
});

describe('the message tags that carry the contact', () => {
  it('come back as the recipient they were made from', () => {
    const tagged = Object.fromEntries(Object.entries(recipientTags({ portalId: 881234, contactId: '4711' })).map(([name, value]) => [name, [value]]));
    expect(recipientFromTags(tagged)).toEqual({ portalId: 881234, contactId: '4711' });
  });

  it('refuse a value SES would not accept in a tag header', () => {
    expect(() => recipientTags({ portalId: 881234, contactId: '47 11' })).toThrow(RangeError);
  });

  it('name no recipient when the portal is not a number', () => {
    expect(recipientFromTags({ 'touchpoints-portal': ['x1'], 'touchpoints-contact': ['4711'] })).toBeUndefined();
  });
});

describe('the SES event schema', () => {
  it('refuses an event type the topic should never carry', () => {
    expect(SesFeedbackEvent.safeParse({ eventType: 'Delivery', delivery: {}, mail }).success).toBe(false);
  });

  it('refuses a bounce without its recipients', () => {
    expect(SesFeedbackEvent.safeParse({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [], timestamp: '2026-12-05T10:01:00.000Z' }, mail }).success).toBe(false);
  });
});

describe('whether a contact is mailed', () => {
  const contact = { email: 'mette@kunde.example', optedOutOfEmail: false };

  it('a contact with an address, not opted out and not suppressed, is mailed', () => {
    expect(reasonNotToMail(contact, false, undefined)).toBeUndefined();
  });

  it('no address, then opting out, come before a suppression', () => {
    expect(reasonNotToMail({ email: undefined, optedOutOfEmail: false }, false, suppression('bounced'))).toBe('no_email');
    expect(reasonNotToMail({ ...contact, optedOutOfEmail: true }, false, suppression('bounced'))).toBe('opted_out');
    expect(reasonNotToMail(contact, true, suppression('complained'))).toBe('opted_out');
  });

  it('a bounce stops mail to the address that bounced, whatever its case', () => {
    expect(reasonNotToMail(contact, false, suppression('bounced'))).toBe('bounced');
  });

  it('a bounce no longer stops mail once HubSpot has a new address for the contact', () => {
    expect(suppressionApplies(suppression('bounced'), 'mette.new@kunde.example')).toBe(false);
    expect(reasonNotToMail({ ...contact, email: 'mette.new@kunde.example' }, false, suppression('bounced'))).toBeUndefined();
  });

  it('a complaint stops mail to the contact at any address', () => {
    expect(reasonNotToMail({ ...contact, email: 'mette.new@kunde.example' }, false, suppression('complained'))).toBe('complained');
  });
});
