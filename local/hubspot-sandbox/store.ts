/**
 * The sandbox's state: portals (records, associations, pipelines, owners,
 * property definitions) and OAuth grants, kept as one JSON-able value so it
 * can be saved after every change. Every rule HubSpot enforces on a write
 * that the app could trip over lives in the store; the routes only translate
 * HTTP. It is kept by aggregate, each in its own file under store/:
 *
 * - records.ts: CRM records and (with associations.ts) their associations
 * - pipelines.ts: deal pipelines and stages, deals moving between them
 * - activities.ts: engagements and sales activity logged on deals
 * - properties.ts: property definitions and groups, checks of written values
 * - oauth.ts: install codes, tokens, the app's tokens, installs and uninstalls
 * - journal.ts: the webhooks journal's subscriptions and entries
 * - persistence.ts (with seed.ts and state.ts): the state file, the seeds, the state's shape
 */
import type { PortalSeed } from './model.js';
import { ActivityStore } from './store/activities.js';
import { JournalStore } from './store/journal.js';
import { OAuthStore } from './store/oauth.js';
import { PersistentState } from './store/persistence.js';
import { PipelineStore } from './store/pipelines.js';
import { PropertyStore } from './store/properties.js';
import { RecordStore } from './store/records.js';
import type { PortalState, StoreOptions } from './store/state.js';

export { type SalesActivityLog, type SalesActivityType, salesActivityTypes } from './store/activities.js';
export type { ObjectRef } from './store/associations.js';
export type { ChangeSource, ContactPurged, PropertiesChanged, RecordArchived, StoreListener } from './store/events.js';
export { type AppLifecycleJournalEvent, type JournalEntry, type JournalSubscription, journalRetentionMs } from './store/journal.js';
export { type AppUninstall, type ClientCredentialsToken, type TokenPair, accessTokenLifetimeSeconds } from './store/oauth.js';
export type { DealMove, DealPipeline, DealStage } from './store/pipelines.js';
export type { ContactPurge, CrmRecord, PropertyChange, RecordUpdate } from './store/records.js';
export type { Owner, PortalState, SandboxState, StoreOptions } from './store/state.js';

export class SandboxStore {
  private readonly db: PersistentState;
  readonly records: RecordStore;
  readonly pipelines: PipelineStore;
  readonly activities: ActivityStore;
  readonly properties: PropertyStore;
  readonly journal: JournalStore;
  readonly oauth: OAuthStore;

  constructor(seeds: readonly PortalSeed[], options: StoreOptions) {
    this.db = new PersistentState(seeds, options);
    this.records = new RecordStore(this.db, options);
    this.pipelines = new PipelineStore(this.db, this.records, options);
    this.activities = new ActivityStore(this.db, this.records, options);
    this.properties = new PropertyStore(this.db);
    this.journal = new JournalStore(this.db, options);
    this.oauth = new OAuthStore(this.db, this.journal, options);
  }

  portalIds(): number[] {
    return this.db.portalIds();
  }

  portal(portalId: number): PortalState {
    return this.db.portal(portalId);
  }

  /** Back to the seeds; tokens issued so far stop working. */
  reset(): void {
    this.db.reset();
  }
}
