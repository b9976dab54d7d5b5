import { describe, expect, it } from 'vitest';
import type { FollowUp } from '../../../lambdas/domain/follow-up.js';
import type { Invitation } from '../../../lambdas/domain/journey.js';
import { dealNextSteps, describeNextSteps } from '../../../local/demo/next-steps.js';

const now = new Date('2026-12-04T12:00:00.000Z');
const at = (iso: string) => new Date(iso);
const invitation = (change: Partial<Invitation>): Invitation => ({ dealId: '301', touchpointId: 'sales-meeting', contactId: '101', status: 'scheduled', language: 'da', createdAt: now, ...change });
const promise = (change: Partial<FollowUp>): FollowUp => ({
  touchpointId: 'sales-meeting',
  dealId: '301',
  expectation: { expect: 'stage', stageId: 'offersent' },
  promise: 'Deal reaches Offer sent within 2 days',
  startedAt: now,
  dueAt: at('2026-12-06T12:00:00.000Z'),
  status: 'pending',
  contactIds: ['101'],
  ...change,
});
const names = { touchpointNames: new Map([['sales-meeting', 'Sales meeting']]), contactNames: new Map([['101', 'Anders Jensen'], ['108', 'Jonas Madsen']]) };
const urls = { dealId: '301', appUrl: 'http://127.0.0.1:4000', sesUrl: 'http://127.0.0.1:4200' };

describe('what happens next on a demo deal', () => {
  it('says when a scheduled survey goes, the clock command that gets there, and where to read it', () => {
    const steps = dealNextSteps({ ...names, invitations: [invitation({ sendAt: at('2026-12-04T14:00:00.000Z') })], followUps: [], now, since: now });
    expect(describeNextSteps(steps, urls)).toEqual([
      'Anders Jensen\'s survey "Sales meeting" goes at 2026-12-04 14:00 UTC (in 2h): npm run demo -- advance 2h, then read it at http://127.0.0.1:4200',
    ]);
  });

  it('says why a contact gets no survey, for invitations skipped by this move only', () => {
    const steps = dealNextSteps({
      ...names,
      invitations: [invitation({ contactId: '108', status: 'skipped', skipReason: 'no_email' }), invitation({ touchpointId: 'test-drive', status: 'skipped', skipReason: 'fatigue', createdAt: at('2026-12-01T12:00:00.000Z') })],
      followUps: [],
      now,
      since: at('2026-12-04T11:59:59.000Z'),
    });
    expect(describeNextSteps(steps, urls)).toEqual(['Jonas Madsen gets no survey "Sales meeting": Jonas Madsen has no email address.']);
  });

  it('says when a pending promise falls due, how to miss it, and the card that shows it; and how a kept-late one ended', () => {
    const steps = dealNextSteps({
      ...names,
      invitations: [],
      followUps: [promise({}), promise({ touchpointId: 'offer', status: 'kept_late', dueAt: at('2026-11-20T12:00:00.000Z'), keptAt: at('2026-11-25T09:30:00.000Z') })],
      now,
      since: now,
    });
    expect(describeNextSteps(steps, urls)).toEqual([
      'Promise "Deal reaches Offer sent within 2 days" is due at 2026-12-06 12:00 UTC (in 2d); npm run demo -- advance 2d misses it. The card shows it: http://127.0.0.1:4000/ui/record/deal/301',
      'Promise "Deal reaches Offer sent within 2 days" was kept late at 2026-11-25 09:30 UTC (due 2026-11-20 12:00 UTC). The card shows it: http://127.0.0.1:4000/ui/record/deal/301',
    ]);
  });

  it('says so when a move sets nothing off', () => {
    const steps = dealNextSteps({ ...names, invitations: [invitation({ status: 'answered' })], followUps: [], now, since: now });
    expect(describeNextSteps(steps, urls)).toEqual([
      'Nothing is scheduled for deal 301: no touchpoint of this stage invites its contacts, and it has no promise. The card: http://127.0.0.1:4000/ui/record/deal/301',
    ]);
  });
});
