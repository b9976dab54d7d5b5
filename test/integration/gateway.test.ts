import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type HttpHandler } from '../../local/gateway.js';

const received: APIGatewayProxyEventV2[] = [];
const echo: HttpHandler = async (event, context) => {
  received.push(event);
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', 'x-function': context.functionName },
    cookies: ['seen=1; Path=/'],
    body: JSON.stringify({ path: event.pathParameters }),
  };
};
const failing: HttpHandler = async () => {
  throw new Error('secret detail');
};

let gateway: Awaited<ReturnType<typeof startGateway>>;
const fixedNow = new Date('2026-11-25T10:00:00.000Z');

beforeAll(async () => {
  gateway = await startGateway({
    now: () => fixedNow,
    routes: [
      { method: 'POST', path: '/s/{token}', functionName: 'survey', handler: echo },
      { method: 'GET', path: '/files/{key+}', functionName: 'files', handler: echo },
      { method: 'GET', path: '/boom', functionName: 'boom', handler: failing },
    ],
  });
});
afterAll(() => gateway.close());

const last = () => received.at(-1)!;

describe('the local gateway', () => {
  it('answers /healthz itself', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect([response.status, await response.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('builds the payload 2.0 event API Gateway sends', async () => {
    const response = await fetch(`${gateway.url}/s/abc%2Edef?score=9&tag=a&tag=b`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'a=1; b=2', 'X-Custom': 'Yes' },
      body: 'comment=Fine',
    });
    expect(response.status).toBe(201);
    expect(last()).toMatchObject({
      version: '2.0',
      routeKey: 'POST /s/{token}',
      rawPath: '/s/abc%2Edef',
      rawQueryString: 'score=9&tag=a&tag=b',
      cookies: ['a=1', 'b=2'],
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-custom': 'Yes' },
      queryStringParameters: { score: '9', tag: 'a,b' },
      pathParameters: { token: 'abc.def' },
      requestContext: { http: { method: 'POST', path: '/s/abc%2Edef' }, stage: '$default', timeEpoch: fixedNow.getTime() },
      body: 'comment=Fine',
      isBase64Encoded: false,
    });
    expect(last().headers.cookie).toBeUndefined();
  });

  it('writes the handler’s status, headers and cookies back', async () => {
    const response = await fetch(`${gateway.url}/s/t1`, { method: 'POST' });
    expect(response.headers.get('x-function')).toBe('survey');
    expect(response.headers.get('set-cookie')).toBe('seen=1; Path=/');
    expect(await response.json()).toEqual({ path: { token: 't1' } });
  });

  it('base64-encodes a binary body as API Gateway does', async () => {
    await fetch(`${gateway.url}/s/t2`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 255]) });
    expect([last().body, last().isBase64Encoded]).toEqual(['AP8=', true]);
  });

  it('passes a greedy path parameter whole', async () => {
    await fetch(`${gateway.url}/files/a/b/c.txt`);
    expect(last().pathParameters).toEqual({ key: 'a/b/c.txt' });
  });

  it('answers 404 for an unknown path and 405 for a known path with another method', async () => {
    expect((await fetch(`${gateway.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/s/t3`)).status).toBe(405);
  });

  it('answers 500 without detail when a handler throws, as API Gateway does', async () => {
    const response = await fetch(`${gateway.url}/boom`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret detail');
  });
});
