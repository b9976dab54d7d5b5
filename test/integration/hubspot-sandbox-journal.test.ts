import { Client } from '@hubspot/api-client';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carDealerPortal, demoAccessToken, demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import {
  type HubSpotSandbox,
  type PortalSeed,
  appInstallEventTypeId,
  appUninstallEventTypeId,
  journalRetentionMs,
  startHubSpotSandbox,
  webhooksJournalScopes,
} from '../../local/hubspot-sandbox/server.js';

const otherPortal: PortalSeed = {
  portalId: 99887766,
  owners: [{ id: '62001', userId: 72001, email: 'ola@other.example', firstName: 'Ola', lastName: 'Berg' }],
  dealPipelines: [{ id: 'default', label: 'Sales pipeline', stages: [{ id: 'appointmentscheduled', label: 'Appointment scheduled', probability: 0.2, isClosed: false }] }],
  deals: [{ id: '777', properties: { dealname: 'Someone else’s deal', dealstage: 'appointmentscheduled' } }],
};
const demoOwnerUserId = carDealerPortal.owners[0]!.userId;
const journal = '/webhooks-journal/journal/2026-03';
const subscriptions = '/webhooks-journal/subscriptions/2026-03';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const clock = { offsetMs: 0 };
let sandbox: HubSpotSandbox;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ ...demoApp, portals: [carDealerPortal, otherPortal], now: () => Date.now() + clock.offsetMs });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  clock.offsetMs = 0;
  sandbox.reset();
});

// ---- Helpers: the app's side, as it would talk to HubSpot ----

async function tokenRequest(fields: Record<string, string>, path = '/oauth/v1/token'): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, json: await response.json() };
}

async function appToken(scope?: string, path?: string): Promise<string> {
  const { status, json } = await tokenRequest({
    grant_type: 'client_credentials',
    client_id: demoApp.clientId,
    client_secret: demoApp.clientSecret,
    ...(scope === undefined ? {} : { scope }),
  }, path);
  expect(status).toBe(200);
  return json.access_token;
}

/** The app's journal calls through @hubspot/api-client, which hands back the fetch Response. */
async function hubspot(accessToken: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> {
  const response = await new Client({ basePath: sandbox.url, accessToken }).apiRequest({ method, path, body });
  const text = await response.text();
  return { status: response.status, text, json: text === '' ? undefined : JSON.parse(text) };
}

async function subscribe(token: string, eventTypeId: string) {
  const answer = await hubspot(token, 'POST', subscriptions, { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId, properties: [] });
  expect(answer.status).toBe(200);
  return answer.json;
}

async function admin(method: string, path: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sandbox.url}${path}`, { method });
  return { status: response.status, json: response.status === 204 ? undefined : await response.json() };
}

/** Every journal entry's file, oldest first, read the way the app would: earliest, then next until 204. */
async function readWholeJournal(token: string, query = ''): Promise<any[]> {
  const files = [];
  let answer = await hubspot(token, 'GET', `${journal}/earliest${query}`);
  while (answer.status === 200) {
    files.push(await (await fetch(answer.json.url)).json());
    answer = await hubspot(token, 'GET', `${journal}/offset/${answer.json.currentOffset}/next${query}`);
  }
  expect(answer).toMatchObject({ status: 204, text: '' });
  return files;
}

const hubspotError = (category: string) => ({ status: 'error', category, correlationId: expect.stringMatching(uuid), message: expect.any(String) });

describe('client-credentials token', () => {
  it('is granted at /oauth/v1/token and /oauth/2026-03/token in HubSpot’s ClientCredentialsTokenResponse shape', async () => {
    const fields = { grant_type: 'client_credentials', client_id: demoApp.clientId, client_secret: demoApp.clientSecret };
    const v1 = await tokenRequest({ ...fields, scope: 'developer.webhooks_journal.read developer.webhooks_journal.subscriptions.read' });
    const dated = await tokenRequest(fields, '/oauth/2026-03/token');

    expect(v1).toEqual({
      status: 200,
      json: {
        access_token: expect.any(String),
        expires_in: 1800,
        token_type: 'bearer',
        token_use: 'client_credentials',
        scopes: ['developer.webhooks_journal.read', 'developer.webhooks_journal.subscriptions.read'],
      },
    });
    expect(dated.status).toBe(200);
    expect(dated.json.scopes).toEqual(Object.values(webhooksJournalScopes));
    expect(dated.json).not.toHaveProperty('refresh_token');
  });

  it('is refused for a wrong client id or secret with the errors the other grants get', async () => {
    const wrongId = { client_id: 'not-the-app', client_secret: demoApp.clientSecret };
    const wrongSecret = { client_id: demoApp.clientId, client_secret: 'not-the-secret' };

    const answers = await Promise.all([
      tokenRequest({ grant_type: 'client_credentials', ...wrongId }),
      tokenRequest({ grant_type: 'refresh_token', refresh_token: 'whatever', ...wrongId }),
      tokenRequest({ grant_type: 'client_credentials', ...wrongSecret }, '/oauth/2026-03/token'),
      tokenRequest({ grant_type: 'refresh_token', refresh_token: 'whatever', ...wrongSecret }),
    ]);

    expect(answers.map(({ status, json }) => [status, json.status])).toEqual([
      [400, 'BAD_CLIENT_ID'], [400, 'BAD_CLIENT_ID'], [400, 'BAD_CLIENT_SECRET'], [400, 'BAD_CLIENT_SECRET'],
    ]);
    expect(answers[0]!.json).toEqual({ status: 'BAD_CLIENT_ID', message: expect.any(String), correlationId: expect.stringMatching(uuid) });
  });

  it('is not a portal’s token: CRM endpoints refuse it with 401 as they refuse an unknown token', async () => {
    const token = await appToken();

    const read = new Client({ basePath: sandbox.url, accessToken: token }).crm.deals.basicApi.getById('301');

    await expect(read).rejects.toMatchObject({ code: 401, body: { category: 'INVALID_AUTHENTICATION' } });
    expect(sandbox.requests().at(-1)).toEqual({ method: 'GET', path: '/crm/v3/objects/deals/301', portalId: null, status: 401 });
  });

  it('is the only token the journal and subscription endpoints take: a portal’s token or none gets 401', async () => {
    const portalToken = sandbox.accessTokenFor(demoPortalId);

    const answers = [
      await hubspot(portalToken, 'GET', subscriptions),
      await hubspot(demoAccessToken, 'POST', subscriptions, { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId: appUninstallEventTypeId, properties: [] }),
      await hubspot(portalToken, 'GET', `${journal}/earliest`),
      await hubspot(portalToken, 'GET', `${journal}/batch/earliest/10`),
      await hubspot('', 'GET', `${journal}/latest`),
    ];

    for (const answer of answers) expect(answer).toMatchObject({ status: 401, json: hubspotError('INVALID_AUTHENTICATION') });
    expect((await hubspot(await appToken(), 'GET', subscriptions)).json).toEqual({ results: [] });
  });

  it('expires after expires_in seconds', async () => {
    const token = await appToken();
    clock.offsetMs = 1_800_000;

    const answer = await hubspot(token, 'GET', `${journal}/earliest`);

    expect(answer).toMatchObject({ status: 401, json: hubspotError('EXPIRED_AUTHENTICATION') });
  });

  it('needs the scope of the call: a read-only token may not subscribe', async () => {
    const token = await appToken(`${webhooksJournalScopes.read} ${webhooksJournalScopes.subscriptionsRead}`);

    const write = await hubspot(token, 'POST', subscriptions, { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId: appUninstallEventTypeId, properties: [] });
    const read = await hubspot(token, 'GET', `${journal}/earliest`);

    expect(write).toMatchObject({ status: 403, json: { ...hubspotError('MISSING_SCOPES'), errors: [{ context: { requiredGranularScopes: [webhooksJournalScopes.subscriptionsWrite] } }] } });
    expect(read.status).toBe(204);
  });
});

describe('journal subscriptions', () => {
  it('creates an app lifecycle subscription, lists it, updates it when posted again and deletes it', async () => {
    const token = await appToken();

    const created = await subscribe(token, appUninstallEventTypeId);
    clock.offsetMs = 1_000;
    const again = await hubspot(token, 'POST', subscriptions, { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId: appUninstallEventTypeId, properties: ['hs_app_id'] });
    const install = await subscribe(token, appInstallEventTypeId);
    const listed = await hubspot(token, 'GET', subscriptions);
    const one = await hubspot(token, 'GET', `${subscriptions}/${created.id}`);

    expect(created).toEqual({
      id: expect.any(Number),
      appId: demoApp.appId,
      subscriptionType: 'APP_LIFECYCLE_EVENT',
      eventTypeId: '4-1916193',
      actions: ['APP_UNINSTALL'],
      objectTypeId: '',
      properties: [],
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: created.createdAt,
    });
    expect(again.json).toMatchObject({ id: created.id, createdAt: created.createdAt, properties: ['hs_app_id'] });
    expect(Date.parse(again.json.updatedAt)).toBeGreaterThan(Date.parse(created.createdAt));
    expect(install).toMatchObject({ eventTypeId: '4-1909196', actions: ['APP_INSTALL'] });
    expect(install.id).not.toBe(created.id);
    expect(listed).toMatchObject({ status: 200, json: { results: [again.json, install] } });
    expect(one.json).toEqual(again.json);

    const deleted = await hubspot(token, 'DELETE', `${subscriptions}/${created.id}`);
    const deletedAgain = await hubspot(token, 'DELETE', `${subscriptions}/${created.id}`);
    expect(deleted).toMatchObject({ status: 204, text: '' });
    expect(deletedAgain).toMatchObject({ status: 404, json: hubspotError('OBJECT_NOT_FOUND') });
    expect((await hubspot(token, 'GET', subscriptions)).json.results.map(({ id }: { id: number }) => id)).toEqual([install.id]);
  });

  it('refuses a bad body with 400 VALIDATION_ERROR', async () => {
    const token = await appToken();
    const bodies = [
      { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId: appUninstallEventTypeId },
      { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId: '0-3', properties: [] },
      { subscriptionType: 'OBJECT', objectTypeId: '0-3', portalId: demoPortalId, actions: ['CREATE'], properties: [] },
      { eventTypeId: appUninstallEventTypeId, properties: [] },
      undefined,
    ];

    for (const body of bodies) {
      expect(await hubspot(token, 'POST', subscriptions, body)).toMatchObject({ status: 400, json: hubspotError('VALIDATION_ERROR') });
    }
    expect((await hubspot(token, 'GET', subscriptions)).json).toEqual({ results: [] });
  });
});

describe('the webhooks journal', () => {
  it('answers 204 with no body while it is empty, and an empty batch', async () => {
    const token = await appToken();

    for (const path of ['earliest', 'latest']) expect(await hubspot(token, 'GET', `${journal}/${path}`)).toMatchObject({ status: 204, text: '' });
    expect((await hubspot(token, 'GET', `${journal}/batch/earliest/10`)).json).toEqual({
      status: 'COMPLETE', results: [], startedAt: expect.any(String), completedAt: expect.any(String),
    });
  });

  it('journals nothing without a matching subscription', async () => {
    const token = await appToken();
    await subscribe(token, appInstallEventTypeId);

    const uninstall = sandbox.uninstallApp(demoPortalId);

    expect(uninstall).toMatchObject({ portalId: demoPortalId, changed: true, journalOffset: null });
    expect((await hubspot(token, 'GET', `${journal}/earliest`)).status).toBe(204);
  });

  it('journals a user’s uninstall in HubSpot, and the pointer’s file holds the APP_UNINSTALL event', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);
    const before = Date.now();

    const uninstall = sandbox.uninstallApp(demoPortalId);
    const pointer = await hubspot(token, 'GET', `${journal}/earliest`);
    const file = await fetch(pointer.json.url);

    expect(uninstall).toEqual({ portalId: demoPortalId, changed: true, revokedTokens: 1, journalOffset: expect.stringMatching(uuid), uninstalledAt: expect.any(String) });
    expect(pointer).toMatchObject({ status: 200, json: { url: expect.stringMatching(`^${sandbox.url}/_journal/files/${uninstall.journalOffset}\\?`), currentOffset: uninstall.journalOffset } });
    expect(Date.parse(pointer.json.expiresAt)).toBeGreaterThanOrEqual(before + 299_000);
    expect(Date.parse(pointer.json.expiresAt)).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(file.status).toBe(200);
    expect(await file.json()).toEqual({
      offset: uninstall.journalOffset,
      journalEvents: [{
        type: 'app_lifecycle_event',
        action: 'APP_UNINSTALL',
        portalId: demoPortalId,
        occurredAt: uninstall.uninstalledAt,
        eventTypeId: '4-1916193',
        properties: { hs_app_id: String(demoApp.appId), hs_app_install_level: 'PORTAL', hs_initiating_user_id: String(demoOwnerUserId), hs_user_id: String(demoOwnerUserId) },
      }],
      publishedAt: expect.any(String),
    });
    expect(await hubspot(token, 'GET', `${journal}/offset/${pointer.json.currentOffset}/next`)).toMatchObject({ status: 204, text: '' });
    expect((await hubspot(token, 'GET', `${journal}/latest`)).json.currentOffset).toBe(uninstall.journalOffset);
  });

  it('revokes the portal’s OAuth tokens and its static token on uninstall, and no other portal’s', async () => {
    const install = await redeem(sandbox.installCodeFor(demoPortalId));
    const other = sandbox.accessTokenFor(otherPortal.portalId);

    sandbox.uninstallApp(demoPortalId);

    for (const token of [demoAccessToken, install.access_token]) {
      await expect(new Client({ basePath: sandbox.url, accessToken: token }).crm.deals.basicApi.getById('301')).rejects.toMatchObject({ code: 401 });
    }
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: install.refresh_token, client_id: demoApp.clientId, client_secret: demoApp.clientSecret })).json.status)
      .toBe('BAD_REFRESH_TOKEN');
    expect((await new Client({ basePath: sandbox.url, accessToken: other }).crm.deals.basicApi.getById('777')).id).toBe('777');
  });

  it('journals an uninstall through the admin endpoint, and through the app’s own uninstall call with its user', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);

    const byUser = await admin('POST', `/_sandbox/portals/${demoPortalId}/uninstall`);
    const byApp = await fetch(`${sandbox.url}/appinstalls/v3/external-install`, { method: 'DELETE', headers: { Authorization: `Bearer ${sandbox.accessTokenFor(otherPortal.portalId)}` } });
    const files = await readWholeJournal(token);

    expect(byUser).toEqual({ status: 200, json: { portalId: demoPortalId, changed: true, revokedTokens: 1, journalOffset: expect.stringMatching(uuid), uninstalledAt: expect.any(String) } });
    expect(byApp.status).toBe(204);
    expect(files.map(({ offset, journalEvents: [event] }) => [offset, event.action, event.portalId, event.properties.hs_user_id])).toEqual([
      [byUser.json.journalOffset, 'APP_UNINSTALL', demoPortalId, String(demoOwnerUserId)],
      [expect.stringMatching(uuid), 'APP_UNINSTALL', otherPortal.portalId, '72001'],
    ]);
    expect(await admin('POST', '/_sandbox/portals/12345/uninstall')).toMatchObject({ status: 404, json: { category: 'OBJECT_NOT_FOUND' } });
    expect(await admin('POST', '/_sandbox/portals/not-a-portal/uninstall')).toMatchObject({ status: 400, json: { category: 'VALIDATION_ERROR' } });
  });

  it('journals a second uninstall of the same portal not at all', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);

    const first = sandbox.uninstallApp(demoPortalId);
    const second = sandbox.uninstallApp(demoPortalId);
    const third = await admin('POST', `/_sandbox/portals/${demoPortalId}/uninstall`);

    expect(first.changed).toBe(true);
    expect(second).toMatchObject({ changed: false, journalOffset: null, revokedTokens: 0 });
    expect(third.json).toMatchObject({ changed: false, journalOffset: null });
    expect((await readWholeJournal(token)).map(({ offset }) => offset)).toEqual([first.journalOffset]);
  });

  it('journals APP_INSTALL when the portal installs the app through OAuth again, and its static token works again', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);
    await subscribe(token, appInstallEventTypeId);
    await redeem(sandbox.installCodeFor(demoPortalId)); // already installed: nothing to journal

    sandbox.uninstallApp(demoPortalId);
    const install = await redeem(sandbox.installCodeFor(demoPortalId));
    const files = await readWholeJournal(token);

    expect(files.map(({ journalEvents: [event] }) => [event.action, event.eventTypeId, event.portalId])).toEqual([
      ['APP_UNINSTALL', '4-1916193', demoPortalId],
      ['APP_INSTALL', '4-1909196', demoPortalId],
    ]);
    expect(files[1].journalEvents[0].properties).toEqual({
      hs_app_id: String(demoApp.appId), hs_app_install_level: 'PORTAL', hs_initiating_user_id: String(demoOwnerUserId), hs_user_id: String(demoOwnerUserId),
    });
    for (const accessToken of [install.access_token, demoAccessToken]) {
      expect((await new Client({ basePath: sandbox.url, accessToken }).crm.deals.basicApi.getById('301')).id).toBe('301');
    }
  });

  it('pages through entries one at a time, in batches, and for one portal with installPortalId', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);
    await subscribe(token, appInstallEventTypeId);
    const demoOut = sandbox.uninstallApp(demoPortalId).journalOffset;
    const otherOut = sandbox.uninstallApp(otherPortal.portalId).journalOffset;
    await redeem(sandbox.installCodeFor(demoPortalId));
    const offsets = (await readWholeJournal(token)).map(({ offset }) => offset);

    const first = await hubspot(token, 'GET', `${journal}/batch/earliest/2`);
    const rest = await hubspot(token, 'GET', `${journal}/batch/${first.json.results[1].currentOffset}/next/100`);
    const last = await hubspot(token, 'GET', `${journal}/batch/latest/1`);
    const demoOnly = await readWholeJournal(token, `?installPortalId=${demoPortalId}`);
    const afterOtherForDemo = await hubspot(token, 'GET', `${journal}/offset/${otherOut}/next?installPortalId=${demoPortalId}`);

    expect(offsets).toHaveLength(3);
    expect(offsets.slice(0, 2)).toEqual([demoOut, otherOut]);
    expect(first.json).toEqual({ status: 'COMPLETE', results: [expect.objectContaining({ currentOffset: demoOut }), expect.objectContaining({ currentOffset: otherOut })], startedAt: expect.any(String), completedAt: expect.any(String) });
    expect(rest.json.results.map(({ currentOffset }: { currentOffset: string }) => currentOffset)).toEqual([offsets[2]]);
    expect(last.json.results.map(({ currentOffset }: { currentOffset: string }) => currentOffset)).toEqual([offsets[2]]);
    expect(demoOnly.map(({ journalEvents: [event] }) => [event.portalId, event.action])).toEqual([[demoPortalId, 'APP_UNINSTALL'], [demoPortalId, 'APP_INSTALL']]);
    expect(afterOtherForDemo.json.currentOffset).toBe(offsets[2]);
  });

  it('answers an unknown offset with 404, and a batch count outside 1..100 with 400', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);
    const known = sandbox.uninstallApp(demoPortalId).journalOffset;
    const unknown = '550e8400-e29b-41d4-a716-446655440000';

    expect(await hubspot(token, 'GET', `${journal}/offset/${unknown}/next`)).toMatchObject({ status: 404, json: hubspotError('OBJECT_NOT_FOUND') });
    expect(await hubspot(token, 'GET', `${journal}/batch/${unknown}/next/10`)).toMatchObject({ status: 404, json: hubspotError('OBJECT_NOT_FOUND') });
    for (const count of ['0', '101', 'ten']) {
      expect(await hubspot(token, 'GET', `${journal}/batch/earliest/${count}`)).toMatchObject({ status: 400, json: hubspotError('VALIDATION_ERROR') });
    }
    const read = await hubspot(token, 'POST', `${journal}/batch/read`, { inputs: [known, unknown] });
    expect(read).toMatchObject({
      status: 207,
      json: { status: 'COMPLETE', results: [{ currentOffset: known }], numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { offset: [unknown] } }] },
    });
    expect(await hubspot(token, 'POST', `${journal}/batch/read`, { inputs: ['not-a-uuid'] })).toMatchObject({ status: 400, json: hubspotError('VALIDATION_ERROR') });
  });
});

describe('journal files (pre-signed links)', () => {
  async function oneEntry() {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);
    sandbox.uninstallApp(demoPortalId);
    return { token, pointer: (await hubspot(token, 'GET', `${journal}/earliest`)).json };
  }

  it('refuses a link with an Authorization header, a changed signature, or after expiresAt, as S3 would', async () => {
    const { token, pointer } = await oneEntry();
    const tampered = new URL(pointer.url);
    tampered.searchParams.set('X-Amz-Date', '20990101T000000Z');

    const withAuth = await fetch(pointer.url, { headers: { Authorization: `Bearer ${token}` } });
    const forged = await fetch(tampered);
    clock.offsetMs = 301_000;
    const late = await fetch(pointer.url);
    const fresh = (await hubspot(token, 'GET', `${journal}/earliest`)).json;

    expect([withAuth.status, await withAuth.text()]).toEqual([400, expect.stringContaining('<Code>InvalidArgument</Code>')]);
    expect([forged.status, await forged.text()]).toEqual([403, expect.stringContaining('<Code>SignatureDoesNotMatch</Code>')]);
    expect([late.status, late.headers.get('content-type'), await late.text()]).toEqual([403, 'application/xml', expect.stringContaining('<Message>Request has expired</Message>')]);
    expect((await fetch(fresh.url)).status).toBe(200);
  });

  it('forgets entries after 3 days: their offsets and files are gone', async () => {
    const { token, pointer } = await oneEntry();
    clock.offsetMs = journalRetentionMs + 1_000;
    const renewed = await appToken();

    expect((await hubspot(renewed, 'GET', `${journal}/earliest`)).status).toBe(204);
    expect(await hubspot(renewed, 'GET', `${journal}/offset/${pointer.currentOffset}/next`)).toMatchObject({ status: 404, json: hubspotError('OBJECT_NOT_FOUND') });
    expect((await hubspot(token, 'GET', `${journal}/earliest`)).status).toBe(401);
  });

  it('serves a link that has not expired even when the entry is gone: 404 NoSuchKey', async () => {
    const { pointer } = await oneEntry();
    const tampered = new URL(pointer.url.replace(pointer.currentOffset, '550e8400-e29b-41d4-a716-446655440000'));

    expect((await fetch(tampered)).status).toBe(403); // signed for another key
    sandbox.reset();
    const gone = await fetch(pointer.url);
    expect([gone.status, await gone.text()]).toEqual([404, expect.stringContaining('<Code>NoSuchKey</Code>')]);
  });
});

describe('persistence and reset', () => {
  it('keeps subscriptions, the journal and the uninstall across a restart with a state file, and forgets them on reset', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'hubspot-sandbox-journal-'));
    const options = { ...demoApp, portals: [carDealerPortal], statePath: join(directory, 'hubspot.json') };
    try {
      const first = await startHubSpotSandbox(options);
      const token = await tokenAt(first.url);
      await new Client({ basePath: first.url, accessToken: token }).apiRequest({
        method: 'POST', path: subscriptions, body: { subscriptionType: 'APP_LIFECYCLE_EVENT', eventTypeId: appUninstallEventTypeId, properties: [] },
      });
      const { journalOffset } = first.uninstallApp(demoPortalId);
      await first.close();

      const second = await startHubSpotSandbox(options);
      try {
        const client = new Client({ basePath: second.url, accessToken: token });
        const listed = (await (await client.apiRequest({ path: subscriptions })).json()) as { results: unknown[] };
        const earliest = (await (await client.apiRequest({ path: `${journal}/earliest` })).json()) as { currentOffset: string };
        expect(listed.results).toHaveLength(1);
        expect(earliest.currentOffset).toBe(journalOffset);
        expect(second.uninstallApp(demoPortalId).changed).toBe(false);

        second.reset();
        expect((await client.apiRequest({ path: `${journal}/earliest` })).status).toBe(401);
        expect((await new Client({ basePath: second.url, accessToken: await tokenAt(second.url) }).apiRequest({ path: subscriptions })).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('npm run sandbox -- uninstall <portalId>', () => {
  const cli = resolve('local/hubspot-sandbox/cli.ts');
  const tsx = resolve('node_modules/tsx/dist/cli.mjs');
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((done) => {
      execFile(process.execPath, [tsx, cli, ...args], { env: { ...process.env, HUBSPOT_SANDBOX_URL: sandbox.url, TOUCHPOINTS_DATA_DIR: dataDir, TZ: 'Europe/Oslo' } }, (error, stdout, stderr) => {
        done({ code: typeof error?.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr });
      });
    });
  }

  it('uninstalls the app as a HubSpot user would, says what was journaled, and refuses a bad or unknown portal', async () => {
    const token = await appToken();
    await subscribe(token, appUninstallEventTypeId);

    const done = await run('uninstall', String(demoPortalId));
    const again = await run('uninstall', String(demoPortalId));
    const unknown = await run('uninstall', '12345');
    const bad = await run('uninstall', 'abc');

    const [file] = await readWholeJournal(token);
    expect(done).toMatchObject({ code: 0, stdout: expect.stringContaining(`Uninstalled the app from portal ${demoPortalId}`) });
    expect(done.stdout).toContain(`APP_UNINSTALL is in the webhooks journal at offset ${file.offset}.`);
    // The time in the terminal's own zone, named (Oslo is an hour or two ahead of UTC).
    expect(done.stdout).toMatch(/ at [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+[12];/);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('already uninstalled') });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('Portal 12345 does not exist') });
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('"abc" is not a portal id') });
  }, 30_000);
});

async function redeem(code: string): Promise<{ access_token: string; refresh_token: string }> {
  const { status, json } = await tokenRequest({ grant_type: 'authorization_code', code, client_id: demoApp.clientId, client_secret: demoApp.clientSecret });
  expect(status).toBe(200);
  return json;
}

async function tokenAt(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/2026-03/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: demoApp.clientId, client_secret: demoApp.clientSecret }).toString(),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
