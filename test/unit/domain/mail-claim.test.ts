import { describe, expect, it } from 'vitest';
import { mailClaim, claimLeaseMs, type Invitation } from '../../../lambdas/domain/journey.js';

const claimedAt = new Date('2026-11-25T10:00:00Z');
const invitation = (changes: Partial<Invitation>): Invitation => ({
  dealId: '301',
  touchpointId: 'offer',
  contactId: '101',
  language: 'da',
  createdAt: new Date('2026-11-24T10:00:00Z'),
  status: 'sent',
  sentAt: claimedAt,
  ...changes,
});
const after = (ms: number) => new Date(claimedAt.getTime() + ms);

describe('a survey mail’s claim', () => {
  it('is open while the invitation is scheduled', () => {
    expect(mailClaim(invitation({ status: 'scheduled', sentAt: undefined }), 'survey', claimedAt)).toEqual({ state: 'unclaimed' });
  });

  it('is in flight until SES’s message id confirms it, and abandoned once the lease has lapsed', () => {
    const claimed = invitation({});
    expect(mailClaim(claimed, 'survey', after(claimLeaseMs - 1))).toEqual({ state: 'in_flight' });
    expect(mailClaim(claimed, 'survey', after(claimLeaseMs))).toEqual({ state: 'abandoned', claimedAt });
    expect(mailClaim(invitation({ surveyMessageId: 'ses-1' }), 'survey', after(claimLeaseMs))).toEqual({ state: 'mailed' });
  });

  it('is closed once the customer answered, opted out or the survey was cancelled, confirmed or not', () => {
    for (const status of ['answered', 'opted_out', 'cancelled', 'skipped'] as const) {
      expect(mailClaim(invitation({ status }), 'survey', after(claimLeaseMs))).toEqual({ state: 'closed' });
    }
  });
});

describe('a reminder’s claim', () => {
  it('follows its own claim and message id, not the survey’s', () => {
    const surveyed = { surveyMessageId: 'ses-1' };
    expect(mailClaim(invitation(surveyed), 'reminder', after(claimLeaseMs))).toEqual({ state: 'unclaimed' });
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: claimedAt }), 'reminder', after(1))).toEqual({ state: 'in_flight' });
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: claimedAt }), 'reminder', after(claimLeaseMs))).toEqual({ state: 'abandoned', claimedAt });
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: claimedAt, reminderMessageId: 'ses-2' }), 'reminder', after(claimLeaseMs))).toEqual({ state: 'mailed' });
    expect(mailClaim(invitation({ ...surveyed, status: 'answered', reminderSentAt: claimedAt }), 'reminder', after(claimLeaseMs))).toEqual({ state: 'closed' });
  });
});
