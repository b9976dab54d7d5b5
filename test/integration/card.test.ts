import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardData, notConnectedMessage } from '@touchpoints/contracts';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { signFetchRequest } from '../../local/hubspot-sandbox/server.js';
import { mailsTo } from '../support/local-ses.js';
import { asPerson, settleClicks, startTestStack } from '../support/local-stack.js';

const portal = demoPortalId;
let stack: Awaited<ReturnType<typeof startTestStack>>;

function signedCardRequest(objectType: string, objectId: string, { portalId = portal, cardUrlExtra = '' } = {}) {
  const url = `${stack.info.appUrl}/card?objectType=${objectType}&objectId=${objectId}${cardUrlExtra}`;
  if (portalId === portal) return stack.sandbox.signFetchRequest({ url, portalId });
  // A user of another portal, signed as HubSpot would; the sandbox itself holds only the demo portal.
  return signFetchRequest(demoApp, { url, portalId, userId: 99001, userEmail: 'someone@other-portal.example' }, Date.now());
}

async function card(objectType: string, objectId: string, options?: Parameters<typeof signedCardRequest>[2]): Promise<CardData> {
  const signed = signedCardRequest(objectType, objectId, options);
  const response = await fetch(signed.url, { headers: signed.headers });
  expect(response.status).toBe(200);
  return (await response.json()) as CardData;
}

const lights = (data: CardData) => Object.fromEntries(data.touchpoints.filter(({ light }) => light).map(({ touchpointId, light, lastScore }) => [touchpointId, `${light} ${lastScore}`]));

beforeAll(async () => {
  stack = await startTestStack();
  // Green Fleet's two buyers rate the offer: Emma 4, Peter 8.
  stack.sandbox.moveDeal(portal, '302', 'offersent');
  await stack.settled();
  await stack.runDueAt(new Date(Date.now() + 25 * 3_600_000));
  for (const [address, score] of [['emma.wilson@example.com', 4], ['peter.smith@example.com', 8]] as const) {
    const [mail] = await mailsTo(stack.info.sesUrl, address);
    const link = mail!.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0];
    expect((await asPerson(`${link}?score=${score}`)).status).toBe(200);
  }
  await settleClicks(stack);
});
afterAll(() => stack.close());

describe('the card λ after the demo journey', () => {
  it('shows each contact their own light', async () => {
    expect(lights(await card('contact', '102'))).toEqual({ offer: 'red 4' });
    expect(lights(await card('contact', '104'))).toEqual({ offer: 'green 8' });
  });

  it('shows the deal and the company the mean of both: yellow', async () => {
    for (const [objectType, objectId] of [['deal', '302'], ['company', '205']] as const) {
      const data = await card(objectType, objectId);
      expect(data.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')).toMatchObject({ light: 'yellow', meanScore: 6, responses: 2, state: 'answered' });
      expect(data.responseRate).toEqual({ answered: 2, sent: 2 });
    }
  });

  it('lists the journey in order, the untouched touchpoints as not asked', async () => {
    const data = await card('deal', '302');
    expect(data.touchpoints.map(({ touchpointId, state }) => `${touchpointId}:${state}`)).toEqual([
      'test-drive:not_asked',
      'sales-meeting:not_asked',
      'offer:answered',
      'contract:not_asked',
      'delivery:not_asked',
    ]);
  });

  it('shows the seeded demo deal’s red, yellow and green, and its offer promise kept 5 days late, not missed', async () => {
    const data = await card('deal', '303');
    expect(lights(data)).toEqual({ 'test-drive': 'green 9', 'sales-meeting': 'yellow 7', offer: 'red 3' });
    expect(data.missedFollowUps).toEqual([]);
    expect(data.pendingAndKeptFollowUps).toEqual([expect.objectContaining({ touchpointName: 'Sales meeting', promise: 'Deal reaches Offer sent within 2 days', status: 'kept_late', daysLate: 5 })]);
  });
});

describe('what the card λ refuses', () => {
  it('gives a request signed for another portal, one that has not installed Touchpoints, nothing of this portal’s record', async () => {
    const signed = signedCardRequest('deal', '302', { portalId: 11223344 });
    const response = await fetch(signed.url, { headers: signed.headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: notConnectedMessage });
  });

  it('refuses a portal id the card put in the URL that HubSpot did not vouch for, with 403', async () => {
    const signed = signedCardRequest('deal', '302', { portalId: 11223344, cardUrlExtra: `&portalId=${portal}` });
    expect((await fetch(signed.url, { headers: signed.headers })).status).toBe(403);
  });

  it.each([
    ['unsigned', () => fetch(`${stack.info.appUrl}/card?objectType=deal&objectId=302&portalId=${portal}`)],
    ['tampered (another record after signing)', () => {
      const signed = signedCardRequest('deal', '302');
      return fetch(signed.url.replace('objectId=302', 'objectId=303'), { headers: signed.headers });
    }],
    ['stale (signed six minutes ago)', () => {
      const signed = signedCardRequest('deal', '302');
      const url = signed.url;
      const timestamp = String(Date.now() - 6 * 60_000);
      return fetch(url, { headers: { ...signed.headers, 'X-HubSpot-Request-Timestamp': timestamp } });
    }],
  ])('refuses a request that is %s with 401', async (_, send) => {
    expect((await send()).status).toBe(401);
  });

  it('answers a request for something that is not a record with 400 naming the field', async () => {
    const signed = signedCardRequest('ticket', '302');
    const response = await fetch(signed.url, { headers: signed.headers });
    expect([response.status, await response.json()]).toEqual([400, { message: 'Invalid card request', problems: ['objectType: must be contact, company or deal'] }]);
  });
});
