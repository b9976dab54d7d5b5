/**
 * Webhook delivery the way HubSpot does it for developer-platform apps: events
 * close together go out as one JSON array (at most 100 per POST), signed v3 with
 * the app's client secret, and a failed POST (non-2xx, network error, timeout)
 * is retried up to 10 attempts, each with `attemptNumber` counting from 0 and a
 * fresh timestamp and signature. HubSpot spreads its retries over 24 hours;
 * locally the waits are a short configurable schedule.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { signatureHeaders } from './signing.js';

interface WebhookEventBase {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  objectId: number;
  changeSource: string;
  sourceId: string;
}

/** A CRM object event of the 2025.2 platform's `crmObjects` subscriptions. */
export interface CrmObjectWebhookEvent extends WebhookEventBase {
  subscriptionType: 'object.propertyChange' | 'object.deletion';
  objectTypeId: string;
  propertyName?: string;
  propertyValue?: string;
  changeFlag?: 'DELETED';
  isSensitive?: boolean;
}

/**
 * A contact permanently deleted for privacy (GDPR delete), of the `hubEvents`
 * subscriptions. It keeps the classic event's fields: no `objectTypeId`, the
 * contact's id in `objectId`.
 */
export interface PrivacyDeletionWebhookEvent extends WebhookEventBase {
  subscriptionType: 'contact.privacyDeletion';
}

/** One event as HubSpot posts it, minus `attemptNumber` (set per attempt). */
export type WebhookEvent = CrmObjectWebhookEvent | PrivacyDeletionWebhookEvent;

type WithoutIds<T> = T extends WebhookEvent ? Omit<T, 'eventId' | 'appId'> : never;
export type NewWebhookEvent = WithoutIds<WebhookEvent>;

export interface DeliveryAttempt {
  attemptNumber: number;
  sentAt: number;
  /** The HTTP status the receiver answered; absent when it did not answer. */
  status?: number;
  error?: string;
  timestamp: string;
  signature: string;
  body: string;
}

export interface WebhookDelivery {
  id: number;
  url: string | undefined;
  events: WebhookEvent[];
  attempts: DeliveryAttempt[];
  outcome: 'pending' | 'delivered' | 'failed';
  /** Why a failed delivery was given up. */
  reason?: string;
}

export interface WebhookDispatcherOptions {
  appId: number;
  clientSecret: string;
  now: () => number;
  targetUrl?: string;
  /** Wait before attempt n+2, in ms; its length + 1 is the number of attempts (at most 10). */
  retryDelaysMs: readonly number[];
  /** How long events are gathered into one batch before it is sent. */
  batchWindowMs: number;
  /** How long a receiver may take before the attempt counts as failed (HubSpot: 5 s). */
  timeoutMs: number;
}

export const maxAttempts = 10;
export const maxEventsPerRequest = 100;

export class WebhookDispatcher {
  targetUrl: string | undefined;
  private readonly log: WebhookDelivery[] = [];
  private readonly queued: WebhookEvent[] = [];
  /** Batch timers and deliveries still running; idle() waits for all of them. */
  private readonly work = new Set<Promise<void>>();
  private readonly stopped = new AbortController();
  private batchScheduled = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.targetUrl = options.targetUrl;
  }

  enqueue(event: NewWebhookEvent): void {
    if (this.stopped.signal.aborted) return;
    this.queued.push({ eventId: randomInt(1_000_000_000, 2 ** 47), appId: this.options.appId, ...event });
    if (this.batchScheduled) return;
    this.batchScheduled = true;
    this.track(this.sleep(this.options.batchWindowMs).then(() => this.sendQueued()));
  }

  /** Resolves once every queued event has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Stops retries and drops queued events. */
  async close(): Promise<void> {
    this.stopped.abort();
    await this.idle();
  }

  private sendQueued(): void {
    this.batchScheduled = false;
    while (this.queued.length > 0) {
      const delivery: WebhookDelivery = {
        id: this.log.length + 1,
        url: this.targetUrl,
        events: this.queued.splice(0, maxEventsPerRequest),
        attempts: [],
        outcome: 'pending',
      };
      this.log.push(delivery);
      this.track(this.deliver(delivery));
    }
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const { url } = delivery;
    if (!url) {
      Object.assign(delivery, { outcome: 'failed', reason: 'no webhook URL is configured' });
      return;
    }
    const attempts = Math.min(maxAttempts, this.options.retryDelaysMs.length + 1);
    for (let attemptNumber = 0; attemptNumber < attempts; attemptNumber++) {
      if (attemptNumber > 0) await this.sleep(this.options.retryDelaysMs[attemptNumber - 1] ?? 0);
      if (this.stopped.signal.aborted) {
        Object.assign(delivery, { outcome: 'failed', reason: 'the sandbox closed' });
        return;
      }
      const attempt = await this.post(url, delivery.events, attemptNumber);
      delivery.attempts.push(attempt);
      if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
        delivery.outcome = 'delivered';
        return;
      }
    }
    Object.assign(delivery, { outcome: 'failed', reason: `no 2xx answer after ${attempts} attempts` });
  }

  private async post(url: string, events: WebhookEvent[], attemptNumber: number): Promise<DeliveryAttempt> {
    const body = JSON.stringify(events.map((event) => withAttemptNumber(event, attemptNumber)));
    const sentAt = this.options.now();
    const headers = signatureHeaders({ clientSecret: this.options.clientSecret, method: 'POST', url, body, timestamp: sentAt });
    const signed = { attemptNumber, sentAt, body, timestamp: String(sentAt), signature: headers['X-HubSpot-Signature-v3'] ?? '' };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopped.signal]),
      });
      await response.arrayBuffer(); // drain, so the connection can be reused
      return { ...signed, status: response.status };
    } catch (error) {
      return { ...signed, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  private sleep(ms: number): Promise<void> {
    return wait(ms, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private track(task: Promise<void>): void {
    this.work.add(task);
    void task.finally(() => this.work.delete(task));
  }
}

/** HubSpot's key order, with `attemptNumber` after `subscriptionType`. */
function withAttemptNumber(event: WebhookEvent, attemptNumber: number): Record<string, unknown> {
  const { eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, ...rest } = event;
  return { eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, attemptNumber, ...rest };
}
