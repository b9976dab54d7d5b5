import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotClients } from '../../lambdas/hubspot/clients.js';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { localTokenEncryptionKey } from '../../local/stack.js';
import { startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
const sealer = new TokenSealer(localTokenEncryptionKey);

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

/** The admin's browser: our install link → HubSpot's consent (the sandbox consents at once) → our callback. */
async function installThroughTheBrowser(): Promise<Response> {
  const install = await fetch(`${stack.info.appUrl}/oauth/install`, { redirect: 'manual' });
  const consent = await fetch(install.headers.get('location')!, { redirect: 'manual' });
  return fetch(consent.headers.get('location')!);
}

describe('installing the app through OAuth', () => {
  it('sends the admin to HubSpot with our client id, callback, scopes and a signed state', async () => {
    const install = await fetch(`${stack.info.appUrl}/oauth/install`, { redirect: 'manual' });
    const target = new URL(install.headers.get('location')!);
    expect(install.status).toBe(302);
    expect(Object.fromEntries(target.searchParams)).toMatchObject({
      client_id: demoApp.clientId,
      redirect_uri: `${stack.info.appUrl}/oauth/callback`,
      state: expect.stringMatching(/^\d+\.[\w-]+$/),
    });
    expect(target.searchParams.get('scope')).toContain('crm.objects.deals.read');
  });

  it('exchanges the code, keeps the grant sealed, and the grant calls HubSpot', async () => {
    const callback = await installThroughTheBrowser();
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain(`Portal ${demoPortalId} is connected`);
    const stored = await stack.store.getInstall(demoPortalId);
    expect(stored!.accessToken).toMatch(/^v1\./);
    const clients = new HubSpotClients(stack.store, { basePath: stack.info.sandboxUrl, app: demoApp, sealer });
    const client = await clients.forPortal(demoPortalId);
    expect((await client.crm.deals.basicApi.getById('301')).id).toBe('301');
  });

  it('asks for the portal’s deal stage history at install, which the events λ reads a page per event', async () => {
    await stack.settled(); // an install of an earlier test may still be reading its pages
    const before = stack.sandbox.requests().length;
    expect((await installThroughTheBrowser()).status).toBe(200);
    await stack.settled();
    const pages = stack.sandbox.requests().slice(before).filter(({ method, path }) => method === 'GET' && path === '/crm/v3/objects/deals');
    // The demo's 58 deals, 50 a page with their history.
    expect(pages.map(({ status }) => status)).toEqual([200, 200]);
    expect(stack.queue.dlq()).toEqual([]);
  });

  it('refuses a callback whose state we did not sign, changing nothing', async () => {
    const before = await stack.store.getInstall(demoPortalId);
    const response = await fetch(`${stack.info.appUrl}/oauth/callback?code=anything&state=${Date.now()}.forged`);
    expect(response.status).toBe(400);
    expect(await stack.store.getInstall(demoPortalId)).toEqual(before);
  });

  it('refuses a code HubSpot has already redeemed', async () => {
    const install = await fetch(`${stack.info.appUrl}/oauth/install`, { redirect: 'manual' });
    const consent = await fetch(install.headers.get('location')!, { redirect: 'manual' });
    const callbackUrl = consent.headers.get('location')!;
    expect((await fetch(callbackUrl)).status).toBe(200);
    expect((await fetch(callbackUrl)).status).toBe(400);
  });
});

describe('refreshing a portal’s token', () => {
  it('refreshes a token about to expire once, however many containers ask at the same moment', async () => {
    await installThroughTheBrowser();
    const grant = await stack.store.getInstall(demoPortalId);
    await stack.store.saveInstall(demoPortalId, { ...grant!, expiresAt: new Date(Date.now() + 60_000) });
    const refreshesBefore = stack.sandbox.requests().filter(({ path }) => path === '/oauth/v1/token').length;

    const containers = Array.from({ length: 3 }, () => new HubSpotClients(stack.store, { basePath: stack.info.sandboxUrl, app: demoApp, sealer }));
    const clients = await Promise.all(containers.map((container) => container.forPortal(demoPortalId)));

    expect(stack.sandbox.requests().filter(({ path }) => path === '/oauth/v1/token').length - refreshesBefore).toBe(1);
    expect((await stack.store.getInstall(demoPortalId))!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);
    for (const client of clients) expect((await client.crm.deals.basicApi.getById('302')).id).toBe('302');
  });
});

describe('uninstalling', () => {
  it('disconnecting from the settings page uninstalls the app in HubSpot and deletes everything stored for the portal', async () => {
    stack.sandbox.moveDeal(demoPortalId, '302', 'offersent');
    await stack.settled();
    expect((await stack.store.listInvitations(demoPortalId, '302')).length).toBeGreaterThan(0);

    const signed = stack.sandbox.signFetchRequest({ method: 'DELETE', url: `${stack.info.appUrl}/settings/install`, portalId: demoPortalId });
    expect((await fetch(signed.url, { method: 'DELETE', headers: signed.headers })).status).toBe(204);

    expect(await stack.store.getInstall(demoPortalId)).toBeUndefined();
    expect(await stack.store.getSettings(demoPortalId)).toBeUndefined();
    expect(await stack.store.listInvitations(demoPortalId, '302')).toEqual([]);
    expect(await stack.store.listTouchpoints(demoPortalId)).toEqual([]);
    expect(await stack.store.recordResponses(demoPortalId, { objectType: 'deal', objectId: '303' })).toEqual([]);
    // HubSpot no longer honours the portal's tokens.
    expect((await fetch(`${stack.info.sandboxUrl}/crm/v3/objects/deals/301`, { headers: { authorization: `Bearer ${stack.info.accessToken}` } })).status).toBe(401);
  });
});

describe('a token HubSpot refuses', () => {
  it('is refreshed for the next call after a 401', async () => {
    const fresh = await startTestStack();
    try {
      const clients = new HubSpotClients(fresh.store, { basePath: fresh.info.sandboxUrl, app: demoApp, sealer });
      // An install whose access token HubSpot no longer knows, but whose refresh token is good.
      const install = await fetch(`${fresh.info.appUrl}/oauth/install`, { redirect: 'manual' });
      const consent = await fetch(install.headers.get('location')!, { redirect: 'manual' });
      await fetch(consent.headers.get('location')!);
      const grant = (await fresh.store.getInstall(demoPortalId))!;
      await fresh.store.saveInstall(demoPortalId, { ...grant, accessToken: sealer.seal('revoked-access-token') });

      await expect((await clients.forPortal(demoPortalId)).crm.deals.basicApi.getById('301')).rejects.toMatchObject({ code: 401 });
      expect((await (await clients.forPortal(demoPortalId)).crm.deals.basicApi.getById('301')).id).toBe('301');
    } finally {
      await fresh.close();
    }
  });
});
