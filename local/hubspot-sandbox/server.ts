/**
 * A stateful local stand-in for the HubSpot REST subset the app calls. Point
 * `@hubspot/api-client` at it with `new Client({ accessToken, basePath: sandbox.url })`.
 * It keeps several portals apart by token, signs its webhooks and hubspot.fetch
 * requests as HubSpot does, and (given a state file) survives restarts. For
 * resilience tests it can answer chosen requests with HubSpot's rate limits,
 * 5xx errors or a hang (`faults`), and it logs every request it serves.
 * The app's own client-credentials token reads the webhooks journal (2026-03)
 * of app installs and uninstalls (routes/journal.ts), whose files it serves from
 * /_journal/files as HubSpot's pre-signed S3 links would.
 */
import { createServer } from 'node:http';
import { closeServer, listenOnLoopback } from '../services/loopback.js';
import { FaultInjector, RequestLog, type PendingFault, type SandboxFault, type ServedRequest } from './faults.js';
import { type RequestHooks, requestListener } from './http.js';
import { type PortalSeed, objectTypeIds } from './model.js';
import { sandboxRoutes } from './routes.js';
import { type FetchRequest, type SignedFetchRequest, signFetchRequest } from './signing.js';
import { type AppUninstall, type ContactPurge, type DealMove, type PropertiesChanged, type SalesActivityLog, type SalesActivityType, SandboxStore } from './store.js';
import { type WebhookDelivery, WebhookDispatcher } from './webhooks.js';

export type { PortalSeed } from './model.js';
export type { AppLifecycleJournalEvent, AppUninstall, ClientCredentialsToken, ContactPurge, DealMove, RecordUpdate, SalesActivityLog, SalesActivityType } from './store.js';
export { journalRetentionMs } from './store.js';
export { appInstallEventTypeId, appUninstallEventTypeId, webhooksJournalScopes } from './model.js';
export type { AppLifecycleEventTypeId } from './model.js';
export { journalFilesPath, journalPath, journalSubscriptionsPath, journalUrlLifetimeSeconds, maxJournalBatchCount } from './routes/journal.js';
export { salesActivityTypes } from './store.js';
export type { PendingFault, RateLimitPolicy, SandboxFault, ServedRequest } from './faults.js';
export type { FetchRequest, SignedFetchRequest } from './signing.js';
export type { CrmObjectWebhookEvent, DeliveryAttempt, PrivacyDeletionWebhookEvent, WebhookDelivery, WebhookEvent } from './webhooks.js';
export { signFetchRequest, signatureV3, uriForSignature } from './signing.js';

/** The app's webhook subscriptions (crm-app/…/webhooks-hsmeta.json), as HubSpot numbers them. */
export const webhookSubscriptionIds = {
  dealStageChange: 4_100_001,
  dealDeletion: 4_100_002,
  contactPrivacyDeletion: 4_100_003,
  dealLastContactedChange: 4_100_004,
} as const;

/** The deal properties whose changes the app subscribes to (`object.propertyChange`). */
export const defaultWebhookDealProperties = ['dealstage', 'notes_last_contacted'] as const;

const knownPropertySubscriptions: Readonly<Record<string, number>> = {
  dealstage: webhookSubscriptionIds.dealStageChange,
  notes_last_contacted: webhookSubscriptionIds.dealLastContactedChange,
};

/** The subscription a deal property's change webhooks carry; a property with no id above gets one of its own. */
export function dealPropertySubscriptionId(propertyName: string, webhookDealProperties: readonly string[] = defaultWebhookDealProperties): number {
  return knownPropertySubscriptions[propertyName] ?? 4_100_100 + Math.max(0, webhookDealProperties.indexOf(propertyName));
}

/** Short waits between webhook attempts: HubSpot's schedule spans a day, a laptop's should not. */
export const defaultWebhookRetryDelaysMs = [100, 250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000] as const;

export interface HubSpotSandboxOptions {
  clientId: string;
  clientSecret: string;
  appId: number;
  portals: readonly PortalSeed[];
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  webhookUrl?: string;
  /** Load state from this JSON file at start and save it after each change. */
  statePath?: string;
  now?: () => number;
  /** Wait before each retry; its length + 1 is the number of attempts (at most 10). */
  webhookRetryDelaysMs?: readonly number[];
  /** Events this close together go out in one POST. */
  webhookBatchWindowMs?: number;
  /** An attempt whose receiver takes longer has failed (HubSpot: 5 s). */
  webhookTimeoutMs?: number;
  /** Deal properties whose changes send `object.propertyChange` webhooks; default `['dealstage', 'notes_last_contacted']`. */
  webhookDealProperties?: readonly string[];
}

export interface HubSpotSandbox {
  readonly url: string;
  readonly port: number;
  /** Where webhooks go; settable at any time, as the app's port may be known only later. */
  webhookUrl: string | undefined;
  /** A salesperson moving the deal to another stage in HubSpot's UI (fires the dealstage webhook). */
  moveDeal(portalId: number, dealId: string, stageId: string): DealMove;
  /**
   * A salesperson logging a call, email or meeting on the deal in HubSpot's UI
   * (`at` in ms, default now): "Last contacted" and its kin move on the deal
   * and its contacts, and the deal's notes_last_contacted webhook goes out.
   */
  logSalesActivity(portalId: number, dealId: string, type: SalesActivityType, at?: number): SalesActivityLog;
  /** A user permanently deleting the contact for privacy in HubSpot's UI (fires contact.privacyDeletion). */
  privacyDeleteContact(portalId: number, contactId: string): ContactPurge;
  /**
   * A user uninstalling the app in HubSpot's UI: the portal's access, refresh
   * and static tokens stop working, and APP_UNINSTALL goes into the webhooks
   * journal if the app subscribes to it. A portal the app is not installed in
   * is left alone (`changed: false`); an unknown portal throws (404).
   */
  uninstallApp(portalId: number): AppUninstall;
  /** Whether the app is installed in the portal (every seeded portal starts installed). */
  isAppInstalled(portalId: number): boolean;
  /** A fresh 30-minute OAuth access token for the portal. */
  accessTokenFor(portalId: number): string;
  /** An authorization code as HubSpot's install screen would hand to the redirect URI. */
  installCodeFor(portalId: number, redirectUri?: string): string;
  /** A `hubspot.fetch` request as HubSpot sends it; the user defaults to the portal's first owner. */
  signFetchRequest(request: Omit<FetchRequest, 'userId' | 'userEmail'> & Partial<Pick<FetchRequest, 'userId' | 'userEmail'>>): SignedFetchRequest;
  webhooks: {
    /** Resolves once every pending delivery has succeeded or been given up. */
    idle(): Promise<void>;
    deliveries(): readonly WebhookDelivery[];
  };
  /** Errors and hangs for the next matching HubSpot requests (never /_sandbox ones), answered before any work is done. */
  faults: {
    /** Queues a fault; an invalid one throws. */
    add(fault: SandboxFault): void;
    /** Drops queued faults and zeroes the count. */
    clear(): void;
    /** How many requests faults have answered since the last clear or reset. */
    fired(): number;
    /** Queued faults with answers left. */
    pending(): readonly PendingFault[];
  };
  /**
   * Every HubSpot request answered since the last reset, in order, with its
   * portal and status (null for the app's client-credentials token). Journal
   * file downloads (/_journal/files, S3 in HubSpot's case) are listed too, and
   * faults can hit them.
   */
  requests(): readonly ServedRequest[];
  /** Back to the seeds: records, tokens, the delivery log, faults and the request log. */
  reset(): void;
  close(): Promise<void>;
}

const isAdminPath = (path: string) => path === '/_sandbox' || path.startsWith('/_sandbox/');

export async function startHubSpotSandbox(options: HubSpotSandboxOptions): Promise<HubSpotSandbox> {
  const now = options.now ?? Date.now;
  const app = { clientId: options.clientId, clientSecret: options.clientSecret, appId: options.appId };
  const webhooks = new WebhookDispatcher({
    appId: options.appId,
    clientSecret: options.clientSecret,
    now,
    targetUrl: options.webhookUrl,
    retryDelaysMs: options.webhookRetryDelaysMs ?? defaultWebhookRetryDelaysMs,
    batchWindowMs: options.webhookBatchWindowMs ?? 50,
    timeoutMs: options.webhookTimeoutMs ?? 5_000,
  });
  const webhookDealProperties = [...(options.webhookDealProperties ?? defaultWebhookDealProperties)];
  /** HubSpot sends a date property's new value as ms since the epoch, in text. */
  const webhookValue = (change: PropertiesChanged, name: string, value: string) => {
    const definition = store.portal(change.portalId).properties[change.objectType].find((candidate) => candidate.name === name);
    const ms = definition?.type === 'datetime' || definition?.type === 'date' ? Date.parse(value) : Number.NaN;
    return Number.isNaN(ms) ? value : String(ms);
  };
  const store = new SandboxStore(options.portals, {
    now,
    appId: options.appId,
    statePath: options.statePath,
    listener: {
      propertiesChanged: (change) => {
        if (change.objectType !== 'deals') return; // the app subscribes to deal properties only
        for (const { name, value } of change.changes.filter((candidate) => webhookDealProperties.includes(candidate.name))) {
          webhooks.enqueue({
            subscriptionId: dealPropertySubscriptionId(name, webhookDealProperties),
            portalId: change.portalId,
            occurredAt: change.occurredAt,
            subscriptionType: 'object.propertyChange',
            objectId: Number(change.objectId),
            objectTypeId: objectTypeIds.deals,
            propertyName: name,
            propertyValue: webhookValue(change, name, value),
            changeSource: change.source.sourceType,
            sourceId: change.source.sourceId,
            isSensitive: false,
          });
        }
      },
      contactPurged: (event) => webhooks.enqueue({
        subscriptionId: webhookSubscriptionIds.contactPrivacyDeletion,
        portalId: event.portalId,
        occurredAt: event.occurredAt,
        subscriptionType: 'contact.privacyDeletion',
        objectId: Number(event.contactId),
        changeSource: event.source.sourceType,
        sourceId: event.source.sourceId,
      }),
      recordArchived: (event) => {
        if (event.objectType !== 'deals') return; // the app subscribes to deal deletions only
        webhooks.enqueue({
          subscriptionId: webhookSubscriptionIds.dealDeletion,
          portalId: event.portalId,
          occurredAt: event.occurredAt,
          subscriptionType: 'object.deletion',
          objectId: Number(event.objectId),
          objectTypeId: objectTypeIds.deals,
          changeFlag: 'DELETED',
          changeSource: event.source.sourceType,
          sourceId: event.source.sourceId,
        });
      },
    },
  });

  const faults = new FaultInjector(options.appId);
  const requestLog = new RequestLog();
  const portalOf = (authorization: string | undefined) => store.oauth.portalIdOf(authorization) ?? null;
  const hooks: RequestHooks = {
    intercept: (request, exchange) => {
      if (isAdminPath(request.path)) return undefined;
      const served = { method: request.method, path: request.path, portalId: portalOf(request.authorization) };
      const outcome = faults.intercept(served, exchange);
      if (outcome === 'held') requestLog.record({ ...served, status: 'timeout' });
      return outcome;
    },
    answered: (request, status) => {
      if (!isAdminPath(request.path)) requestLog.record({ method: request.method, path: request.path, portalId: portalOf(request.authorization), status });
    },
  };

  const site = { url: '' }; // known once the server listens
  const server = createServer(requestListener(sandboxRoutes({ store, webhooks, faults, requestLog, app, now, baseUrl: () => site.url }), hooks));
  const { url, port } = await listenOnLoopback(server, options.port ?? 0, options.host);
  site.url = url;

  return {
    url,
    port,
    get webhookUrl() {
      return webhooks.targetUrl;
    },
    set webhookUrl(url) {
      webhooks.targetUrl = url;
    },
    moveDeal: (portalId, dealId, stageId) => store.pipelines.moveDeal(portalId, dealId, stageId),
    logSalesActivity: (portalId, dealId, type, at) => store.activities.logSalesActivity(portalId, dealId, type, at),
    privacyDeleteContact: (portalId, contactId) => store.records.privacyDeleteContact(portalId, contactId),
    uninstallApp: (portalId) => store.oauth.uninstallApp(portalId),
    isAppInstalled: (portalId) => store.oauth.isAppInstalled(portalId),
    accessTokenFor: (portalId) => store.oauth.issueAccessToken(portalId),
    installCodeFor: (portalId, redirectUri) => store.oauth.issueInstallCode(portalId, redirectUri ?? null),
    signFetchRequest: (request) => {
      const owner = store.portal(request.portalId).owners[0];
      const user = { userId: request.userId ?? owner?.userId ?? 0, userEmail: request.userEmail ?? owner?.email ?? '' };
      return signFetchRequest(app, { ...request, ...user }, now());
    },
    webhooks: {
      idle: () => webhooks.idle(),
      deliveries: () => webhooks.deliveries(),
    },
    faults: {
      add: (fault) => {
        faults.add(fault);
      },
      clear: () => faults.clear(),
      fired: () => faults.fired(),
      pending: () => faults.pending(),
    },
    requests: () => requestLog.list(),
    reset: () => {
      store.reset();
      webhooks.clearLog();
      faults.clear();
      requestLog.clear();
    },
    close: async () => {
      faults.releaseHeld();
      await webhooks.close();
      await closeServer(server);
    },
  };
}
