/**
 * Fixtures and loaders for the card's tests: a car dealer's journey (test drive, sales meeting,
 * the offer, contract, delivery) on one deal. Every fixture goes through the card's own schema,
 * so a test cannot pass on data the API could never send.
 */
import type { CrmRecordContext, PortalContext } from '@hubspot/ui-extensions';
import { vi } from 'vitest';
import { CardData, type CardRequest, CardTouchpoint, CardFollowUp, MissedFollowUp } from '@touchpoints/contracts';
import type { CardLoader } from '../hooks/card-api.js';

export const portal: PortalContext = { id: 881234, timezone: 'Europe/Copenhagen' };

export const dealRecord: CrmRecordContext = { objectTypeId: '0-3', objectId: 4711 };
export const dealRequest: CardRequest = { objectType: 'deal', objectId: '4711' };

export const otherDealRecord: CrmRecordContext = { objectTypeId: '0-3', objectId: 4712 };
export const otherDealRequest: CardRequest = { objectType: 'deal', objectId: '4712' };

/** A touchpoint nobody on the record has been asked about; override what the test is about. */
export function touchpointFixture(
  overrides: Partial<CardTouchpoint> & Pick<CardTouchpoint, 'touchpointId' | 'name'>,
): CardTouchpoint {
  return CardTouchpoint.parse({
    phase: 'pre_purchase',
    state: 'not_asked',
    light: null,
    lastScore: null,
    meanScore: null,
    responses: 0,
    lastComment: null,
    lastAnsweredAt: null,
    nextSendAt: null,
    ...overrides,
  });
}

export const testDrive = touchpointFixture({
  touchpointId: 'test-drive',
  name: 'Test drive',
  phase: 'pre_purchase',
  state: 'answered',
  light: 'green',
  lastScore: 9,
  meanScore: 9,
  responses: 1,
  lastComment: 'Knew the car inside out',
  lastAnsweredAt: '2025-05-02T10:00:00.000Z',
});

export const salesMeeting = touchpointFixture({
  touchpointId: 'sales-meeting',
  name: 'Sales meeting',
  phase: 'pre_purchase',
  state: 'answered',
  light: 'yellow',
  lastScore: 7,
  meanScore: 6.5,
  responses: 2,
  lastComment: null,
  lastAnsweredAt: '2025-05-06T09:30:00.000Z',
});

export const theOffer = touchpointFixture({
  touchpointId: 'the-offer',
  name: 'The offer',
  phase: 'purchase',
  state: 'answered',
  light: 'red',
  lastScore: 4,
  meanScore: 5.5,
  responses: 2,
  lastComment: 'The offer took a week to arrive',
  lastAnsweredAt: '2025-05-12T12:00:00.000Z',
});

export const contract = touchpointFixture({
  touchpointId: 'contract',
  name: 'Contract',
  phase: 'purchase',
  state: 'waiting',
});

export const delivery = touchpointFixture({
  touchpointId: 'delivery',
  name: 'Delivery',
  phase: 'post_purchase',
  state: 'scheduled',
  nextSendAt: '2025-06-03T08:00:00.000Z',
});

export const showroomVisit = touchpointFixture({
  touchpointId: 'showroom-visit',
  name: 'Showroom visit',
  phase: 'influence',
  state: 'not_asked',
});

export function missedFollowUpFixture(overrides: Partial<MissedFollowUp> = {}): MissedFollowUp {
  return MissedFollowUp.parse({
    touchpointId: 'the-offer',
    touchpointName: 'The offer',
    dealId: '4711',
    promise: 'Offer within 2 days of the sales meeting',
    dueAt: '2025-05-08T09:30:00.000Z',
    daysOverdue: 3,
    ownerId: '77',
    ownerName: null,
    ...overrides,
  });
}

export function cardFollowUpFixture(overrides: Partial<CardFollowUp> = {}): CardFollowUp {
  return CardFollowUp.parse({
    touchpointId: 'sales-meeting',
    touchpointName: 'Sales meeting',
    dealId: '4711',
    promise: 'Offer within 2 days of the sales meeting',
    status: 'pending',
    dueAt: '2025-05-08T09:30:00.000Z',
    minutesLeft: 2_760,
    keptAt: null,
    daysLate: null,
    ...overrides,
  });
}

/** The deal midway: three answers, one survey out, one to come, nothing missed. */
export function cardFixture(overrides: Partial<CardData> = {}): CardData {
  return CardData.parse({
    record: dealRequest,
    configured: true,
    touchpoints: [testDrive, salesMeeting, theOffer, contract, delivery],
    missedFollowUps: [],
    pendingAndKeptFollowUps: [],
    responseRate: { answered: 3, sent: 5 },
    surveysPaused: null,
    mailSuppression: null,
    ...overrides,
  });
}

export function loaderAnswering(payload: unknown) {
  return vi.fn<CardLoader>(async () => payload);
}

export function loaderFailingWith(error: unknown) {
  return vi.fn<CardLoader>(async () => {
    throw error;
  });
}

interface PendingLoad {
  request: CardRequest;
  answer: (payload: unknown) => void;
  fail: (error: unknown) => void;
}

/** A loader whose answers the test gives, in whatever order it likes. */
export function loaderAnsweredByTest() {
  const pending: PendingLoad[] = [];
  const loadCard = vi.fn<CardLoader>((request) => {
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    pending.push({ request, answer: resolve, fail: reject });
    return promise;
  });
  return { loadCard, pending };
}
