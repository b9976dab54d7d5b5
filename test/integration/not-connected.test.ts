import { type CardData, notConnectedMessage } from '@touchpoints/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carDealerPortal, demoPortalId } from '../../local/demo/car-dealer.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/server.js';
import { hubspotFetchAs, installThroughOAuth, startTestStack, tableSnapshot } from '../support/local-stack.js';

// Two more dealers in the sandbox: one never installs Touchpoints, one installs and disconnects.
const neverInstalled = 13572468;
const uninstalled = 24680135;
const dealer = (portalId: number, name: string): PortalSeed => ({ ...carDealerPortal, portalId, hubDomain: `${name}.sandbox.hubspot.invalid`, staticAccessToken: `local-${name}-token` });
let stack: Awaited<ReturnType<typeof startTestStack>>;

const touchpoint = {
  id: 'offer',
  name: 'The offer',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' },
  question: { en: 'How clear and quick was our offer?' },
  sendDelay: { amount: 1, unit: 'days' },
};

const carDealerTemplate = {
  pipelineId: 'car-sales',
  stageOfStep: { testdrive: 'testdrive', salesmeeting: 'salesmeeting', offersent: 'offersent', contractsigned: 'contractsigned', cardelivered: 'cardelivered' },
};

/** Every request the card, the settings page and the report tab can make. */
const routes: [method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown][] = [
  ['GET', '/card?objectType=deal&objectId=303'],
  ['GET', '/card?objectType=contact&objectId=103'],
  ['GET', '/settings'],
  ['PUT', '/settings/portal', { settings: { sender: { name: 'Fjordbilen', email: 'hello@fjordbilen.example' } }, expectedVersion: null }],
  ['PUT', '/settings/touchpoints/offer', { touchpoint, expectedVersion: null }],
  ['DELETE', '/settings/touchpoints/offer?expectedVersion=1'],
  ['POST', '/settings/templates/car-dealer', carDealerTemplate],
  ['POST', '/settings/test-survey', { touchpointId: 'offer' }],
  ['DELETE', '/settings/install'],
  ['GET', '/report'],
  ['GET', '/report?format=csv'],
];

async function snapshot() {
  await stack.settled();
  return tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
}

beforeAll(async () => {
  stack = await startTestStack([dealer(neverInstalled, 'fjordbilen'), dealer(uninstalled, 'vestbil')]);
  expect((await installThroughOAuth(stack, uninstalled)).status).toBe(200);
  expect((await hubspotFetchAs(stack, uninstalled, 'POST', '/settings/templates/car-dealer', carDealerTemplate)).status).toBe(200);
  expect((await hubspotFetchAs(stack, uninstalled, 'DELETE', '/settings/install')).status).toBe(204);
});
afterAll(() => stack.close());

describe.each([
  ['a portal that never installed Touchpoints', neverInstalled],
  ['a portal that disconnected Touchpoints', uninstalled],
])('%s', (_, portalId) => {
  it.each(routes)('answers %s %s with 404 "not connected" and writes nothing', async (method, path, body) => {
    const before = await snapshot();
    const response = await hubspotFetchAs(stack, portalId, method, path, body);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: notConnectedMessage });
    expect(await snapshot()).toEqual(before);
    expect(before.filter((item) => item.includes(`P#${portalId}`))).toEqual([]);
  });

  it('acknowledges its webhook events and drops them: nothing stored, nothing dead-lettered', async () => {
    const before = await snapshot();
    const deadLettersBefore = stack.queue.dlq().length;
    const deliveriesBefore = stack.sandbox.webhooks.deliveries().length;
    stack.sandbox.moveDeal(portalId, '302', 'offersent');
    stack.sandbox.moveDeal(portalId, '301', 'cardelivered');
    const after = await snapshot();
    const deliveries = stack.sandbox.webhooks.deliveries().slice(deliveriesBefore);
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      expect(delivery.outcome).toBe('delivered');
      expect(delivery.attempts.map(({ status }) => status)).toEqual([204]);
    }
    expect(stack.queue.dlq().length).toBe(deadLettersBefore);
    expect(after).toEqual(before);
  });
});

describe('an installed portal', () => {
  it('still gets its card when the card repeats HubSpot’s own portal id in the signed URL', async () => {
    const response = await hubspotFetchAs(stack, demoPortalId, 'GET', `/card?objectType=deal&objectId=303&portalId=${demoPortalId}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as CardData).record).toEqual({ objectType: 'deal', objectId: '303' });
  });

  it('is refused a second, different portal id in the signed URL', async () => {
    const response = await hubspotFetchAs(stack, demoPortalId, 'GET', `/card?objectType=deal&objectId=303&portalId=${neverInstalled}`);
    expect(response.status).toBe(403);
  });
});
