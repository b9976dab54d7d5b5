/**
 * The webhooks journal's state: the app's lifecycle subscriptions and the
 * journal entries of installs and uninstalls (served by routes/journal.ts).
 */
import { randomUUID } from 'node:crypto';
import { notFound } from '../http.js';
import { type AppLifecycleAction, type AppLifecycleEventTypeId, appLifecycleEventTypes } from '../model.js';
import type { PersistentState } from './persistence.js';
import { type StoreOptions, iso } from './state.js';

/** An app lifecycle subscription of the webhooks journal (one per event type, app-wide). */
export interface JournalSubscription {
  id: number;
  subscriptionType: 'APP_LIFECYCLE_EVENT';
  eventTypeId: AppLifecycleEventTypeId;
  properties: string[];
  createdAt: number;
  updatedAt: number;
}

/**
 * One app lifecycle event in a journal file. The stored copy of HubSpot's
 * "Event data format" section could not be read; this shape follows
 * third-party code written against the live API (`{offset, journalEvents,
 * publishedAt}`, lifecycle events with `action` APP_INSTALL / APP_UNINSTALL),
 * values of `properties` as strings. The app's reader accepts either `action`
 * or `eventTypeId`, and an ISO or epoch-ms `occurredAt`.
 */
export interface AppLifecycleJournalEvent {
  type: 'app_lifecycle_event';
  action: AppLifecycleAction;
  portalId: number;
  occurredAt: string;
  eventTypeId: AppLifecycleEventTypeId;
  properties: { hs_app_id: string; hs_app_install_level: 'PORTAL'; hs_initiating_user_id: string; hs_user_id: string };
}

/** One journal entry: what its file holds, and when it was published (ms). */
export interface JournalEntry {
  offset: string;
  publishedAt: number;
  journalEvents: AppLifecycleJournalEvent[];
}

export const firstJournalSubscriptionId = 3_100_001;
/**
 * The journal keeps "changes that occurred for your subscriptions over the past 3 days"
 * (https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide).
 */
export const journalRetentionMs = 3 * 24 * 60 * 60_000;

export class JournalStore {
  constructor(private readonly db: PersistentState, private readonly options: StoreOptions) {}

  subscriptions(): readonly JournalSubscription[] {
    return this.db.state.journalSubscriptions;
  }

  subscription(id: number): JournalSubscription {
    const subscription = this.db.state.journalSubscriptions.find((candidate) => candidate.id === id);
    if (!subscription) throw notFound(`Subscription ${id} does not exist`);
    return subscription;
  }

  /** "Create or update": one subscription per app lifecycle event type, updated in place when posted again. */
  upsertSubscription(input: { eventTypeId: AppLifecycleEventTypeId; properties: readonly string[] }): JournalSubscription {
    const state = this.db.state;
    const at = this.options.now();
    const existing = state.journalSubscriptions.find((candidate) => candidate.eventTypeId === input.eventTypeId);
    if (existing) {
      existing.properties = [...input.properties];
      existing.updatedAt = at;
      this.db.save();
      return existing;
    }
    const subscription: JournalSubscription = {
      id: state.nextJournalSubscriptionId++,
      subscriptionType: 'APP_LIFECYCLE_EVENT',
      eventTypeId: input.eventTypeId,
      properties: [...input.properties],
      createdAt: at,
      updatedAt: at,
    };
    state.journalSubscriptions.push(subscription);
    this.db.save();
    return subscription;
  }

  deleteSubscription(id: number): void {
    this.subscription(id);
    this.db.state.journalSubscriptions = this.db.state.journalSubscriptions.filter((candidate) => candidate.id !== id);
    this.db.save();
  }

  /** The journal's live entries, oldest first; entries older than the retention period are gone for good. */
  entries(): readonly JournalEntry[] {
    const state = this.db.state;
    const oldest = this.options.now() - journalRetentionMs;
    if (state.journal.some((entry) => entry.publishedAt <= oldest)) {
      state.journal = state.journal.filter((entry) => entry.publishedAt > oldest);
      this.db.save();
    }
    return state.journal;
  }

  /** Appends the event to the journal if the app subscribes to its type; the entry's offset, or null. Saving is the caller's. */
  recordLifecycleEvent(eventTypeId: AppLifecycleEventTypeId, portalId: number, userId: number): string | null {
    const state = this.db.state;
    if (!state.journalSubscriptions.some((subscription) => subscription.eventTypeId === eventTypeId)) return null;
    const at = this.options.now();
    const entry: JournalEntry = {
      offset: randomUUID(),
      publishedAt: at,
      journalEvents: [{
        type: 'app_lifecycle_event',
        action: appLifecycleEventTypes[eventTypeId],
        portalId,
        occurredAt: iso(at),
        eventTypeId,
        properties: { hs_app_id: String(this.options.appId), hs_app_install_level: 'PORTAL', hs_initiating_user_id: String(userId), hs_user_id: String(userId) },
      }],
    };
    state.journal.push(entry);
    return entry.offset;
  }
}

