/**
 * HubSpot's webhooks journal (version 2026-03), for app lifecycle events:
 * the app, with a client-credentials token, subscribes to installs and
 * uninstalls, then polls the global journal for pointers to entries and
 * downloads each entry's file from a pre-signed URL. The sandbox serves those
 * files itself under /_journal/files, signed and expiring as S3 would
 * (journal-files.ts).
 *
 * Guide: https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide
 */
import { z } from 'zod';
import { HubSpotApiError, type Route, type RouteRequest, type RouteResponse, json, noContent, notFound, parseBody, validationError } from '../http.js';
import { type AppLifecycleEventTypeId, appLifecycleEventTypes, webhooksJournalScopes } from '../model.js';
import type { JournalEntry, JournalSubscription, SandboxStore } from '../store.js';
import { fileSigner, journalFileRoute } from './journal-files.js';

export interface JournalDependencies {
  store: SandboxStore;
  app: { clientSecret: string; appId: number };
  now: () => number;
  /** The sandbox's own URL, where the "pre-signed" file links point. */
  baseUrl: () => string;
}

export const journalPath = '/webhooks-journal/journal/2026-03';
export const journalSubscriptionsPath = '/webhooks-journal/subscriptions/2026-03';
export { journalFilesPath, journalUrlLifetimeSeconds } from './journal-files.js';
/** The 2026-03 spec says only `minimum: 1`; 100 is the batch/read limit of the 2027-03-beta docs (not confirmed for count). */
export const maxJournalBatchCount = 100;

const iso = (ms: number) => new Date(ms).toISOString();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * HubSpot's 403 for a token without a scope the call needs. The journal's
 * scopes: https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide
 */
class MissingScopesError extends HubSpotApiError {
  constructor(scope: string) {
    super(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.', undefined, [
      { message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } },
    ]);
  }

  override toBody(correlationId: string): Record<string, unknown> {
    return { ...super.toBody(correlationId), links: { scopes: 'https://developers.hubspot.com/scopes' } };
  }
}

/** A route for the app's client-credentials token with `scope`; a portal's token is refused with 401 like an unknown one. */
function forApp(store: SandboxStore, scope: string, method: Route['method'], path: string, handle: (request: RouteRequest) => RouteResponse): Route {
  return {
    method,
    path,
    handle: (request) => {
      if (!store.oauth.authenticateApp(request.authorization).scopes.includes(scope)) throw new MissingScopesError(scope);
      return handle(request);
    },
  };
}

export function journalRoutes(dependencies: JournalDependencies): Route[] {
  return [...subscriptionRoutes(dependencies), ...journalReadRoutes(dependencies), journalFileRoute(dependencies)];
}

// ---- Subscriptions ----

const lifecycleEventTypeIds = Object.keys(appLifecycleEventTypes) as [AppLifecycleEventTypeId, ...AppLifecycleEventTypeId[]];

/** AppLifecycleEventSubscriptionUpsertRequest: `eventTypeId`, `properties` and `subscriptionType` are required. */
const SubscriptionInput = z.object({
  subscriptionType: z.literal('APP_LIFECYCLE_EVENT'),
  eventTypeId: z.enum(lifecycleEventTypeIds),
  properties: z.array(z.string()),
});

/** The other variants of HubSpot's SubscriptionUpsertRequest, which the sandbox does not keep. */
const otherSubscriptionTypes = ['ASSOCIATION', 'EVENT', 'GDPR_PRIVACY_DELETION', 'LIST_MEMBERSHIP', 'OBJECT'];

const SubscriptionId = z.string().regex(/^\d+$/, 'a subscription id is an integer').transform(Number);

/**
 * HubSpot's SubscriptionResponse. Its schema has no `eventTypeId`, yet an
 * app lifecycle subscription needs one to be told apart; third-party notes
 * show it listed, so it is served. `objectTypeId` is required by the schema
 * but HubSpot does not say what a lifecycle subscription holds there: "" here,
 * as the research notes suggest (§8). `actions` is the event type's action.
 */
function publicSubscription(appId: number, subscription: JournalSubscription) {
  return {
    id: subscription.id,
    appId,
    subscriptionType: subscription.subscriptionType,
    eventTypeId: subscription.eventTypeId,
    actions: [appLifecycleEventTypes[subscription.eventTypeId]],
    objectTypeId: '',
    properties: subscription.properties,
    createdAt: iso(subscription.createdAt),
    updatedAt: iso(subscription.updatedAt),
  };
}

function subscriptionRoutes({ store, app }: JournalDependencies): Route[] {
  const { subscriptionsRead, subscriptionsWrite } = webhooksJournalScopes;
  return [
    // "Fetch existing subscriptions for the authenticated app", without paging
    // (https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/subscriptions/get-subscriptions).
    forApp(store, subscriptionsRead, 'GET', journalSubscriptionsPath, () =>
      json({ results: store.journal.subscriptions().map((subscription) => publicSubscription(app.appId, subscription)) })),
    // "Create or update an existing subscription": posting the same event type again updates that subscription
    // (https://developers.hubspot.com/docs/api-reference/2027-03-beta/webhooks-journal/subscriptions/create-subscription.md).
    // Whether HubSpot answers a repeat with the same subscription is not documented.
    forApp(store, subscriptionsWrite, 'POST', journalSubscriptionsPath, ({ body }) => {
      const type = (body as { subscriptionType?: unknown } | undefined)?.subscriptionType;
      if (typeof type === 'string' && otherSubscriptionTypes.includes(type)) {
        throw validationError(`The HubSpot sandbox keeps APP_LIFECYCLE_EVENT subscriptions only, not ${type}`);
      }
      const input = parseBody(SubscriptionInput, body);
      return json(publicSubscription(app.appId, store.journal.upsertSubscription(input)));
    }),
    forApp(store, subscriptionsRead, 'GET', `${journalSubscriptionsPath}/:subscriptionId`, ({ params }) =>
      json(publicSubscription(app.appId, store.journal.subscription(parseBody(SubscriptionId, params.subscriptionId))))),
    // 204 once deleted (spec: DELETE /webhooks-journal/subscriptions/2026-03/{subscriptionId}); 404 for an unknown id.
    forApp(store, subscriptionsWrite, 'DELETE', `${journalSubscriptionsPath}/:subscriptionId`, ({ params }) => {
      store.journal.deleteSubscription(parseBody(SubscriptionId, params.subscriptionId));
      return noContent();
    }),
  ];
}

// ---- Journal reads ----

/** The optional `installPortalId` query parameter: entries of that portal only. */
function portalFilter(query: URLSearchParams): (entry: JournalEntry) => boolean {
  const raw = query.get('installPortalId');
  if (raw === null) return () => true;
  if (!/^\d+$/.test(raw)) throw validationError(`installPortalId must be an integer, not ${raw}`);
  const portalId = Number(raw);
  return (entry) => entry.journalEvents.some((event) => event.portalId === portalId);
}

function batchCount(raw: string | undefined): number {
  const count = /^\d+$/.test(raw ?? '') ? Number(raw) : Number.NaN;
  if (!(count >= 1 && count <= maxJournalBatchCount)) throw validationError(`count must be an integer from 1 to ${maxJournalBatchCount}, not ${raw}`);
  return count;
}

const BatchReadInput = z.object({
  inputs: z.array(z.string().regex(uuidPattern, 'an offset is a UUID')).max(maxJournalBatchCount),
});

function journalReadRoutes({ store, app, now, baseUrl }: JournalDependencies): Route[] {
  const signer = fileSigner(app.clientSecret);
  /**
   * JournalFetchResponse `{url, expiresAt, currentOffset}`: one per journal
   * entry; `url` is "The Pre-signed S3 URL where the journal entry can be
   * accessed" (https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide).
   */
  const pointer = (entry: JournalEntry) => signer.sign(baseUrl(), entry.offset, now());
  const entries = (query: URLSearchParams) => store.journal.entries().filter(portalFilter(query));
  /**
   * The entries after `offset` ("The offset path parameter is the UUID offset
   * from the previous journal entry"). An offset that is unknown or has aged
   * out is 404, as the 2027-03-beta docs say ("Fails with a 404 if the offset
   * has expired or doesn't exist",
   * https://developers.hubspot.com/docs/api-reference/2027-03-beta/webhooks-journal/journal-entries/local/get-journal-local-next.md);
   * 2026-03's docs do not say.
   */
  const after = (offset: string, query: URLSearchParams) => {
    const all = store.journal.entries();
    const index = all.findIndex((entry) => entry.offset === offset);
    if (index < 0) throw notFound(`The journal has no entry with offset ${offset}; it may have expired`, { offset: [offset] });
    return all.slice(index + 1).filter(portalFilter(query));
  };
  /**
   * Nothing (more) to read is 204 with no body: not in HubSpot's docs, but
   * what third-party code written against the live API observed (research notes §1a).
   */
  const one = (entry: JournalEntry | undefined): RouteResponse => (entry ? json(pointer(entry)) : noContent());
  /**
   * BatchResponseJournalFetchResponse, `status` COMPLETE, `results` possibly empty
   * (https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/local/batch/get-webhook).
   */
  const batch = (found: readonly JournalEntry[], startedAt: number): RouteResponse =>
    json({ status: 'COMPLETE', results: found.map(pointer), startedAt: iso(startedAt), completedAt: iso(now()) });
  const { read } = webhooksJournalScopes;
  return [
    // The global journal: events "across all accounts where the app is installed"
    // (https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide).
    forApp(store, read, 'GET', `${journalPath}/earliest`, ({ query }) => one(entries(query)[0])),
    forApp(store, read, 'GET', `${journalPath}/latest`, ({ query }) => one(entries(query).at(-1))),
    forApp(store, read, 'GET', `${journalPath}/offset/:offset/next`, ({ params, query }) => one(after(params.offset ?? '', query)[0])),
    forApp(store, read, 'GET', `${journalPath}/batch/earliest/:count`, ({ params, query }) => {
      const startedAt = now();
      return batch(entries(query).slice(0, batchCount(params.count)), startedAt);
    }),
    forApp(store, read, 'GET', `${journalPath}/batch/latest/:count`, ({ params, query }) => {
      const startedAt = now();
      return batch(entries(query).slice(-batchCount(params.count)), startedAt);
    }),
    forApp(store, read, 'GET', `${journalPath}/batch/:offset/next/:count`, ({ params, query }) => {
      const startedAt = now();
      const count = batchCount(params.count);
      return batch(after(params.offset ?? '', query).slice(0, count), startedAt);
    }),
    // Entries by offset, "up to 100 per request": a non-UUID refuses the whole request with 400; an offset with no
    // entry (or none of installPortalId) is an OBJECT_NOT_FOUND error of the batch, answered 207 (2027-03-beta docs,
    // https://developers.hubspot.com/docs/api-reference/2027-03-beta/webhooks-journal/journal-entries/aggregate/get-read).
    forApp(store, read, 'POST', `${journalPath}/batch/read`, ({ body, query }) => {
      const startedAt = now();
      const { inputs } = parseBody(BatchReadInput, body);
      const live = entries(query);
      const found = inputs.map((offset) => ({ offset, entry: live.find((candidate) => candidate.offset === offset) }));
      const results = found.flatMap(({ entry }) => (entry ? [pointer(entry)] : []));
      const errors = found.filter(({ entry }) => !entry).map(({ offset }) => ({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: `The journal has no entry with offset ${offset}; it may have expired`,
        context: { offset: [offset] },
        errors: [],
        links: {},
      }));
      const times = { startedAt: iso(startedAt), completedAt: iso(now()) };
      if (errors.length === 0) return json({ status: 'COMPLETE', results, ...times });
      return json({ status: 'COMPLETE', results, numErrors: errors.length, errors, ...times }, 207);
    }),
  ];
}
