import { z } from 'zod';
import { logger } from '../logger.js';
import type { HubSpotApp } from '../secrets.js';
import { defaultBackoff, withBackoff, type BackoffOptions } from './backoff.js';
import { JournalOffsetGoneError } from '../errors.js';

/**
 * HubSpot's Webhooks Journal (2026-03) for the app's lifecycle: HubSpot writes an entry when a
 * portal installs or uninstalls the app (only for event types the app subscribed to), and the app
 * polls for them; nothing is pushed. Every call is the app's own, with a client-credentials token,
 * never a portal's.
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide
 *
 * @hubspot/api-client 14 has no journal API family, its token call cannot ask for a scope, and its
 * generic `apiRequest` sets no timeout: the few calls are made with fetch here.
 */

const version = '2026-03';
/** HubSpot's event type ids for app lifecycle events (webhooks journal subscriptions API). */
export const appLifecycleEventTypes = { install: '4-1909196', uninstall: '4-1916193' } as const;
const scopes = ['developer.webhooks_journal.read', 'developer.webhooks_journal.subscriptions.read', 'developer.webhooks_journal.subscriptions.write'];
/** A token is renewed this long before HubSpot's `expires_in` runs out. */
const renewAheadMs = 60_000;

const ClientCredentialsToken = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const Subscriptions = z.object({
  results: z.array(z.looseObject({ subscriptionType: z.string(), eventTypeId: z.string().optional(), actions: z.array(z.string()).optional() })),
});
const EntryPointer = z.object({ url: z.string().url(), expiresAt: z.string(), currentOffset: z.string().min(1) });
/** One lifecycle event as the journal file carries it; other event kinds in a file are kept loosely and ignored. */
const JournalEvent = z.looseObject({
  type: z.string().optional(),
  action: z.string().optional(),
  eventTypeId: z.string().optional(),
  portalId: z.number().int().positive(),
  occurredAt: z.union([z.string(), z.number()]),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const JournalFile = z.object({ offset: z.string().optional(), journalEvents: z.array(z.unknown()) });

export interface AppLifecycleEvent {
  action: 'install' | 'uninstall';
  portalId: number;
  occurredAt: Date;
}

export interface JournalEntry {
  /** Where the next read continues from. */
  offset: string;
  events: AppLifecycleEvent[];
}

/** A refused call as the backoff reads it (`code`, `headers`); its body is read so the connection is freed. */
async function failure(response: Response, what: string): Promise<Error> {
  const headers = Object.fromEntries(response.headers.entries());
  const text = await response.text().catch(() => '');
  return Object.assign(new Error(`HubSpot answered ${response.status} to ${what}: ${text.slice(0, 200)}`), { code: response.status, headers });
}

export interface WebhooksJournalOptions {
  app: HubSpotApp;
  /** Locally the HubSpot sandbox; unset on AWS (api.hubapi.com). */
  basePath?: string | undefined;
  backoff?: BackoffOptions;
  now?: () => Date;
  /** Each call's limit (default 10 s; tests shorten it). */
  callTimeoutMs?: number;
}

/** A call that hears nothing for this long is given up (and retried by the backoff). */
const defaultCallTimeoutMs = 10_000;

/** fetch bounded by `callTimeoutMs`; its TimeoutError is retried by the backoff like a broken connection. */
function timedFetch(url: string, init: RequestInit, callTimeoutMs: number): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(callTimeoutMs) });
}

export class WebhooksJournal {
  private token: { value: string; renewAt: number } | undefined;
  private readonly now: () => Date;
  private readonly backoff: BackoffOptions;
  private readonly baseUrl: string;
  private readonly app: HubSpotApp;
  private readonly callTimeoutMs: number;

  constructor(options: WebhooksJournalOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? defaultCallTimeoutMs;
    this.now = options.now ?? (() => new Date());
    // Fewer tries than a portal's calls: a journal HubSpot cannot serve now is simply read next minute.
    this.backoff = options.backoff ?? { ...defaultBackoff, attempts: 3 };
    this.baseUrl = (options.basePath ?? 'https://api.hubapi.com').replace(/\/$/, '');
    this.app = options.app;
  }

  /** Subscribes the app to uninstall events unless it already is (HubSpot's POST is an upsert, but a list is cheaper to trust). */
  async ensureUninstallSubscription(): Promise<'subscribed' | 'already'> {
    const listed = Subscriptions.parse(await this.json('GET', `/webhooks-journal/subscriptions/${version}`, 'the subscription list'));
    const subscribed = listed.results.some(
      (subscription) =>
        subscription.subscriptionType === 'APP_LIFECYCLE_EVENT' &&
        (subscription.eventTypeId === appLifecycleEventTypes.uninstall || (subscription.actions ?? []).includes('APP_UNINSTALL')),
    );
    if (subscribed) return 'already';
    await this.json('POST', `/webhooks-journal/subscriptions/${version}`, 'the uninstall subscription', {
      subscriptionType: 'APP_LIFECYCLE_EVENT',
      eventTypeId: appLifecycleEventTypes.uninstall,
      properties: [],
    });
    return 'subscribed';
  }

  /** The entry after `offset` (the earliest kept when there is none yet), or undefined when the journal has nothing newer. */
  async next(offset: string | undefined): Promise<JournalEntry | undefined> {
    const path = offset ? `/webhooks-journal/journal/${version}/offset/${encodeURIComponent(offset)}/next` : `/webhooks-journal/journal/${version}/earliest`;
    const response = await this.request('GET', path, 'a journal read');
    if (response.status === 204) return undefined;
    if (response.status === 404 && offset) {
      await response.body?.cancel();
      throw new JournalOffsetGoneError(`the journal no longer has offset ${offset}`);
    }
    if (!response.ok) throw await failure(response, 'a journal read');
    const pointer = EntryPointer.parse(await response.json());
    // The file is a pre-signed S3 URL: fetched without our token.
    const file = await withBackoff(async () => {
      const answer = await timedFetch(pointer.url, {}, this.callTimeoutMs);
      if (!answer.ok) throw await failure(answer, 'a journal file download');
      return JournalFile.parse(await answer.json());
    }, this.backoff);
    const events = file.journalEvents.flatMap((event) => {
      const lifecycle = lifecycleEvent(event);
      // Not ours to act on, or a shape we do not know: said, so a lost uninstall can be found.
      if (!lifecycle) logger.warn('journal event skipped', { offset: pointer.currentOffset, event: JSON.stringify(event).slice(0, 500) });
      return lifecycle ?? [];
    });
    return { offset: pointer.currentOffset, events };
  }

  private async json(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, what, body);
    if (!response.ok) throw await failure(response, what);
    return response.json();
  }

  /**
   * One call with the app's token, each try bounded by `callTimeoutMs` and the whole by the backoff's
   * tries: 429, 5xx, a timeout and a broken connection are tried again; a 401 renews the token once.
   * (@hubspot/api-client's `apiRequest` would go through fetch without any timeout.)
   */
  private async request(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<Response> {
    return withBackoff(async () => {
      const send = async () =>
        timedFetch(`${this.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${await this.accessToken()}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }, this.callTimeoutMs);
      let response = await send();
      if (response.status === 401) {
        await response.body?.cancel();
        this.token = undefined;
        response = await send();
      }
      if (response.status === 429 || response.status >= 500) throw await failure(response, what);
      return response;
    }, this.backoff);
  }

  /** The app's client-credentials token, kept until shortly before it expires (there is no refresh token); one try per call's try. */
  private async accessToken(): Promise<string> {
    if (this.token && this.token.renewAt > this.now().getTime()) return this.token.value;
    const { clientId, clientSecret } = this.app;
    // HubSpot's journal guide asks for the token at /oauth/v1/token, form-encoded.
    const response = await timedFetch(`${this.baseUrl}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: scopes.join(' ') }).toString(),
    }, this.callTimeoutMs);
    if (!response.ok) throw await failure(response, 'the client-credentials token');
    const token = ClientCredentialsToken.parse(await response.json());
    this.token = { value: token.access_token, renewAt: this.now().getTime() + token.expires_in * 1000 - renewAheadMs };
    return token.access_token;
  }
}

/**
 * An install or uninstall, told by `action` (APP_INSTALL / APP_UNINSTALL) or, failing that, by the
 * event type id; anything else in the file is not ours to act on.
 */
function lifecycleEvent(raw: unknown): AppLifecycleEvent | undefined {
  const parsed = JournalEvent.safeParse(raw);
  if (!parsed.success) return undefined;
  const { action, eventTypeId, portalId, occurredAt } = parsed.data;
  const kind =
    action === 'APP_UNINSTALL' || eventTypeId === appLifecycleEventTypes.uninstall
      ? 'uninstall'
      : action === 'APP_INSTALL' || eventTypeId === appLifecycleEventTypes.install
        ? 'install'
        : undefined;
  const at = new Date(typeof occurredAt === 'string' && /^\d+$/.test(occurredAt) ? Number(occurredAt) : occurredAt);
  if (!kind || Number.isNaN(at.getTime())) return undefined;
  return { action: kind, portalId, occurredAt: at };
}
