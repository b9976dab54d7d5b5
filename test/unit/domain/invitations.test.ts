import { describe, expect, it } from 'vitest';
import type { DealContact, DealContext } from '../../../lambdas/domain/deal.js';
import { fatigueWindow, planInvitations } from '../../../lambdas/domain/invitations.js';
import { PortalSettings } from '@touchpoints/contracts';
import { applyTemplate, carDealerTemplate } from '../../../lambdas/domain/templates.js';

const settings = PortalSettings.parse({ sender: { name: 'Bilhuset', email: 'kunde@bilhuset.example' }, defaultLanguage: 'da' });
const touchpoints = applyTemplate(carDealerTemplate, 'car-sales', Object.fromEntries(carDealerTemplate.steps.map(({ id }) => [id, id])));
const salesMeeting = touchpoints.filter(({ id }) => id === 'sales-meeting');
const enteredAt = new Date('2026-11-20T10:00:00.000Z');

const contact = (contactId: string, change: Partial<DealContact> = {}): DealContact => ({
  contactId,
  email: `${contactId}@example.com`,
  hsLanguage: undefined,
  optedOutOfEmail: false,
  firstName: undefined,
  ...change,
});
const deal = (contacts: DealContact[]): DealContext => ({
  dealId: '302',
  name: 'Two vans',
  pipelineId: 'car-sales',
  stageId: 'salesmeeting',
  ownerId: '7001',
  contacts,
  companyId: '5001',
});

describe('planInvitations', () => {
  it('schedules each contact’s survey the touchpoint’s delay after the deal entered the stage', () => {
    const plan = planInvitations(salesMeeting, deal([contact('1'), contact('2', { hsLanguage: 'nb' })]), enteredAt, settings, new Set());
    expect(plan.decisions).toEqual([
      { touchpointId: 'sales-meeting', contactId: '1', language: 'da', action: 'schedule', sendAt: new Date('2026-11-20T12:00:00.000Z') },
      { touchpointId: 'sales-meeting', contactId: '2', language: 'nb', action: 'schedule', sendAt: new Date('2026-11-20T12:00:00.000Z') },
    ]);
    expect(plan.unaskedTouchpointIds).toEqual([]);
  });

  it.each([
    ['has no email address', contact('1', { email: undefined }), 'no_email'],
    ['opted out of email in HubSpot', contact('1', { optedOutOfEmail: true }), 'opted_out'],
  ] as const)('skips a contact who %s, keeping the reason', (_, who, reason) => {
    expect(planInvitations(salesMeeting, deal([who]), enteredAt, settings, new Set()).decisions).toEqual([
      { touchpointId: 'sales-meeting', contactId: '1', language: 'da', action: 'skip', skipReason: reason },
    ]);
  });

  it('skips a contact who unsubscribed from our surveys', () => {
    const [decision] = planInvitations(salesMeeting, deal([contact('1')]), enteredAt, settings, new Set(['1'])).decisions;
    expect(decision).toMatchObject({ action: 'skip', skipReason: 'opted_out' });
  });

  it('records a deal without contacts as touchpoints nobody was asked about', () => {
    expect(planInvitations(salesMeeting, deal([]), enteredAt, settings, new Set())).toEqual({ decisions: [], unaskedTouchpointIds: ['sales-meeting'] });
  });

  it('plans nothing when no touchpoint started', () => {
    expect(planInvitations([], deal([contact('1')]), enteredAt, settings, new Set())).toEqual({ decisions: [], unaskedTouchpointIds: [] });
  });
});

describe('fatigueWindow', () => {
  it('spans the configured days on both sides of the send time', () => {
    expect(fatigueWindow(enteredAt, settings)).toEqual({ after: new Date('2026-10-21T10:00:00.000Z'), before: new Date('2026-12-20T10:00:00.000Z') });
  });

  it('is absent when the portal sets no cap', () => {
    expect(fatigueWindow(enteredAt, { ...settings, fatigue: { atMostOneSurveyPerDays: 0 } })).toBeUndefined();
  });
});
