import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carDealerPortal, demoPortalId } from '../../local/demo/car-dealer.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/server.js';
import { hubspotFetchAs, installThroughOAuth, startTestStack } from '../support/local-stack.js';

// A second dealer with the same CRM ids as the demo: deal 301 exists in both portals.
const secondPortalId = 13572468;
const secondPortal: PortalSeed = { ...carDealerPortal, portalId: secondPortalId, hubDomain: 'fjordbilen.sandbox.hubspot.invalid', staticAccessToken: 'local-second-portal-token' };
let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack([secondPortal]);
  expect((await installThroughOAuth(stack, demoPortalId)).status).toBe(200);
  expect((await installThroughOAuth(stack, secondPortalId)).status).toBe(200);
});
afterAll(() => stack.close());

describe('two portals installed side by side', () => {
  it('gives the newly installed portal default settings and the Touchpoints properties in its HubSpot', async () => {
    expect((await stack.store.getSettings(secondPortalId))?.value.sender.email).toBe('mette.kjaer@bilhuset.example');
    const hubspot = new Client({ accessToken: 'local-second-portal-token', basePath: stack.info.sandboxUrl });
    const property = await hubspot.crm.properties.coreApi.getByName('deals', 'touchpoints_overall_light');
    expect(property.groupName).toBe('touchpoints');
  });

  it('keeps each portal’s surveys apart though their deals share ids', async () => {
    const applied = await hubspotFetchAs(stack, secondPortalId, 'POST', '/settings/templates/car-dealer', {
      pipelineId: 'car-sales',
      stageOfStep: { testdrive: 'testdrive', salesmeeting: 'salesmeeting', offersent: 'offersent', contractsigned: 'contractsigned', cardelivered: 'cardelivered' },
    });
    expect(applied.status).toBe(200);
    stack.sandbox.moveDeal(demoPortalId, '301', 'salesmeeting');
    stack.sandbox.moveDeal(secondPortalId, '306', 'salesmeeting');
    await stack.settled();

    const invited = async (portalId: number, dealId: string) => (await stack.store.listInvitations(portalId, dealId)).map(({ touchpointId, contactId }) => `${touchpointId}:${contactId}`);
    expect([await invited(demoPortalId, '301'), await invited(demoPortalId, '306')]).toEqual([['sales-meeting:101'], []]);
    expect([await invited(secondPortalId, '301'), await invited(secondPortalId, '306')]).toEqual([[], ['sales-meeting:107']]);
  });

  it('uninstalling one portal removes its items and none of the other’s', async () => {
    expect((await hubspotFetchAs(stack, secondPortalId, 'DELETE', '/settings/install')).status).toBe(204);
    expect(await stack.store.getInstall(secondPortalId)).toBeUndefined();
    expect(await stack.store.listTouchpoints(secondPortalId)).toEqual([]);
    expect(await stack.store.listInvitations(secondPortalId, '306')).toEqual([]);

    expect(await stack.store.getInstall(demoPortalId)).toBeDefined();
    expect(await stack.store.listTouchpoints(demoPortalId)).toHaveLength(6);
    expect((await stack.store.listInvitations(demoPortalId, '301')).map(({ contactId }) => contactId)).toEqual(['101']);
  });
});
