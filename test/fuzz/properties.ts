/**
 * Property-based tests of every public boundary of the running local stack:
 * generated bad input must be refused with a 4xx and a clear message, never a
 * 5xx, and a refused request stores nothing. Each property is a plain function
 * `(stack, numRuns)` that throws on failure, so the vitest file and the fuzz
 * benchmark run the very same properties.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { PortalSettings, TouchpointDefinition } from '@touchpoints/contracts';
import { maxCommentLength } from '../../lambdas/domain/response.js';
import { HubSpotWebhookBatch, maxEventsPerWebhook } from '../../lambdas/domain/webhook-event.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { mailsTo } from '../support/local-ses.js';
import { startTestStack, tableSnapshot } from '../support/local-stack.js';

export type FuzzStack = Awaited<ReturnType<typeof startTestStack>>;
export type BoundaryProperty = (stack: FuzzStack, numRuns: number) => Promise<void>;

/** One seed for every property: the same cases on every run and every machine. */
export const fuzzSeed = 20_250_601;

/** `FUZZ_RUNS` cases per property (60 unless set). */
export function fuzzRunsFromEnvironment(): number {
  const runs = Number(process.env.FUZZ_RUNS ?? 60);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive whole number, not ${process.env.FUZZ_RUNS}`);
  return runs;
}

// ── What every refusal must look like ───────────────────────────────────────

/**
 * The answer has one of the `expected` statuses (never a 5xx) and says why: a
 * JSON `message` (with `problems` as non-empty lines when present) or an HTML
 * page with a non-empty `<h1>`.
 */
async function assertClearAnswer(response: Response, expected: readonly number[], input: unknown): Promise<void> {
  const body = await response.text();
  const context = `${response.status} for ${JSON.stringify(input).slice(0, 300)}: ${body.slice(0, 300)}`;
  assert.ok(response.status < 500, `server error ${context}`);
  assert.ok(expected.includes(response.status), `expected ${expected.join(' or ')}, got ${context}`);
  if (response.status < 400) return;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('application/json')) {
    const answer = JSON.parse(body) as { message?: unknown; problems?: unknown };
    assert.ok(typeof answer.message === 'string' && answer.message.trim() !== '', `no message in ${context}`);
    if (answer.problems !== undefined) {
      assert.ok(Array.isArray(answer.problems) && answer.problems.length > 0, `empty problems in ${context}`);
      assert.ok(answer.problems.every((problem) => typeof problem === 'string' && problem.trim() !== ''), `a blank problem in ${context}`);
    }
  } else if (contentType.startsWith('text/html')) {
    assert.match(body, /<h1[^>]*>\s*[^<\s][^<]*<\/h1>/, `no <h1> in ${context}`);
  } else {
    assert.fail(`neither JSON nor HTML (${contentType || 'no content type'}) in ${context}`);
  }
}

/** Runs the property, then checks once that the table is exactly as before. */
async function storingNothing(stack: FuzzStack, run: () => Promise<void>): Promise<void> {
  const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
  await run();
  await stack.settled();
  const after = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
  assert.deepEqual(after, before, 'a refused request changed what is stored');
}

const check = <Ts extends [unknown, ...unknown[]]>(numRuns: number, arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...args: Ts) => Promise<void>) =>
  fc.assert(fc.asyncProperty<Ts>(...arbitraries, predicate), { numRuns, seed: fuzzSeed, endOnFailure: true });

// ── Generators ──────────────────────────────────────────────────────────────

/** Any JSON value (as a value, not text). */
const jsonValue = fc.jsonValue() as fc.Arbitrary<unknown>;
/** Printable ASCII, safe in a header. */
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
/** Text a URL can carry once percent-encoded: whole graphemes, no lone surrogates. */
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.base64String());

/** A webhook event the app accepts: a deal entering a stage. */
const dealStageEvent = fc.record({
  eventId: fc.nat(),
  subscriptionId: fc.integer({ min: 1, max: 9_999_999 }),
  portalId: fc.constant(demoPortalId),
  appId: fc.constant(demoApp.appId),
  occurredAt: fc.integer({ min: 1, max: 2 ** 45 }),
  subscriptionType: fc.constant('object.propertyChange'),
  attemptNumber: fc.nat(5),
  objectId: fc.constantFrom(301, 302, 303, 306, 310),
  objectTypeId: fc.constant('0-3'),
  propertyName: fc.constant('dealstage'),
  propertyValue: fc.constantFrom('offersent', 'contractsigned', 'cardelivered', 'testdrive'),
  changeSource: fc.constant('CRM_UI'),
});
const requiredEventFields = ['eventId', 'subscriptionId', 'portalId', 'appId', 'occurredAt', 'subscriptionType', 'objectId', 'objectTypeId', 'propertyName', 'propertyValue'] as const;
/** Values no required field accepts: "x…" is neither digits nor any literal; `propertyValue` takes any non-empty text, so it gets a non-text value. */
const wrongFieldValue = fc.oneof(fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([]), fc.constant(1.5), fc.string().map((text) => `x${text}`));
const wrongPropertyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([]), fc.integer());

/** An otherwise good event with one required field missing or wrong. */
const brokenEvent = fc
  .tuple(dealStageEvent, fc.constantFrom(...requiredEventFields), fc.option(wrongFieldValue, { nil: undefined }), wrongPropertyValue)
  .map(([event, field, wrong, wrongForValue]) => {
    const broken: Record<string, unknown> = { ...event };
    if (wrong === undefined) delete broken[field];
    else broken[field] = field === 'propertyValue' ? wrongForValue : wrong;
    return broken;
  });

const knownSubscriptionTypes = new Set(['object.propertyChange', 'object.deletion', 'contact.privacyDeletion']);

/** Signed webhook bodies that are not a batch the app may queue; each is refused by construction. */
const invalidWebhookBody = fc.oneof(
  // Any JSON at all, minus the (vanishingly rare) valid batch.
  fc.json().filter((text) => !HubSpotWebhookBatch.safeParse(JSON.parse(text)).success),
  // Good events around at least one broken one.
  fc.tuple(fc.array(dealStageEvent, { maxLength: 4 }), brokenEvent, fc.array(dealStageEvent, { maxLength: 4 })).map(([before, broken, after]) => JSON.stringify([...before, broken, ...after])),
  // A subscription the app does not take.
  fc.tuple(dealStageEvent, fc.string().filter((type) => !knownSubscriptionTypes.has(type))).map(([event, subscriptionType]) => JSON.stringify([{ ...event, subscriptionType }])),
  // More than HubSpot ever sends at once.
  fc.array(dealStageEvent, { minLength: maxEventsPerWebhook + 1, maxLength: maxEventsPerWebhook + 30 }).map((events) => JSON.stringify(events)),
  // An empty batch.
  fc.constant('[]'),
  // Not JSON.
  anyText.filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);

/** Signs as HubSpot does: base64(HMAC-SHA256(secret, method + url + body + timestamp)). */
function webhookSignature(url: string, body: string, timestamp: number, secret: string = demoApp.clientSecret): string {
  return createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
}

function postWebhook(stack: FuzzStack, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(stack.info.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

// ── 1. Webhook ──────────────────────────────────────────────────────────────

/** Signed bodies that are not a valid batch → 400 with the problems; nothing queued or stored. */
export const signedWebhookJunkIsRefused: BoundaryProperty = (stack, numRuns) =>
  storingNothing(stack, () =>
    check(numRuns, [invalidWebhookBody], async (body) => {
      const timestamp = Date.now();
      const response = await postWebhook(stack, body, { 'x-hubspot-signature-v3': webhookSignature(stack.info.webhookUrl, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) });
      await assertClearAnswer(response, [400], body);
    }),
  );

/** Unsigned, garbage-signed, wrong-secret or stale bodies → 401, even when the body is a valid batch. */
export const unsignedWebhooksAreRefused: BoundaryProperty = (stack, numRuns) => {
  const anyBody = fc.oneof(anyText, fc.json(), fc.array(dealStageEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)));
  const badSignature = fc.oneof(
    fc.constant(() => ({})),
    fc.tuple(fc.base64String(), headerText).map(([signature, timestamp]) => () => ({ 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp })),
    fc.base64String().map((signature) => () => ({ 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(Date.now()) })),
    fc.string({ minLength: 1 }).map((secret) => (url: string, body: string) => {
      const timestamp = Date.now();
      return { 'x-hubspot-signature-v3': webhookSignature(url, body, timestamp, `${demoApp.clientSecret}${secret}`), 'x-hubspot-request-timestamp': String(timestamp) };
    }),
    fc.integer({ min: 6 * 60_000, max: 10 ** 9 }).map((ageMs) => (url: string, body: string) => {
      const timestamp = Date.now() - ageMs;
      return { 'x-hubspot-signature-v3': webhookSignature(url, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) };
    }),
  );
  return storingNothing(stack, () =>
    check(numRuns, [anyBody, badSignature], async (body, headersFor) => {
      await assertClearAnswer(await postWebhook(stack, body, headersFor(stack.info.webhookUrl, body)), [401], body);
    }),
  );
};

// ── 2. Survey pages ─────────────────────────────────────────────────────────

const surveyTokens = new WeakMap<FuzzStack, Promise<string>>();

/**
 * A live survey token: deal 310 is delivered, a day passes, James is mailed.
 * Made once per stack, before any property takes its snapshot; never answered.
 */
export function validSurveyToken(stack: FuzzStack): Promise<string> {
  let token = surveyTokens.get(stack);
  if (!token) {
    token = (async () => {
      stack.sandbox.moveDeal(demoPortalId, '310', 'cardelivered');
      await stack.settled();
      await stack.runDueAt(new Date(Date.now() + 25 * 3_600_000));
      const [mail] = await mailsTo(stack.info.sesUrl, 'james.miller@example.com');
      const link = mail?.body.text?.match(/https?:\/\/\S+\/s\/([^\s?]+)/);
      if (!link?.[1]) throw new Error('James got no survey link to fuzz with');
      return link[1];
    })();
    surveyTokens.set(stack, token);
  }
  return token;
}

const tokenAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
/** The valid token with one character replaced by another. */
const flippedToken = (token: string) =>
  fc.tuple(fc.nat(token.length - 1), fc.constantFrom(...tokenAlphabet)).filter(([at, by]) => token[at] !== by).map(([at, by]) => `${token.slice(0, at)}${by}${token.slice(at + 1)}`);
/** Not a token we signed: arbitrary text, base64, or a real one with a flipped character. */
const garbageToken = (token: string) => fc.oneof(anyText.filter((text) => text.length > 0 && text !== '.' && text !== '..'), flippedToken(token));
const isScore = (text: string | null) => text !== null && /^(10|[1-9])$/.test(text);
const surveyUrl = (stack: FuzzStack, kind: 's' | 'u', token: string) => `${stack.info.appUrl}/${kind}/${encodeURIComponent(token)}`;

/** `GET /s/{garbage}?score=…` → 404; `GET /s/{valid}?score={not 1..10}` → 400. Nothing recorded. */
export const surveyLinksRefuseJunk: BoundaryProperty = async (stack, numRuns) => {
  const token = await validSurveyToken(stack);
  const score = fc.oneof(fc.integer({ min: 1, max: 10 }).map(String), anyText);
  const badScore = fc.oneof(anyText, fc.integer().map(String), fc.double().map(String), fc.integer({ min: 1, max: 10 }).map((n) => ` ${n}`), fc.integer({ min: 1, max: 10 }).map((n) => `0${n}`)).filter((text) => !isScore(text));
  await storingNothing(stack, () =>
    check(numRuns, [fc.oneof(fc.tuple(garbageToken(token), score, fc.constant(404)), fc.tuple(fc.constant(token), badScore, fc.constant(400)))], async ([candidate, scoreText, status]) => {
      const response = await fetch(`${surveyUrl(stack, 's', candidate)}?score=${encodeURIComponent(scoreText)}`);
      await assertClearAnswer(response, [status], { token: candidate, score: scoreText });
    }),
  );
};

/** `POST /s/{token}` with any form body and content type → 4xx, unless it is a form carrying a real score for a live token (left out). */
export const surveyFormsRefuseJunk: BoundaryProperty = async (stack, numRuns) => {
  const token = await validSurveyToken(stack);
  const contentType = fc.oneof(
    fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', ''),
    headerText,
  );
  const formBody = fc.oneof(
    anyText,
    fc.dictionary(fc.constantFrom('score', 'comment', 'token', 'x'), anyText).map((fields) => new URLSearchParams(fields).toString()),
    fc.string({ minLength: maxCommentLength + 1, maxLength: maxCommentLength + 100 }).map((comment) => new URLSearchParams({ score: '7', comment }).toString()),
  );
  const postable = fc
    .tuple(fc.oneof(garbageToken(token), fc.constant(token)), contentType, formBody)
    .filter(([candidate, type, body]) => {
      const isForm = type.trim().toLowerCase().startsWith('application/x-www-form-urlencoded');
      const form = new URLSearchParams(body);
      const commentFits = (form.get('comment') ?? '').length <= maxCommentLength;
      return !(candidate === token && isForm && isScore(form.get('score')) && commentFits);
    });
  await storingNothing(stack, () =>
    check(numRuns, [postable], async ([candidate, type, body]) => {
      const response = await fetch(surveyUrl(stack, 's', candidate), { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
      await assertClearAnswer(response, candidate === token ? [400] : [400, 404], { token: candidate, contentType: type, body });
    }),
  );
};

/** `GET|POST /u/{garbage}` → 404; nobody is unsubscribed. */
export const unsubscribeLinksRefuseJunk: BoundaryProperty = async (stack, numRuns) => {
  const token = await validSurveyToken(stack);
  await storingNothing(stack, () =>
    check(numRuns, [garbageToken(token), fc.constantFrom('GET', 'POST')], async (candidate, method) => {
      const init: RequestInit = method === 'POST' ? { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' } : {};
      await assertClearAnswer(await fetch(surveyUrl(stack, 'u', candidate), init), [404], { method, token: candidate });
    }),
  );
};

// ── 3. Card ─────────────────────────────────────────────────────────────────

const cardObjectType = fc.oneof(fc.constantFrom('deal', 'contact', 'company', 'ticket', 'Deal', ''), anyText);
const cardObjectId = fc.oneof(fc.constantFrom('302', '0', '1'.repeat(30), '1'.repeat(31), '-1', '3.5'), fc.nat().map(String), anyText);
const isValidCardRequest = (objectType: string, objectId: string) => ['contact', 'company', 'deal'].includes(objectType) && /^\d{1,30}$/.test(objectId);
const cardUrl = (stack: FuzzStack, objectType: string, objectId: string) => `${stack.info.appUrl}/card?${new URLSearchParams({ objectType, objectId })}`;

/** Signed `GET /card` with any objectType/objectId → 200 when both are valid, else 400 naming the field. Read-only either way. */
export const cardRefusesJunkRecords: BoundaryProperty = (stack, numRuns) =>
  storingNothing(stack, () =>
    check(numRuns, [cardObjectType, cardObjectId], async (objectType, objectId) => {
      const signed = stack.sandbox.signFetchRequest({ url: cardUrl(stack, objectType, objectId), portalId: demoPortalId });
      const response = await fetch(signed.url, { headers: signed.headers });
      await assertClearAnswer(response, [isValidCardRequest(objectType, objectId) ? 200 : 400], { objectType, objectId });
    }),
  );

/** Unsigned or garbage-signed `GET /card` → 401, whatever it asks for. */
export const unsignedCardRequestsAreRefused: BoundaryProperty = (stack, numRuns) =>
  storingNothing(stack, () =>
    check(numRuns, [cardObjectType, cardObjectId, fc.option(fc.tuple(fc.base64String(), headerText), { nil: undefined })], async (objectType, objectId, signature) => {
      const url = `${cardUrl(stack, objectType, objectId)}&portalId=${demoPortalId}&userId=71003&appId=${demoApp.appId}`;
      const headers = signature ? { 'x-hubspot-signature-v3': signature[0], 'x-hubspot-request-timestamp': signature[1] } : undefined;
      await assertClearAnswer(await fetch(url, headers ? { headers } : {}), [401], { objectType, objectId, signature });
    }),
  );

// ── 4. Settings ─────────────────────────────────────────────────────────────

/** Anything but the positive whole number or null a write must name. */
const notAVersion = fc.oneof(fc.integer({ max: 0 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)), fc.string(), fc.boolean(), fc.array(jsonValue, { maxLength: 3 }), fc.dictionary(fc.string(), jsonValue, { maxKeys: 3 }), fc.constant('1'));
const notATouchpoint = jsonValue.filter((value) => !TouchpointDefinition.safeParse(value).success);
const notPortalSettings = jsonValue.filter((value) => !PortalSettings.safeParse(value).success);
/** Any JSON body lacking one of the write's two fields (the write is strict, so no other shape passes). */
const missingAField = (field: 'touchpoint' | 'settings') => jsonValue.filter((value) => typeof value !== 'object' || value === null || !(field in value) || !('expectedVersion' in value));
const touchpointId = fc.oneof(fc.constantFrom('offer', 'trade-in', 'delivery'), fc.stringMatching(/^[a-z0-9-]{1,20}$/));

/** Builds the write around `field`: a bad version, a bad value with `null`, or a body missing a field. */
const invalidWrite = (field: 'touchpoint' | 'settings', notTheValue: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.tuple(jsonValue, notAVersion).map(([value, expectedVersion]) => ({ [field]: value, expectedVersion })),
    notTheValue.map((value) => ({ [field]: value, expectedVersion: null })),
    fc.tuple(notTheValue, fc.string().filter((key) => key !== field && key !== 'expectedVersion'), jsonValue).map(([value, extra, junk]) => ({ [field]: value, expectedVersion: null, [extra]: junk })),
    missingAField(field),
  );

function signedPut(stack: FuzzStack, path: string, body: unknown): Promise<Response> {
  const signed = stack.sandbox.signFetchRequest({ method: 'PUT', url: `${stack.info.appUrl}${path}`, portalId: demoPortalId, body });
  return fetch(signed.url, { method: 'PUT', headers: signed.headers, body: signed.body });
}

/** Signed `PUT /settings/touchpoints/{id}` with a body that cannot be a valid write → 400; no touchpoint or audit entry is stored. */
export const touchpointWritesRefuseJunk: BoundaryProperty = (stack, numRuns) =>
  storingNothing(stack, () =>
    check(numRuns, [touchpointId, invalidWrite('touchpoint', notATouchpoint)], async (id, body) => {
      await assertClearAnswer(await signedPut(stack, `/settings/touchpoints/${id}`, body), [400], { id, body });
    }),
  );

/** Signed `PUT /settings/portal` with a body that cannot be a valid write → 400; the settings stay as they were. */
export const portalSettingsWritesRefuseJunk: BoundaryProperty = (stack, numRuns) =>
  storingNothing(stack, () =>
    check(numRuns, [invalidWrite('settings', notPortalSettings)], async (body) => {
      await assertClearAnswer(await signedPut(stack, '/settings/portal', body), [400], body);
    }),
  );

// ── 5. OAuth ────────────────────────────────────────────────────────────────

/** `GET /oauth/callback` with any code and state (a state we did not sign) → 400 page; no install stored. */
export const oauthCallbackRefusesJunk: BoundaryProperty = (stack, numRuns) => {
  const optional = fc.option(anyText, { nil: undefined });
  const forgedState = fc.oneof(anyText, fc.tuple(fc.nat(), anyText).map(([time, mac]) => `${time}.${mac}`), fc.string().map((mac) => `${Date.now()}.${mac}`));
  const query = fc.oneof(
    fc.record({ code: optional, state: fc.option(forgedState, { nil: undefined }) }),
    fc.record({ code: optional, state: optional, error: fc.string({ minLength: 1 }) }),
  );
  return storingNothing(stack, () =>
    check(numRuns, [query], async (parameters) => {
      const search = new URLSearchParams(Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined));
      await assertClearAnswer(await fetch(`${stack.info.appUrl}/oauth/callback?${search}`, { redirect: 'manual' }), [400], parameters);
    }),
  );
};

// ── 6. Configuration schemas (pure) ─────────────────────────────────────────

const validTouchpoint = {
  id: 'trade-in',
  name: 'Trade-in valuation',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' },
  question: { da: 'Hvordan oplevede du vurderingen?', en: 'How did you find the valuation?' },
  sendDelay: { amount: 1, unit: 'hours' },
  followUp: { expect: 'stage', stageId: 'contractsigned', within: { amount: 2, unit: 'days' } },
  enabled: true,
  position: 3,
};
const validPortalSettings = { defaultLanguage: 'da', sender: { name: 'Bilhuset', email: 'hej@bilhuset.example' }, reminderAfterDays: 3 };

/** The valid example with one field (or one of its fields) replaced by anything at all. */
function nearlyValid(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(example);
  return fc.tuple(fc.constantFrom(...keys), fc.option(fc.string(), { nil: undefined }), fc.anything()).map(([key, inner, value]) => {
    const field = example[key];
    if (inner !== undefined && typeof field === 'object' && field !== null) return { ...example, [key]: { ...field, [inner]: value } };
    return { ...example, [key]: value };
  });
}

const anythingAtAll = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true });

/** `TouchpointDefinition` and `PortalSettings` never throw on any input, and every refusal names its problem. */
export const configSchemasExplainEveryRefusal = (numRuns: number): void => {
  for (const [schema, example] of [
    [TouchpointDefinition, validTouchpoint],
    [PortalSettings, validPortalSettings],
  ] as const) {
    assert.ok(schema.safeParse(example).success, 'the valid example must parse');
    fc.assert(
      fc.property(fc.oneof(anythingAtAll, nearlyValid(example)), (input) => {
        const result = schema.safeParse(input);
        if (result.success) return;
        assert.ok(result.error.issues.length > 0, 'a refusal without issues');
        assert.ok(
          result.error.issues.some(({ message }) => typeof message === 'string' && message.trim() !== ''),
          `no issue explains the refusal: ${JSON.stringify(result.error.issues)}`,
        );
      }),
      { numRuns, seed: fuzzSeed },
    );
  }
};

/** Every HTTP boundary property, by name, for the test file and the benchmark. */
export const boundaryProperties: Readonly<Record<string, BoundaryProperty>> = {
  'signed webhook junk → 400': signedWebhookJunkIsRefused,
  'unsigned webhook → 401': unsignedWebhooksAreRefused,
  'survey link junk → 404/400': surveyLinksRefuseJunk,
  'survey form junk → 4xx': surveyFormsRefuseJunk,
  'unsubscribe junk → 404': unsubscribeLinksRefuseJunk,
  'signed card junk → 400 (200 if valid)': cardRefusesJunkRecords,
  'unsigned card → 401': unsignedCardRequestsAreRefused,
  'touchpoint write junk → 400': touchpointWritesRefuseJunk,
  'portal settings junk → 400': portalSettingsWritesRefuseJunk,
  'oauth callback junk → 400': oauthCallbackRefusesJunk,
};
