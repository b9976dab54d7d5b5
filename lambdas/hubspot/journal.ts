import { Client } from '@hubspot/api-client';
import type { Agent } from 'node:http';
import { z } from 'zod';
import type { HubSpotApp } from '../secrets.js';
import { defaultBackoff, withBackoff, type BackoffOptions } from './backoff.js';
import { defaultSilenceTimeoutMs, silenceTimeoutAgent } from './silence-timeout.js';
import { JournalOffsetGoneError } from '../errors.js';

/**
 * HubSpot's Webhooks Journal (2026-03) for the app's lifecycle: HubSpot writes an entry when a
 * portal installs or uninstalls the app (only for event types the app subscribed to), and the app
 * polls for them; nothing is pushed. Every call is the app's own, with a client-credentials token,
 * never a portal's.
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide
 *
 * @hubspot/api-client 14 has no journal API family and its token call cannot ask for a scope, so the
 * calls go through its generic `apiRequest` (which answers with the raw Response) and are checked here.
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

function failure(response: Response, what: string): Error {
  const headers = Object.fromEntries(response.headers.entries());
  return Object.assign(new Error(`HubSpot answered ${response.status} to ${what}`), { code: response.status, headers });
}

export interface WebhooksJournalOptions {
  app: HubSpotApp;
  /** Locally the HubSpot sandbox; unset on AWS (api.hubapi.com). */
  basePath?: string | undefined;
  httpAgent?: Agent;
  backoff?: BackoffOptions;
  now?: () => Date;
}

export class WebhooksJournal {
  private token: { value: string; renewAt: number } | undefined;
  private readonly now: () => Date;
  private readonly backoff: BackoffOptions;
  private readonly httpAgent: Agent;

  constructor(private readonly options: WebhooksJournalOptions) {
    this.now = options.now ?? (() => new Date());
    // Fewer tries than a portal's calls: a journal HubSpot cannot serve now is simply read next minute.
    this.backoff = options.backoff ?? { ...defaultBackoff, attempts: 3 };
    this.httpAgent = options.httpAgent ?? silenceTimeoutAgent(options.basePath, defaultSilenceTimeoutMs);
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
    if (response.status === 404 && offset) throw new JournalOffsetGoneError(`the journal no longer has offset ${offset}`);
    if (!response.ok) throw failure(response, 'a journal read');
    const pointer = EntryPointer.parse(await response.json());
    // The file is a pre-signed S3 URL: fetched without our token.
    const file = await withBackoff(async () => {
      const answer = await fetch(pointer.url, { signal: AbortSignal.timeout(defaultSilenceTimeoutMs) });
      if (!answer.ok) throw failure(answer, 'a journal file download');
      return JournalFile.parse(await answer.json());
    }, this.backoff);
    return { offset: pointer.currentOffset, events: file.journalEvents.flatMap((event) => lifecycleEvent(event) ?? []) };
  }

  private async json(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, what, body);
    if (!response.ok) throw failure(response, what);
    return response.json();
  }

  /** One call with the app's token, retried on 429, 5xx and broken connections; a 401 renews the token once. */
  private async request(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<Response> {
    return withBackoff(async () => {
      let response = await this.client(await this.accessToken()).apiRequest({ method, path, ...(body === undefined ? {} : { body }) });
      if (response.status === 401) {
        this.token = undefined;
        response = await this.client(await this.accessToken()).apiRequest({ method, path, ...(body === undefined ? {} : { body }) });
      }
      if (response.status === 429 || response.status >= 500) throw failure(response, what);
      return response;
    }, this.backoff);
  }

  private client(accessToken?: string): Client {
    const { basePath } = this.options;
    return new Client({ ...(accessToken ? { accessToken } : {}), ...(basePath ? { basePath } : {}), httpAgent: this.httpAgent });
  }

  /** The app's client-credentials token, kept until shortly before it expires (there is no refresh token). */
  private async accessToken(): Promise<string> {
    if (this.token && this.token.renewAt > this.now().getTime()) return this.token.value;
    const { clientId, clientSecret } = this.options.app;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: scopes.join(' ') });
    const response = await withBackoff(async () => {
      const answer = await this.client().apiRequest({
        method: 'POST',
        path: `/oauth/${version}/token`,
        body: form.toString(),
        defaultJson: false,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      if (answer.status === 429 || answer.status >= 500) throw failure(answer, 'the client-credentials token');
      return answer;
    }, this.backoff);
    if (!response.ok) throw failure(response, 'the client-credentials token');
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
  const at = new Date(occurredAt);
  if (!kind || Number.isNaN(at.getTime())) return undefined;
  return { action: kind, portalId, occurredAt: at };
}
