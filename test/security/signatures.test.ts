import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSurveyToken } from '../../lambdas/domain/survey-token.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { signatureV3, signFetchRequest } from '../../local/hubspot-sandbox/server.js';
import { localSurveyTokenSecret } from '../../local/stack.js';
import { mailsTo } from '../support/local-ses.js';
import { startTestStack, tableSnapshot } from '../support/local-stack.js';

const portal = demoPortalId;
const minute = 60_000;
const day = 24 * 60 * minute;
const otherApp = { appId: demoApp.appId, clientSecret: 'another-apps-client-secret' };
let stack: Awaited<ReturnType<typeof startTestStack>>;

/** A request as it crossed the wire: what an attacker who captured it holds. */
interface Captured {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string>;
}

const send = ({ method, url, body, headers }: Captured) => fetch(url, { method, headers, ...(body ? { body } : {}) });

/** A `hubspot.fetch` request from the demo portal's first owner, signed as HubSpot does at `timestamp`. */
function fetchRequest(method: 'GET' | 'PUT', path: string, body?: unknown, timestamp = Date.now(), app: { appId: number; clientSecret: string } = demoApp): Captured {
  const request = { method, url: `${stack.info.appUrl}${path}`, portalId: portal, userId: 61001, userEmail: 'mette.kjaer@bilhuset.example', ...(body === undefined ? {} : { body }) };
  return signFetchRequest(app, request, timestamp);
}

/** A webhook batch nobody has delivered yet: deal 306 entering the sales meeting (it invites contact 107). */
function webhookRequest(timestamp = Date.now(), secret: string = demoApp.clientSecret, url = stack.info.webhookUrl): Captured {
  const event = { eventId: 7_700_001, subscriptionId: 1, portalId: portal, appId: demoApp.appId, occurredAt: Date.now(), subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: 306, objectTypeId: '0-3', propertyName: 'dealstage', propertyValue: 'salesmeeting', changeSource: 'CRM_UI', sourceId: 'userId:61001' };
  const body = JSON.stringify([event]);
  const headers = {
    'content-type': 'application/json',
    'X-HubSpot-Signature-v3': signatureV3({ clientSecret: secret, method: 'POST', url, body, timestamp }),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
  return { method: 'POST', url, body, headers };
}

const settingsBody = async () => {
  const offer = (await stack.store.getTouchpoint(portal, 'offer'))!;
  return { touchpoint: { ...offer.value, name: 'Renamed by whoever holds the request' }, expectedVersion: offer.version };
};

const withHeader = (captured: Captured, name: string, value: string | undefined): Captured => {
  const headers = Object.fromEntries(Object.entries(captured.headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
  return { ...captured, headers: value === undefined ? headers : { ...headers, [name]: value } };
};
const withUrl = (captured: Captured, change: (url: URL) => void): Captured => {
  const url = new URL(captured.url);
  change(url);
  return { ...captured, url: url.toString() };
};
const shifted = (captured: Captured) => withHeader(captured, 'X-HubSpot-Request-Timestamp', String(Number(captured.headers['X-HubSpot-Request-Timestamp']) + 1));
const replayedLate = () => Date.now() - 5 * minute - 1000;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

type Forgery = [string, () => Captured | Promise<Captured>];

const endpoints: Array<[string, (timestamp?: number, app?: typeof demoApp | typeof otherApp) => Promise<Captured>, boolean]> = [
  ['the card', async (timestamp, app) => fetchRequest('GET', '/card?objectType=deal&objectId=303', undefined, timestamp, app), false],
  ['the settings view', async (timestamp, app) => fetchRequest('GET', '/settings', undefined, timestamp, app), false],
  ['a settings save', async (timestamp, app) => fetchRequest('PUT', '/settings/touchpoints/offer', await settingsBody(), timestamp, app), true],
  ['the report', async (timestamp, app) => fetchRequest('GET', '/report?since=2020-01-01', undefined, timestamp, app), false],
];

describe.each(endpoints)('%s (hubspot.fetch)', (_, request, hasBody) => {
  const forgeries: Forgery[] = [
    ['replayed 5 minutes and 1 second after it was signed', () => request(replayedLate())],
    ['with its timestamp header changed', async () => shifted(await request())],
    ['with a query parameter added', async () => withUrl(await request(), (url) => url.searchParams.append('ownerId', '61002'))],
    ['with a query parameter changed', async () => withUrl(await request(), (url) => url.searchParams.set('userEmail', 'mallory@example.com'))],
    ['with a query parameter removed', async () => withUrl(await request(), (url) => url.searchParams.delete('userId'))],
    ['signed with another app’s secret', () => request(Date.now(), otherApp)],
    ['without the signature header', async () => withHeader(await request(), 'X-HubSpot-Signature-v3', undefined)],
    ['with an empty signature header', async () => withHeader(await request(), 'X-HubSpot-Signature-v3', '')],
    ...(hasBody ? ([['with its body changed', async () => ({ ...(await request()), body: JSON.stringify({ ...(await settingsBody()), touchpoint: { ...(await settingsBody()).touchpoint, enabled: false } }) })]] satisfies Forgery[]) : []),
  ];

  it.each(forgeries)('refuses a captured request %s with 401 and changes nothing', async (_, forge) => {
    const forged = await forge();
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    expect((await send(forged)).status).toBe(401);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('accepts the same request signed just now, so the refusals above are the signature’s doing', async () => {
    expect((await send(await request())).status).toBe(200);
  });
});

describe('the webhook', () => {
  const forgeries: Forgery[] = [
    ['replayed 5 minutes and 1 second after it was signed', () => webhookRequest(replayedLate())],
    ['with its timestamp header changed', () => shifted(webhookRequest())],
    ['with a query parameter added', () => withUrl(webhookRequest(), (url) => url.searchParams.set('portalId', String(portal)))],
    ['with a query parameter changed', () => withUrl(webhookRequest(Date.now(), demoApp.clientSecret, `${stack.info.webhookUrl}?v=1`), (url) => url.searchParams.set('v', '2'))],
    ['with a query parameter removed', () => withUrl(webhookRequest(Date.now(), demoApp.clientSecret, `${stack.info.webhookUrl}?v=1`), (url) => url.searchParams.delete('v'))],
    ['with its body changed', () => ({ ...webhookRequest(), body: webhookRequest().body.replace('"objectId":306', '"objectId":301') })],
    ['signed with another app’s secret', () => webhookRequest(Date.now(), otherApp.clientSecret)],
    ['without the signature header', () => withHeader(webhookRequest(), 'X-HubSpot-Signature-v3', undefined)],
    ['with an empty signature header', () => withHeader(webhookRequest(), 'X-HubSpot-Signature-v3', '')],
  ];

  it.each(forgeries)('refuses a captured batch %s with 401, queues nothing and changes nothing', async (_, forge) => {
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    const deliveriesBefore = stack.queue.stats().deliveries;
    expect((await send(await forge())).status).toBe(401);
    await stack.settled();
    expect(stack.queue.stats().deliveries).toBe(deliveriesBefore);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('accepts the same batch signed just now, and it invites deal 306’s contact', async () => {
    expect((await send(webhookRequest())).status).toBe(204);
    await stack.settled();
    expect((await stack.store.listInvitations(portal, '306')).map(({ touchpointId, contactId }) => `${touchpointId}:${contactId}`)).toEqual(['sales-meeting:107']);
  });
});

describe('survey tokens', () => {
  let token = '';
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  const answer = (candidate: string) => fetch(`${stack.info.appUrl}/s/${candidate}?score=5`);

  beforeAll(async () => {
    stack.sandbox.moveDeal(portal, '310', 'cardelivered'); // James
    await stack.settled();
    await stack.runDueAt(new Date(Date.now() + 25 * 60 * minute));
    const [mail] = await mailsTo(stack.info.sesUrl, 'james.miller@example.com');
    token = mail!.body.text!.match(/\/s\/([^\s?]+)/)![1]!;
  });

  it.each([
    ['a character flipped in its payload', () => flip(token, 3)],
    ['a character flipped in its signature', () => flip(token, token.indexOf('.') + 3)],
    ['another portal, signed with another secret', () =>
      signSurveyToken({ portalId: 13572468, dealId: '310', touchpointId: 'delivery', contactId: '112', language: 'en', expiresAt: new Date(Date.now() + day) }, 'another-portals-secret')],
    ['its last characters cut off', () => token.slice(0, -4)],
    ['its signature cut off', () => token.split('.')[0]!],
  ])('refuses a token with %s with 404 and records no answer', async (_, forge) => {
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    expect((await answer(forge())).status).toBe(404);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('refuses an expired token with 410', async () => {
    const expired = signSurveyToken({ portalId: portal, dealId: '310', touchpointId: 'delivery', contactId: '112', language: 'en', expiresAt: new Date(Date.now() - 1000) }, localSurveyTokenSecret);
    expect((await answer(expired)).status).toBe(410);
  });

  it('accepts the untouched token', async () => {
    expect((await answer(token)).status).toBe(200);
  });
});
