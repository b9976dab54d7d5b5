import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { clickRules } from '../../lambdas/domain/survey-clicks.js';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/server.js';
import { startLocalStack, type LocalStackOptions } from '../../local/stack.js';

/**
 * The whole local stack in memory on free ports, with short retry waits so tests never idle.
 * Every sender domain is verified as soon as its verification starts, unless a test of the
 * sender domains asks to verify them itself (`senderDomainsVerifiedAtOnce: false`).
 */
export function startTestStack(
  extraPortals: readonly PortalSeed[] = [],
  { senderDomainsVerifiedAtOnce = true, ses, ...services }: { senderDomainsVerifiedAtOnce?: boolean } & Pick<LocalStackOptions, 'ses' | 'dynamo' | 'dueWork' | 'minuteScheduleMs'> = {},
) {
  return startLocalStack({
    extraPortals,
    ...services,
    ses: { ...(senderDomainsVerifiedAtOnce ? { verifyDomainsAfterMs: 0 } : {}), ...ses },
    appPort: 0,
    sandboxPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    dataDir: '.data/unused-by-tests',
    tableName: 'touchpoints-test',
    persist: false,
    sandbox: { webhookRetryDelaysMs: [0, 0, 0], webhookBatchWindowMs: 5 },
    queue: { visibilityTimeoutMs: 10, batchWindowMs: 5 },
  });
}

/**
 * Every item in the table, sorted: what the tests compare before and after a
 * replay. The one Scan in the code base lives here, in the tests.
 */
export async function tableSnapshot(dynamoEndpoint: string, tableName: string): Promise<string[]> {
  const client = createDynamoClient({ endpoint: dynamoEndpoint });
  try {
    const documents = createDocumentClient(client);
    const items: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
      items.push(...(page.Items ?? []).map((item) => JSON.stringify(item, Object.keys(item).sort())));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.sort();
  } finally {
    client.destroy();
  }
}

type TestStack = Awaited<ReturnType<typeof startTestStack>>;

/** A person's browser, as the survey λ sees it: a request with no user agent is a machine's (lambdas/domain/survey-clicks.ts). */
export const personsBrowser = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';

/** A person opening a survey page, or sending its form. */
export function asPerson(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { 'user-agent': personsBrowser, ...init.headers } });
}

/** A person sending the survey page's form (a comment, a changed score). */
export function postAsPerson(url: string, fields: Record<string, string>): Promise<Response> {
  return asPerson(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

/** What `npm run demo -- advance {by}` sends: the stack's clock moves on by `by` and the due λ runs as of then. */
export function advanceDemoClock(stack: TestStack, by: string): Promise<Response> {
  return fetch(`${stack.info.appUrl}/local/clock`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ advance: by }),
  });
}

/** The due λ's run once every click so far has settled, and the closed loop the answers set off. */
export async function settleClicks(stack: TestStack): Promise<void> {
  await stack.runDueAt(new Date(Date.now() + clickRules.settleMs));
  await stack.settled();
}

/** The admin of `portalId` installs the app: our link → HubSpot's consent for that account → our callback. */
export async function installThroughOAuth(stack: TestStack, portalId: number): Promise<Response> {
  const link = await fetch(`${stack.info.appUrl}/oauth/install`, { redirect: 'manual' });
  const consentUrl = new URL(link.headers.get('location')!);
  consentUrl.searchParams.set('portalId', String(portalId)); // the account the admin picks on HubSpot's screen
  const consent = await fetch(consentUrl, { redirect: 'manual' });
  return fetch(consent.headers.get('location')!);
}

/** A `hubspot.fetch` request as HubSpot signs it for a user of `portalId`. */
export function hubspotFetchAs(stack: TestStack, portalId: number, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  const signed = stack.sandbox.signFetchRequest({ method, url: `${stack.info.appUrl}${path}`, portalId, ...(body === undefined ? {} : { body }) });
  return fetch(signed.url, { method, headers: signed.headers, ...(signed.body ? { body: signed.body } : {}) });
}
