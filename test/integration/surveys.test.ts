import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSurveyToken } from '../../lambdas/domain/survey-token.js';
import { dueHandlerFromEnvironment } from '../../lambdas/handlers/due.js';
import { createSurveyHandler } from '../../lambdas/handlers/survey.js';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { localSurveyTokenSecret } from '../../local/stack.js';
import { mailCountTo, mailsTo } from '../support/local-ses.js';
import { startTestStack, tableSnapshot } from '../support/local-stack.js';

const portal = demoPortalId;
const hour = 3_600_000;
const day = 24 * hour;
const start = Date.now();
let stack: Awaited<ReturnType<typeof startTestStack>>;

const mailCount = (address: string) => mailCountTo(stack.info.sesUrl, address);
async function surveyLink(address: string): Promise<string> {
  const [mail] = await mailsTo(stack.info.sesUrl, address);
  return mail!.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0];
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.sandbox.moveDeal(portal, '302', 'offersent'); // Emma and Peter (Green Fleet)
  stack.sandbox.moveDeal(portal, '310', 'cardelivered'); // James
  await stack.settled();
});
afterAll(() => stack.close());

describe('sending surveys', () => {
  it('sends nothing before the touchpoint’s delay has passed', async () => {
    await stack.runDueAt(new Date(start + 23 * hour));
    expect(await mailCount('emma.wilson@example.com')).toBe(0);
  });

  it('sends each survey once even when two runs of the due λ overlap', async () => {
    const at = { time: new Date(start + 25 * hour).toISOString() };
    const [runA, runB] = await Promise.all([dueHandlerFromEnvironment(), dueHandlerFromEnvironment()]);
    const [first, second] = await Promise.all([runA(at), runB(at)]);
    // Both read the same three timers; the lease is a conditional write, so each is handed out by one run only.
    expect(first.handedOut + second.handedOut).toBe(3);
    await stack.dueWorkQueue.idle();
    await stack.runDueAt(new Date(start + 25 * hour + 60_000));
    expect(await Promise.all(['emma.wilson@example.com', 'peter.smith@example.com', 'james.miller@example.com'].map(mailCount))).toEqual([1, 1, 1]);
    expect((await stack.store.listInvitations(portal, '302')).map(({ status }) => status)).toEqual(['sent', 'sent']);
  });

  it('only asks when the body’s unsubscribe link is opened: a GET (a person, or a mail scanner) unsubscribes nobody', async () => {
    const jamesUnsubscribe = (await surveyLink('james.miller@example.com')).replace('/s/', '/u/');
    const opened = await fetch(jamesUnsubscribe);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('<form method="post" action="/u/');
    expect(await stack.store.surveyOptOuts(portal, ['112'])).toEqual(new Set());
    // James's reminder below proves it too.
  });

  it('reminds once, after the configured days, only those who neither answered nor unsubscribed', async () => {
    const emmaLink = await surveyLink('emma.wilson@example.com');
    expect((await fetch(`${emmaLink}?score=8`)).status).toBe(200);
    const peterUnsubscribe = (await surveyLink('peter.smith@example.com')).replace('/s/', '/u/');
    const oneClick = await fetch(peterUnsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);

    await stack.runDueAt(new Date(start + 25 * hour + 3 * day + 5 * 60_000));
    await stack.runDueAt(new Date(start + 25 * hour + 6 * day));
    expect(await Promise.all(['emma.wilson@example.com', 'peter.smith@example.com', 'james.miller@example.com'].map(mailCount))).toEqual([1, 1, 2]);
    const [, reminder] = await mailsTo(stack.info.sesUrl, 'james.miller@example.com');
    expect(reminder!.subject).toMatch(/^Reminder:/);
  });

  it('never surveys an unsubscribed contact again', async () => {
    stack.sandbox.moveDeal(portal, '302', 'contractsigned');
    await stack.settled();
    await stack.runDueAt(new Date(start + 8 * day));
    const contract = (await stack.store.listInvitations(portal, '302')).filter(({ touchpointId }) => touchpointId === 'contract');
    expect(contract.map(({ contactId, status, skipReason }) => `${contactId}:${status}:${skipReason ?? ''}`)).toEqual(['102:skipped:fatigue', '104:skipped:opted_out']); // Emma was asked within the day
    expect(await mailCount('peter.smith@example.com')).toBe(1);
  });
});

describe('refused survey requests', () => {
  const validToken = async () => (await surveyLink('james.miller@example.com')).split('/s/')[1]!;
  const expiredToken = () =>
    signSurveyToken({ portalId: portal, dealId: '310', touchpointId: 'delivery', contactId: '112', language: 'en', expiresAt: new Date(start - 1000) }, localSurveyTokenSecret);
  const unknownToken = () =>
    signSurveyToken({ portalId: portal, dealId: '999', touchpointId: 'delivery', contactId: '112', language: 'en', expiresAt: new Date(start + 30 * day) }, localSurveyTokenSecret);

  it.each([
    ['a tampered token', 404, async () => fetch(`${stack.info.appUrl}/s/${(await validToken()).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}?score=5`)],
    ['an expired token', 410, async () => fetch(`${stack.info.appUrl}/s/${expiredToken()}?score=5`)],
    ['a token for an invitation that does not exist', 404, async () => fetch(`${stack.info.appUrl}/s/${unknownToken()}?score=5`)],
    ['score 0', 400, async () => fetch(`${stack.info.appUrl}/s/${await validToken()}?score=0`)],
    ['score 11', 400, async () => fetch(`${stack.info.appUrl}/s/${await validToken()}?score=11`)],
    ['score "abc"', 400, async () => fetch(`${stack.info.appUrl}/s/${await validToken()}?score=abc`)],
    ['two scores at once', 400, async () => fetch(`${stack.info.appUrl}/s/${await validToken()}?score=4&score=9`)],
    [
      'a comment over 2,000 characters',
      400,
      async () =>
        fetch(`${stack.info.appUrl}/s/${await validToken()}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ score: '5', comment: 'x'.repeat(2001) }).toString() }),
    ],
    ['a comment that is not a form', 400, async () => fetch(`${stack.info.appUrl}/s/${await validToken()}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"comment":"hi"}' })],
  ])('refuses %s with %i, a page that says so, and changes nothing', async (_, status, send) => {
    await stack.settled(); // earlier answers' closed loop runs in the events λ
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toMatch(/<h1[^>]*>[^<]+<\/h1>/);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('answers an expired link in the invitation’s language, a tampered one in the browser’s', async () => {
    const danishExpired = signSurveyToken({ portalId: portal, dealId: '310', touchpointId: 'delivery', contactId: '112', language: 'da', expiresAt: new Date(start - 1000) }, localSurveyTokenSecret);
    expect(await (await fetch(`${stack.info.appUrl}/s/${danishExpired}`)).text()).toContain('lang="da"');
    expect(await (await fetch(`${stack.info.appUrl}/s/garbage`, { headers: { 'accept-language': 'nb-NO' } })).text()).toContain('lang="nb"');
  });

  it.each([
    ['an expired link', 'Bilhuset Nord', () => `/s/${expiredToken()}`],
    ['a link to an invitation that does not exist', 'Bilhuset Nord', () => `/s/${unknownToken()}`],
    ['a score out of range', 'Bilhuset Nord', async () => `/s/${await validToken()}?score=11`],
    ['a tampered link', 'Customer survey', async () => `/s/${(await validToken()).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`],
  ])('shows %s under the header “%s”: the company where the link names the portal, else a neutral one', async (_, header, path) => {
    const body = await (await fetch(`${stack.info.appUrl}${await path()}`)).text();
    expect(body.match(/<header><p>([^<]*)<\/p><\/header>/)?.[1]).toBe(header);
  });

  it('shows a comment with HTML in it as text', async () => {
    const token = await validToken();
    const response = await fetch(`${stack.info.appUrl}/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: '7', comment: '<script>alert(1)</script>' }).toString(),
    });
    expect(response.status).toBe(200);
    const thanks = await (await fetch(`${stack.info.appUrl}/s/${token}?score=7`)).text();
    expect(thanks).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(thanks).not.toContain('<script>alert(1)');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('the survey page while the table is unreachable', () => {
  it('answers 503 in the customer’s language, saying the link still works, and stores nothing', async () => {
    // A real connection refused: nothing listens on the store's endpoint.
    const unreachable = createDynamoClient({ endpoint: 'http://127.0.0.1:9' });
    const survey = createSurveyHandler({
      store: new TouchpointsStore(createDocumentClient(unreachable), 'touchpoints-test'),
      surveyTokenSecret: localSurveyTokenSecret,
      now: () => new Date(),
    });
    const token = signSurveyToken(
      { portalId: portal, dealId: '310', touchpointId: 'delivery', contactId: '109', language: 'da', expiresAt: new Date(Date.now() + day) },
      localSurveyTokenSecret,
    );
    await stack.settled(); // earlier answers' closed-loop work done
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    const page = await survey({
      rawPath: `/s/${token}`,
      pathParameters: { token },
      queryStringParameters: { score: '9' },
      headers: { 'accept-language': 'da' },
      requestContext: { http: { method: 'GET' } },
    } as never);
    unreachable.destroy();
    expect([page.statusCode, page.headers?.['retry-after']]).toEqual([503, '60']);
    expect(page.body).toContain('Det lykkedes ikke lige nu');
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });
});
