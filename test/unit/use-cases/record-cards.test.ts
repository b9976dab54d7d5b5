import { beforeEach, describe, expect, it } from 'vitest';
import { CardData, type CardRequest, dayMs } from '@touchpoints/contracts';
import type { FollowUp } from '../../../lambdas/domain/follow-up.js';
import { RecordCards, type RecordCardPorts } from '../../../lambdas/journeys/record-cards.js';
import { answerOnDeal as answer, type InMemoryPortal, inMemoryPortal, invitationOnDeal as invitation, settingsOf, touchpointOf, withActivity } from '../../support/in-memory-store.js';

const portalId = 24681357;
const otherPortalId = 13572468;
const deal: CardRequest = { objectType: 'deal', objectId: '301' };
const start = new Date('2026-11-25T10:00:00.000Z');

const missedFollowUp: FollowUp = {
  touchpointId: 'sales-meeting',
  dealId: '301',
  expectation: { expect: 'stage', stageId: 'offer-stage' },
  promise: 'Deal reaches Offer sent within 2 days',
  startedAt: new Date(start.getTime() - 5 * dayMs),
  dueAt: new Date(start.getTime() - 3 * dayMs - 3_600_000),
  status: 'missed',
  ownerId: '9001',
  ownerName: 'Ole Hansen',
  contactIds: ['101', '102'],
};

let portal: InMemoryPortal;
let clock: Date;
let cards: RecordCards;

function cardsWith(change: Partial<RecordCardPorts> = {}) {
  return new RecordCards({ store: portal.store, now: () => clock, ...change });
}

beforeEach(() => {
  portal = inMemoryPortal();
  clock = start;
  portal.touchpoints.set(portalId, [
    touchpointOf('offer', { name: 'Offer', phase: 'purchase' }),
    touchpointOf('test-drive', { name: 'Test drive', phase: 'influence' }),
    touchpointOf('sales-meeting', { name: 'Sales meeting', phase: 'pre_purchase', followUp: { expect: 'stage', stageId: 'offer-stage', within: { amount: 2, unit: 'days' } } }),
    touchpointOf('delivery', { name: 'Delivery', phase: 'post_purchase' }),
    touchpointOf('retired', { name: 'Retired survey', phase: 'post_purchase', enabled: false }),
  ]);
  // Yellow ends at 5 here (the default is 7): the offer's mean of 6 is green on this portal.
  portal.settings.set(portalId, settingsOf({ lightThresholds: { redMax: 3, yellowMax: 5 } }));
  withActivity(portal, portalId, deal, {
    responses: [answer('offer', '101', 4, '2026-11-21T10:00:00.000Z', 'Too pricey'), answer('offer', '102', 8, '2026-11-22T10:00:00.000Z', 'Fair deal')],
    invitations: [
      invitation('offer', '101', 'answered'),
      invitation('offer', '102', 'answered'),
      invitation('test-drive', '101', 'sent'),
      invitation('delivery', '101', 'scheduled', '2026-12-01T09:00:00.000Z'),
      invitation('sales-meeting', '101', 'skipped'),
    ],
    followUps: [missedFollowUp, { ...missedFollowUp, touchpointId: 'offer', status: 'kept', keptAt: start }],
  });
  cards = cardsWith();
});

describe('RecordCards.card', () => {
  it('gives a record its journey in order, with answers, waiting and scheduled surveys, on the portal’s thresholds', async () => {
    const data = CardData.parse(await cards.card(portalId, deal));
    expect(data.record).toEqual(deal);
    expect(data.configured).toBe(true);
    expect(data.touchpoints.map(({ touchpointId, state }) => `${touchpointId}:${state}`)).toEqual([
      'test-drive:waiting',
      'sales-meeting:not_asked',
      'offer:answered',
      'delivery:scheduled',
    ]);
    expect(data.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')).toMatchObject({
      light: 'green',
      lastScore: 8,
      meanScore: 6,
      responses: 2,
      lastComment: 'Fair deal',
      lastAnsweredAt: '2026-11-22T10:00:00.000Z',
    });
    expect(data.touchpoints.find(({ touchpointId }) => touchpointId === 'delivery')?.nextSendAt).toBe('2026-12-01T09:00:00.000Z');
    expect(data.responseRate).toEqual({ answered: 2, sent: 3 });
  });

  it('lists the missed follow-up with the touchpoint’s name and the days overdue, not the kept one', async () => {
    const { missedFollowUps } = await cards.card(portalId, deal);
    expect(missedFollowUps).toEqual([
      {
        touchpointId: 'sales-meeting',
        touchpointName: 'Sales meeting',
        dealId: '301',
        promise: 'Deal reaches Offer sent within 2 days',
        dueAt: missedFollowUp.dueAt.toISOString(),
        daysOverdue: 3,
        ownerId: '9001',
        ownerName: 'Ole Hansen',
      },
    ]);
  });

  it('uses the default thresholds when the portal has no settings', async () => {
    portal.settings.clear();
    const { touchpoints } = await cards.card(portalId, deal);
    expect(touchpoints.find(({ touchpointId }) => touchpointId === 'offer')?.light).toBe('yellow');
  });

  it('reads only the asked record’s activity', async () => {
    const { touchpoints, responseRate } = await cards.card(portalId, { objectType: 'contact', objectId: '999' });
    expect(touchpoints.every(({ state }) => state === 'not_asked')).toBe(true);
    expect(responseRate).toEqual({ answered: 0, sent: 0 });
    expect(portal.calls).toContain(`recordActivity ${portalId} contact#999`);
  });

  it('says a portal without touchpoints is not configured', async () => {
    const data = await cards.card(otherPortalId, { objectType: 'contact', objectId: '101' });
    expect(data).toEqual({
      record: { objectType: 'contact', objectId: '101' },
      configured: false,
      touchpoints: [],
      missedFollowUps: [],
      pendingAndKeptFollowUps: [],
      responseRate: { answered: 0, sent: 0 },
      surveysPaused: null,
      mailSuppression: null,
    });
  });

  it('says the portal’s surveys are paused while its sender domain is not verified', async () => {
    portal.senderDomains.set(portalId, { domain: 'nordic-cars.example', state: 'pending', dkimStatus: 'Pending', dkimTokens: ['a', 'b', 'c'], checkedAt: start });
    expect((await cards.card(portalId, deal)).surveysPaused).toEqual({ senderDomain: 'nordic-cars.example' });
  });
});

describe('the per-container cache of touchpoints, thresholds and the sender domain check', () => {
  const configReads = () => portal.calls.filter((call) => !call.startsWith('recordActivity'));

  it('reads a portal’s touchpoints, settings and sender domain once a minute, its records every time', async () => {
    await cards.card(portalId, deal);
    clock = new Date(start.getTime() + 59_999);
    await cards.card(portalId, deal);
    await cards.card(portalId, { objectType: 'contact', objectId: '101' });
    expect(configReads()).toEqual([`listTouchpoints ${portalId}`, `getSettings ${portalId}`, `getSenderDomain ${portalId}`]);
    expect(portal.calls.filter((call) => call.startsWith('recordActivity'))).toHaveLength(3);
  });

  it('shows an admin’s edit once the minute is over', async () => {
    const offerName = async () => (await cards.card(portalId, deal)).touchpoints.find(({ touchpointId }) => touchpointId === 'offer')?.name;
    expect(await offerName()).toBe('Offer');
    portal.touchpoints.set(portalId, [touchpointOf('offer', { name: 'Price offer' })]);
    clock = new Date(start.getTime() + 30_000);
    expect(await offerName()).toBe('Offer');
    clock = new Date(start.getTime() + 60_000);
    expect(await offerName()).toBe('Price offer');
    expect(configReads()).toHaveLength(6);
  });

  it('keeps each portal’s own configuration', async () => {
    await cards.card(portalId, deal);
    const other = await cards.card(otherPortalId, deal);
    expect(other.configured).toBe(false);
    expect((await cards.card(portalId, deal)).configured).toBe(true);
    expect(configReads()).toEqual([`listTouchpoints ${portalId}`, `getSettings ${portalId}`, `getSenderDomain ${portalId}`, `listTouchpoints ${otherPortalId}`, `getSettings ${otherPortalId}`, `getSenderDomain ${otherPortalId}`]);
  });

  it('takes the time to keep from its ports', async () => {
    cards = cardsWith({ configTtlMs: 1_000 });
    await cards.card(portalId, deal);
    clock = new Date(start.getTime() + 999);
    await cards.card(portalId, deal);
    expect(configReads()).toHaveLength(3);
    clock = new Date(start.getTime() + 1_000);
    await cards.card(portalId, deal);
    expect(configReads()).toHaveLength(6);
  });

  it('does not keep a failed read: the next request reads again', async () => {
    portal.failTouchpointReads = 1;
    await expect(cards.card(portalId, deal)).rejects.toThrow('ProvisionedThroughputExceededException');
    const data = await cards.card(portalId, deal);
    expect(data.configured).toBe(true);
    expect(portal.calls.filter((call) => call.startsWith('listTouchpoints'))).toHaveLength(2);
  });

  it('shares one read between requests that arrive together', async () => {
    await Promise.all([cards.card(portalId, deal), cards.card(portalId, deal), cards.card(portalId, deal)]);
    expect(configReads()).toEqual([`listTouchpoints ${portalId}`, `getSettings ${portalId}`, `getSenderDomain ${portalId}`]);
  });
});
