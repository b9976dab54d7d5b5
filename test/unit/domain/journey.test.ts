import { describe, expect, it } from 'vitest';
import { followUpTimerId } from '../../../lambdas/domain/follow-up.js';
import { claimLeaseMs, mailClaim, reminderTimerId, surveySlotHolder, surveySlotHolderOf, surveyTimerId, type Invitation, type InvitationStatus } from '../../../lambdas/domain/journey.js';

const sentAt = new Date('2026-11-25T10:00:00.000Z');
const remindedAt = new Date('2026-11-28T10:00:00.000Z');
const after = (from: Date, ms: number) => new Date(from.getTime() + ms);
const invitation = (change: Partial<Invitation> = {}): Invitation => ({
  dealId: '301',
  touchpointId: 'offer',
  contactId: '101',
  status: 'sent',
  language: 'en',
  createdAt: new Date('2026-11-24T10:00:00.000Z'),
  sendAt: sentAt,
  ...change,
});

describe('surveyTimerId and reminderTimerId', () => {
  it('name a survey’s timer after its deal, touchpoint and contact', () => {
    expect(surveyTimerId('301', 'offer', '101')).toBe('survey-301-offer-101');
  });

  it('name a reminder’s timer after its deal, touchpoint and contact', () => {
    expect(reminderTimerId('301', 'offer', '101')).toBe('reminder-301-offer-101');
  });

  it('give the same invitation the same timer every time, so setting it twice is harmless', () => {
    expect([surveyTimerId('301', 'offer', '101'), reminderTimerId('301', 'offer', '101')]).toEqual([surveyTimerId('301', 'offer', '101'), reminderTimerId('301', 'offer', '101')]);
  });

  it('give every invitation its own timers, apart from each other and from the follow-up timer', () => {
    const ids = [
      surveyTimerId('301', 'offer', '101'),
      surveyTimerId('301', 'offer', '102'),
      surveyTimerId('301', 'delivery', '101'),
      surveyTimerId('302', 'offer', '101'),
      reminderTimerId('301', 'offer', '101'),
      reminderTimerId('301', 'offer', '102'),
      followUpTimerId('301', 'offer'),
    ];
    expect(new Set(ids).size).toBe(7);
  });

  it('keep a dashed touchpoint id readable between the numeric deal and contact ids', () => {
    expect([surveyTimerId('301', 'test-drive', '101'), reminderTimerId('301', 'test-drive', '101')]).toEqual(['survey-301-test-drive-101', 'reminder-301-test-drive-101']);
  });
});

describe('claimLeaseMs', () => {
  it('protects a claim for five minutes, well past the λs’ 60 s timeout', () => {
    expect(claimLeaseMs).toBe(5 * 60_000);
    expect(claimLeaseMs).toBeGreaterThan(2 * 60_000);
  });
});

describe('mailClaim for the survey', () => {
  it('is unclaimed while the invitation is scheduled, whatever the clock says', () => {
    expect(mailClaim(invitation({ status: 'scheduled' }), 'survey', after(sentAt, 10 * claimLeaseMs))).toEqual({ state: 'unclaimed' });
  });

  it('is unclaimed for a sent invitation with no claim time', () => {
    expect(mailClaim(invitation(), 'survey', sentAt)).toEqual({ state: 'unclaimed' });
  });

  it('is in flight at the moment it was claimed and a millisecond before the lease lapses', () => {
    const claimed = invitation({ sentAt });
    expect([mailClaim(claimed, 'survey', sentAt), mailClaim(claimed, 'survey', after(sentAt, claimLeaseMs - 1))]).toEqual([{ state: 'in_flight' }, { state: 'in_flight' }]);
  });

  it('is in flight when this run’s clock is behind the claiming run’s', () => {
    expect(mailClaim(invitation({ sentAt }), 'survey', after(sentAt, -60_000))).toEqual({ state: 'in_flight' });
  });

  it('is abandoned exactly when the lease lapses, keeping the claim time so only that claim is released', () => {
    expect(mailClaim(invitation({ sentAt }), 'survey', after(sentAt, claimLeaseMs))).toEqual({ state: 'abandoned', claimedAt: sentAt });
  });

  it('is mailed once SES’s message id confirms it, however long ago it was claimed', () => {
    expect(mailClaim(invitation({ sentAt, surveyMessageId: 'ses-1' }), 'survey', after(sentAt, 100 * claimLeaseMs))).toEqual({ state: 'mailed' });
  });

  it('is not confirmed by the reminder’s message id', () => {
    expect(mailClaim(invitation({ sentAt, reminderSentAt: sentAt, reminderMessageId: 'ses-2' }), 'survey', after(sentAt, claimLeaseMs))).toEqual({ state: 'abandoned', claimedAt: sentAt });
  });

  it.each(['skipped', 'cancelled', 'answered', 'opted_out'] as const)('is closed for a %s invitation', (status) => {
    expect(mailClaim(invitation({ status, sentAt }), 'survey', after(sentAt, claimLeaseMs))).toEqual({ state: 'closed' });
  });
});

describe('mailClaim for the reminder', () => {
  const surveyed = { sentAt, surveyMessageId: 'ses-1' };

  it('is unclaimed after the survey was mailed and before a reminder was claimed', () => {
    expect(mailClaim(invitation(surveyed), 'reminder', remindedAt)).toEqual({ state: 'unclaimed' });
  });

  it('is in flight within the lease of its own claim, even though the survey’s claim is long past', () => {
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: remindedAt }), 'reminder', after(remindedAt, claimLeaseMs - 1))).toEqual({ state: 'in_flight' });
  });

  it('is abandoned once its own lease lapses, naming its own claim time', () => {
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: remindedAt }), 'reminder', after(remindedAt, claimLeaseMs))).toEqual({ state: 'abandoned', claimedAt: remindedAt });
  });

  it('is not confirmed by the survey’s message id', () => {
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: remindedAt }), 'reminder', after(remindedAt, 1))).toEqual({ state: 'in_flight' });
  });

  it('is mailed once its own message id confirms it', () => {
    expect(mailClaim(invitation({ ...surveyed, reminderSentAt: remindedAt, reminderMessageId: 'ses-2' }), 'reminder', after(remindedAt, 1))).toEqual({ state: 'mailed' });
  });

  it.each(['scheduled', 'skipped', 'cancelled', 'answered', 'opted_out'] satisfies InvitationStatus[])('is closed for a %s invitation', (status) => {
    expect(mailClaim(invitation({ ...surveyed, status, reminderSentAt: remindedAt }), 'reminder', after(remindedAt, claimLeaseMs))).toEqual({ state: 'closed' });
  });
});

describe('who holds a contact’s survey slot', () => {
  it('names the deal and touchpoint of the survey, and reads them back', () => {
    expect(surveySlotHolder('303', 'offer')).toBe('303/offer');
    expect(surveySlotHolderOf(surveySlotHolder('303', 'sales-meeting'))).toEqual({ dealId: '303', touchpointId: 'sales-meeting' });
  });

  it('reads nothing from a value that names no deal and touchpoint', () => {
    expect(surveySlotHolderOf('303')).toBeUndefined();
    expect(surveySlotHolderOf('/offer')).toBeUndefined();
    expect(surveySlotHolderOf('303/offer/extra')).toBeUndefined();
  });
});
