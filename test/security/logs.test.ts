import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every log line the handlers can write: the level is read when the logger is created, so before anything imports it.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const { asPerson, postAsPerson, settleClicks, startTestStack } = await import('../support/local-stack.js');
const { mailsTo } = await import('../support/local-ses.js');
const { TokenSealer } = await import('../../lambdas/hubspot/token-sealer.js');
const { demoAccessToken, demoApp, demoPortalId } = await import('../../local/demo/car-dealer.js');
const { localSurveyTokenSecret, localTokenEncryptionKey } = await import('../../local/stack.js');

const portal = demoPortalId;
const question = 'Hvordan var dit møde med vores sælger?';
const captured: string[] = [];
const secrets = new Map<string, string>([
  ['the app client secret', demoApp.clientSecret],
  ['the survey token secret', localSurveyTokenSecret],
  ['the token encryption key', localTokenEncryptionKey],
  ['the demo portal’s access token', demoAccessToken],
]);
let stack: Awaited<ReturnType<typeof startTestStack>>;

/** Everything written to stdout, stderr or the console while `run` runs. */
async function capturingOutput(run: () => Promise<void>): Promise<void> {
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const consoleMethods = methods.map((method) => console[method]);
  streams.forEach((stream, index) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (writes[index] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  });
  methods.forEach((method) => {
    console[method] = (...args: unknown[]) => captured.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  });
  try {
    await run();
  } finally {
    streams.forEach((stream, index) => (stream.write = writes[index]!));
    methods.forEach((method, index) => (console[method] = consoleMethods[index]!));
  }
}

function signedRequest(method: 'GET' | 'PUT', path: string, body?: unknown) {
  const signed = stack.sandbox.signFetchRequest({ method, url: `${stack.info.appUrl}${path}`, portalId: portal, ...(body === undefined ? {} : { body }) });
  return fetch(signed.url, { method, headers: signed.headers, ...(signed.body ? { body: signed.body } : {}) });
}

beforeAll(async () => {
  await capturingOutput(async () => {
    stack = await startTestStack();
    // A deal moves, the due λ sends the survey, Anders answers and comments.
    stack.sandbox.moveDeal(portal, '301', 'salesmeeting');
    await stack.settled();
    await stack.runDueAt(new Date(Date.now() + 2 * 3_600_000 + 60_000)); // the sales meeting's survey is due two hours later
    const [mail] = await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk');
    const token = mail!.body.text!.match(/\/s\/([^\s?]+)/)![1]!;
    secrets.set('a full survey token', token);
    secrets.set('the mail body’s question', question);
    expect(mail!.body.text).toContain(question);
    expect((await asPerson(`${stack.info.appUrl}/s/${token}?score=3`)).status).toBe(200);
    expect((await postAsPerson(`${stack.info.appUrl}/s/${token}`, { score: '3', comment: 'Sælgeren var for sent på den' })).status).toBe(200);
    await settleClicks(stack);
    // Someone opens the card, an admin saves a touchpoint, and the app is installed through OAuth.
    expect((await signedRequest('GET', '/card?objectType=deal&objectId=301')).status).toBe(200);
    const offer = (await stack.store.getTouchpoint(portal, 'offer'))!;
    expect((await signedRequest('PUT', '/settings/touchpoints/offer', { touchpoint: { ...offer.value, name: 'The offer, renamed' }, expectedVersion: offer.version })).status).toBe(200);
    const install = await fetch(`${stack.info.appUrl}/oauth/install`, { redirect: 'manual' });
    const consent = await fetch(install.headers.get('location')!, { redirect: 'manual' });
    expect((await fetch(consent.headers.get('location')!)).status).toBe(200);
    // A request that fails verification logs too.
    expect((await fetch(`${stack.info.appUrl}/card?objectType=deal&objectId=301&portalId=${portal}`)).status).toBe(401);
  });
  const grant = (await stack.store.getInstall(portal))!;
  const sealer = new TokenSealer(localTokenEncryptionKey);
  secrets.set('the access token issued at install', sealer.open(grant.accessToken));
  secrets.set('the refresh token issued at install', sealer.open(grant.refreshToken));
});
afterAll(() => stack.close());

describe('the logs of a whole run at DEBUG level', () => {
  it('captured the handlers’ structured log lines', () => {
    const logLines = captured.join('').split('\n').filter((line) => line.includes('"service":"touchpoints"'));
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.some((line) => line.includes('"level":"INFO"'))).toBe(true); // below the ERROR the other test files log at
  });

  it('issued fresh tokens at install, not the demo one', () => {
    expect(secrets.get('the access token issued at install')).not.toBe(demoAccessToken);
    expect(secrets.get('the refresh token issued at install')).toBeTruthy();
  });

  it.each([...secrets.keys(), 'the access token issued at install', 'the refresh token issued at install', 'a full survey token', 'the mail body’s question'])(
    'never contain %s',
    (name) => {
      const secret = secrets.get(name)!;
      expect(secret.length).toBeGreaterThan(8);
      const output = captured.join('');
      expect(output.includes(secret), `${name} appears in the logs`).toBe(false);
      expect(output.includes(JSON.stringify(secret).slice(1, -1)), `${name} appears escaped in the logs`).toBe(false);
    },
  );
});
