import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSurveyToken } from '../../lambdas/domain/survey-token.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { localSurveyTokenSecret } from '../../local/stack.js';
import { mailsTo } from '../support/local-ses.js';
import { startTestStack } from '../support/local-stack.js';

const portal = demoPortalId;
const comment = 'Fin levering <script>alert(1)</script> "><img src=x onerror=alert(1)> </textarea><script>alert(2)</script>';
const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
/** The status, with the body read so no connection stays open. */
const statusOf = async (pending: Promise<Response>) => {
  const response = await pending;
  await response.arrayBuffer();
  return response.status;
};
let stack: Awaited<ReturnType<typeof startTestStack>>;
let surveyUrl = '';

beforeAll(async () => {
  stack = await startTestStack();
  stack.sandbox.moveDeal(portal, '310', 'cardelivered'); // James
  await stack.settled();
  await stack.runDueAt(new Date(Date.now() + 25 * 3_600_000));
  const [mail] = await mailsTo(stack.info.sesUrl, 'james.miller@example.com');
  surveyUrl = mail!.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0];
});
afterAll(() => stack.close());

describe('a comment with HTML in it', () => {
  it('comes back on the thanks page escaped, never as markup', async () => {
    expect(await statusOf(fetch(`${surveyUrl}?score=9`))).toBe(200);
    expect(await statusOf(fetch(surveyUrl, form({ score: '9', comment })))).toBe(200);
    const page = await (await fetch(`${surveyUrl}?score=9`)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    for (const raw of ['<script>alert', '<img', '</textarea><script>', '"><']) expect(page).not.toContain(raw);
    await stack.settled(); // the answer's closed loop runs in the events λ
  });
});

describe('every survey page', () => {
  const expired = () =>
    signSurveyToken({ portalId: portal, dealId: '310', touchpointId: 'delivery', contactId: '112', language: 'en', expiresAt: new Date(Date.now() - 1000) }, localSurveyTokenSecret);
  const unsubscribeUrl = () => surveyUrl.replace('/s/', '/u/');

  it.each([
    ['the question', 200, () => fetch(surveyUrl)],
    ['the thanks after a score', 200, () => fetch(`${surveyUrl}?score=8`)],
    ['the thanks after a comment', 200, () => fetch(surveyUrl, form({ score: '8', comment: 'Tak' }))],
    ['a bad score', 400, () => fetch(`${surveyUrl}?score=11`)],
    ['a broken link', 404, () => fetch(`${stack.info.appUrl}/s/not-a-token`)],
    ['an expired link', 410, () => fetch(`${stack.info.appUrl}/s/${expired()}`)],
    ['the unsubscribe question', 200, () => fetch(unsubscribeUrl())],
    ['the one-click unsubscribe', 200, () => fetch(unsubscribeUrl(), form({ 'List-Unsubscribe': 'One-Click' }))],
  ])('%s (%i) forbids scripts, framing, referrers, sniffing and caching', async (_, status, open) => {
    const response = await open();
    await response.arrayBuffer();
    expect(response.status).toBe(status);
    const headers = Object.fromEntries(['content-security-policy', 'referrer-policy', 'x-content-type-options', 'cache-control'].map((name) => [name, response.headers.get(name)]));
    expect(headers).toEqual({
      'content-security-policy': expect.stringMatching(/default-src 'none'.*frame-ancestors 'none'|frame-ancestors 'none'.*default-src 'none'/),
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cache-control': expect.stringContaining('no-store'),
    });
  });
});
