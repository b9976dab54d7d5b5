import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalReport } from '@touchpoints/contracts';
import { newcombeDifference, wilsonInterval } from '../../lambdas/domain/deal-outcomes.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { announceAnswer, answered, closeRatedDeals } from '../support/closed-deals.js';
import { startTestStack } from '../support/local-stack.js';

const portal = demoPortalId;
let stack: Awaited<ReturnType<typeof startTestStack>>;
let hubspot: Client;

async function report(query = ''): Promise<PortalReport> {
  const signed = stack.sandbox.signFetchRequest({ url: `${stack.info.appUrl}/report${query}`, portalId: portal });
  const response = await fetch(signed.url, { headers: signed.headers });
  expect(response.status).toBe(200);
  return (await response.json()) as PortalReport;
}

const offerOutcomes = (shown: PortalReport) => shown.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!.outcomes;

let deals: Awaited<ReturnType<typeof closeRatedDeals>>;

beforeAll(async () => {
  stack = await startTestStack();
  hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
  deals = await closeRatedDeals(stack, hubspot);
}, 60_000);
afterAll(() => stack.close());

describe('deals closing won and lost in HubSpot', () => {
  it('shows the offer’s win rate by light with intervals, and red against the rest', async () => {
    const outcomes = offerOutcomes(await report());
    expect(outcomes.byLight.map(({ light, closedDeals, won }) => `${light}:${won}/${closedDeals}`)).toEqual(['red:4/12', 'yellow:0/0', 'green:9/12']);
    const expected = newcombeDifference(wilsonInterval(4, 12), wilsonInterval(9, 12));
    expect(outcomes.redVersusRest?.difference).toBeCloseTo(expected.difference, 12);
    expect(outcomes.redVersusRest?.low).toBeCloseTo(expected.low, 12);
    expect(outcomes.redVersusRest?.high).toBeCloseTo(expected.high, 12);
    expect(outcomes.byLight[0]!.averageAmount).toBe(300_000 + 5_500);
    expect(outcomes.needMore).toBeNull();
  });

  it('says how many closed deals a touchpoint still needs where too few closed', async () => {
    const testDrive = (await report()).touchpoints.find(({ touchpointId }) => touchpointId === 'test-drive')!;
    expect(testDrive.outcomes).toMatchObject({ closedDeals: 0, redVersusRest: null, needMore: { red: 10, rest: 10 } });
  });

  it('counts a deal that closes again once, as it closed last', async () => {
    stack.sandbox.moveDeal(portal, deals[0]!.dealId, 'closedlost'); // rated the offer red, won, then lost after all
    await stack.settled();
    expect(offerOutcomes(await report()).byLight[0]).toMatchObject({ closedDeals: 12, won: 3 });
  });

  it('carries the outcome columns in the CSV', async () => {
    const signed = stack.sandbox.signFetchRequest({ url: `${stack.info.appUrl}/report?format=csv`, portalId: portal });
    const [header] = (await (await fetch(signed.url, { headers: signed.headers })).text()).split('\n');
    expect(header).toContain('closed_deals_red,won_red,win_rate_red,average_amount_red');
    expect(header).toContain('win_rate_red_vs_rest,win_rate_red_vs_rest_low,win_rate_red_vs_rest_high');
  });
});

describe('deals at risk', () => {
  it('lists an open deal once its customer’s red answer is recorded, with its amount and owner', async () => {
    // Ingrid (deal 303, "Offer sent") rated the offer 3 in the seeded demo; her answer is announced again.
    const answeredAt = await answered(stack, '303', 'offer', '103', 3, 'Tilbudet kom først etter en uke.');
    await announceAnswer(stack, '303', 'offer', '103', answeredAt);
    expect((await report()).dealsAtRisk).toContainEqual({
      dealId: '303',
      dealName: 'Toyota RAV4 Hybrid – Ingrid Haugen',
      amount: 415_000,
      ownerId: '61003',
      redTouchpointIds: ['offer'],
      redSince: expect.any(String),
    });
  });

  it('ranks the most valuable first', async () => {
    const answeredAt = await answered(stack, '307', 'offer', '110', 2);
    await announceAnswer(stack, '307', 'offer', '110', answeredAt);
    const atRisk = (await report()).dealsAtRisk.map(({ dealId }) => dealId);
    expect(atRisk.indexOf('303')).toBeLessThan(atRisk.indexOf('307')); // 415,000 before 259,000
  });

  it('drops a deal whose answer is changed to green', async () => {
    const answeredAt = await answered(stack, '307', 'offer', '110', 9);
    await announceAnswer(stack, '307', 'offer', '110', answeredAt);
    expect((await report()).dealsAtRisk.map(({ dealId }) => dealId)).not.toContain('307');
  });

  it('drops a deal once it closes, and counts it as closed', async () => {
    stack.sandbox.moveDeal(portal, '303', 'closedlost');
    await stack.settled();
    const shown = await report();
    expect(shown.dealsAtRisk.map(({ dealId }) => dealId)).not.toContain('303');
    expect(offerOutcomes(shown).byLight[0]).toMatchObject({ closedDeals: 13, won: 3 });
  });

  it('takes a reopened deal out of the closed ones and lists it at risk again', async () => {
    const reopened = deals[0]!; // rated the offer red, closed lost last
    stack.sandbox.moveDeal(portal, reopened.dealId, 'contractsigned');
    await stack.settled();
    const shown = await report();
    expect(offerOutcomes(shown).byLight[0]).toMatchObject({ closedDeals: 12, won: 3 });
    expect(shown.dealsAtRisk.map(({ dealId }) => dealId)).toContain(reopened.dealId);
  });
});

describe('lost deals', () => {
  it('reports the answers of customers who chose someone else apart from the won customers’', async () => {
    const before = await report();
    const lost = deals.filter(({ closesAs }) => closesAs === 'closedlost').slice(0, 3);
    // Closing lost invited each buyer to the template's lost-deal touchpoint; three answered.
    for (const [index, { dealId, contactId }] of lost.entries()) await answered(stack, dealId, 'lost-deal', contactId, 2 + index, `Billigere hos konkurrenten ${index}`);
    const after = await report();

    expect(after.lostDeals.touchpoints.map(({ touchpointId, stats }) => `${touchpointId}:${stats.answers}`)).toEqual(['lost-deal:3']);
    expect(after.lostDeals.touchpoints[0]!.latestComments.map(({ comment }) => comment).sort()).toEqual(['Billigere hos konkurrenten 0', 'Billigere hos konkurrenten 1', 'Billigere hos konkurrenten 2']);
    expect(after.touchpoints.map(({ touchpointId }) => touchpointId)).not.toContain('lost-deal');
    expect(after.weakestFirst).not.toContain('lost-deal');
    expect(after.customers).toBe(before.customers);
    expect(offerOutcomes(after)).toEqual(offerOutcomes(before));
  });
});
