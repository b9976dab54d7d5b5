/**
 * The sandbox's state: portals (records, associations, pipelines, owners,
 * property definitions) and OAuth grants, kept as one JSON-able value so it
 * can be saved after every change. Every rule HubSpot enforces on a write
 * that the app could trip over lives here; the routes only translate HTTP.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { type ErrorDetail, HubSpotApiError, OAuthError, conflict, notFound, validationError } from './http.js';
import {
  type AppLifecycleAction,
  type AppLifecycleEventTypeId,
  type CrmObjectType,
  type PortalSeed,
  type PropertyDefinition,
  type PropertyGroup,
  appInstallEventTypeId,
  appLifecycleEventTypes,
  appUninstallEventTypeId,
  crmObjectTypes,
  defaultPropertyGroups,
  engagementTypes,
  grantedScopes,
  salesActivityProperties,
  stageDateProperties,
  standardProperties,
  timestampProperties,
  webhooksJournalScopes,
} from './model.js';

/** Where a change came from, as HubSpot reports it (`changeSource`/`sourceType` and `sourceId`). */
export interface ChangeSource {
  sourceType: 'CRM_UI' | 'INTEGRATION' | 'IMPORT';
  sourceId: string;
}

export interface PropertyChange {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId: string;
}

export interface CrmRecord {
  id: string;
  properties: Record<string, string>;
  /** Every value each property has had, newest first: HubSpot's `propertiesWithHistory`. */
  history: Record<string, PropertyChange[]>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

export interface ObjectRef {
  type: CrmObjectType;
  id: string;
}

export interface DealStage {
  id: string;
  label: string;
  displayOrder: number;
  probability: number;
  isClosed: boolean;
}

export interface DealPipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: DealStage[];
  createdAt: number;
  updatedAt: number;
}

export interface Owner {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  createdAt: number;
  updatedAt: number;
}

export interface PortalState {
  portalId: number;
  hubDomain: string;
  records: Record<CrmObjectType, Record<string, CrmRecord>>;
  /** Each association is stored once and read from either end. */
  associations: Array<[ObjectRef, ObjectRef]>;
  dealPipelines: DealPipeline[];
  owners: Owner[];
  properties: Record<CrmObjectType, PropertyDefinition[]>;
  propertyGroups: Record<CrmObjectType, PropertyGroup[]>;
}

interface Grant {
  portalId: number;
  userId: number;
  scopes: string[];
}

interface AccessGrant extends Grant {
  /** null: a seeded long-lived token. */
  expiresAt: number | null;
}

interface InstallCode extends Grant {
  redirectUri: string | null;
  expiresAt: number;
}

/** A client-credentials token: the app itself, no portal, no user. */
interface AppGrant {
  scopes: string[];
  expiresAt: number;
}

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

export interface SandboxState {
  version: 1;
  nextRecordId: number;
  portals: Record<string, PortalState>;
  accessTokens: Record<string, AccessGrant>;
  refreshTokens: Record<string, Grant>;
  installCodes: Record<string, InstallCode>;
  /** Client-credentials tokens; never accepted where a portal's token is. */
  appTokens: Record<string, AppGrant>;
  /** Portals the app has been uninstalled from (every seeded portal starts with the app installed). */
  uninstalledPortalIds: number[];
  journalSubscriptions: JournalSubscription[];
  nextJournalSubscriptionId: number;
  /** Oldest first; entries past the retention period are dropped when the journal is read. */
  journal: JournalEntry[];
}

/** Properties of one record that took new values in one write (calculated ones included). */
export interface PropertiesChanged {
  portalId: number;
  objectType: CrmObjectType;
  objectId: string;
  changes: Array<{ name: string; value: string }>;
  occurredAt: number;
  source: ChangeSource;
}

export interface RecordArchived {
  portalId: number;
  objectType: CrmObjectType;
  objectId: string;
  occurredAt: number;
  source: ChangeSource;
}

export interface ContactPurged {
  portalId: number;
  contactId: string;
  occurredAt: number;
  source: ChangeSource;
}

/** What the store tells the rest of the sandbox after a change is saved (webhooks listen). */
export interface StoreListener {
  propertiesChanged(change: PropertiesChanged): void;
  recordArchived(event: RecordArchived): void;
  contactPurged(event: ContactPurged): void;
}

/** What a privacy deletion removed. */
export interface ContactPurge {
  portalId: number;
  contactId: string;
  /** The records the contact was associated with; the associations are gone. */
  unlinked: ObjectRef[];
  purgedAt: string;
}

/** What moving a deal did; `changed` is false when it already was in that stage. */
export interface DealMove {
  portalId: number;
  dealId: string;
  dealName: string | undefined;
  pipelineId: string;
  fromStageId: string | undefined;
  fromStageLabel: string | undefined;
  toStageId: string;
  toStageLabel: string;
  changed: boolean;
  movedAt: string;
}

/** The kinds of sales activity that count as contacting someone ("Last contacted"). */
export const salesActivityTypes = ['CALL', 'EMAIL', 'MEETING'] as const;
export type SalesActivityType = (typeof salesActivityTypes)[number];

/** What logging a sales activity on a deal did. */
export interface SalesActivityLog {
  portalId: number;
  dealId: string;
  dealName: string | undefined;
  type: SalesActivityType;
  /** When the activity happened (its `hs_timestamp`). */
  activityAt: string;
  /** The deal's contacts, which got the same roll-ups. */
  contactIds: string[];
  /** The deal's "Last contacted" afterwards; an activity older than the current value leaves it. */
  lastContacted: string;
  timesContacted: number;
  loggedAt: string;
}

/** One input of a batch update. */
export interface RecordUpdate {
  id: string;
  properties: Record<string, string>;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
  hub_id: number;
}

/** What uninstalling the app from a portal did. */
export interface AppUninstall {
  portalId: number;
  /** False when the app was not installed there: nothing changed and nothing was journaled. */
  changed: boolean;
  /** Access, refresh and static tokens of the portal that stopped working. */
  revokedTokens: number;
  /** The APP_UNINSTALL journal entry's offset; null without an uninstall subscription (or a change). */
  journalOffset: string | null;
  uninstalledAt: string;
}

/** HubSpot's ClientCredentialsTokenResponse (no refresh token). */
export interface ClientCredentialsToken {
  access_token: string;
  expires_in: number;
  token_type: 'bearer';
  token_use: 'client_credentials';
  scopes: string[];
}

export interface StoreOptions {
  now: () => number;
  /** The app the journal's events are about (`hs_app_id`). */
  appId: number;
  /** When set, state is loaded from and saved to this JSON file. */
  statePath?: string;
  listener: StoreListener;
}

/** HubSpot's access tokens live 30 minutes. */
export const accessTokenLifetimeSeconds = 1800;
const installCodeLifetimeMs = 10 * 60_000;
const firstCreatedRecordId = 100_001;
const firstJournalSubscriptionId = 3_100_001;
/**
 * The journal keeps "changes that occurred for your subscriptions over the past 3 days"
 * (https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide).
 */
export const journalRetentionMs = 3 * 24 * 60 * 60_000;

const unauthenticatedMessage =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Reads a key of a JSON dictionary without ever reaching Object.prototype. */
function own<T>(dictionary: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(dictionary, key) ? dictionary[key] : undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const sameRef = (a: ObjectRef, b: ObjectRef) => a.type === b.type && a.id === b.id;

const PersistedState = z.looseObject({
  version: z.literal(1),
  nextRecordId: z.number().int(),
  portals: z.record(z.string(), z.looseObject({ portalId: z.number().int() })),
  accessTokens: z.record(z.string(), z.unknown()),
  refreshTokens: z.record(z.string(), z.unknown()),
  installCodes: z.record(z.string(), z.unknown()),
});

export class SandboxStore {
  private state: SandboxState;

  constructor(private readonly seeds: readonly PortalSeed[], private readonly options: StoreOptions) {
    const loaded = this.load();
    this.state = loaded ?? this.seeded();
    // A state file from an older sandbox gains the object types and standard properties added since.
    const upgraded = loaded !== undefined
      && [...Object.values(this.state.portals).map((portal) => upgradePortal(portal, options.now())), upgradeJournalState(this.state)].includes(true);
    // A seed added since the state file was written joins without disturbing the rest.
    const missing = seeds.filter((seed) => !own(this.state.portals, String(seed.portalId)));
    for (const seed of missing) this.addPortal(this.state, seed);
    if (upgraded || missing.length > 0) this.save();
  }

  // ---- Portals and records ----

  portalIds(): number[] {
    return Object.values(this.state.portals).map((portal) => portal.portalId);
  }

  portal(portalId: number): PortalState {
    const portal = own(this.state.portals, String(portalId));
    if (!portal) throw notFound(`Portal ${portalId} does not exist in the sandbox`);
    return portal;
  }

  /** A live (not archived) record, or undefined. */
  record(portal: PortalState, type: CrmObjectType, id: string): CrmRecord | undefined {
    const record = own(portal.records[type], id);
    return record && !record.archived ? record : undefined;
  }

  requireRecord(portal: PortalState, type: CrmObjectType, id: string): CrmRecord {
    const record = this.record(portal, type, id);
    if (!record) throw notFound('Object not found.  objectId are usually numeric.', { id: [id] });
    return record;
  }

  records(portal: PortalState, type: CrmObjectType): CrmRecord[] {
    return Object.values(portal.records[type])
      .filter((record) => !record.archived)
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  createRecord(portal: PortalState, type: CrmObjectType, properties: Record<string, string>, associateWith: ObjectRef[], source: ChangeSource): CrmRecord {
    this.checkWritable(portal, type, [properties]);
    if (engagementTypes.includes(type) && !properties.hs_timestamp) {
      // Engagements are placed on the timeline by hs_timestamp; HubSpot refuses a task or note without one.
      throw invalidProperties([{ name: 'hs_timestamp', error: 'REQUIRED_FIELD', message: 'hs_timestamp is required' }]);
    }
    for (const target of associateWith) {
      if (!this.record(portal, target.type, target.id)) {
        throw validationError(`Association target ${target.type} ${target.id} does not exist`);
      }
    }
    const values = { ...properties };
    if (type === 'deals') {
      values.pipeline ??= portal.dealPipelines[0]?.id ?? 'default';
      if (values.dealstage !== undefined) this.requireStage(portal, values.pipeline, values.dealstage);
    }
    const id = String(this.state.nextRecordId++);
    const record = newRecord(id, type, values, this.options.now(), source);
    portal.records[type][id] = record;
    for (const target of associateWith) link(portal, { type, id }, target);
    this.save();
    return record;
  }

  /**
   * Sets properties the way HubSpot does; a deal entering a new stage gets
   * `hs_date_entered_{stage}` (and `hs_date_exited_{old stage}`), its history
   * keeps the move, and listeners hear of it once it is saved.
   */
  updateRecord(portal: PortalState, type: CrmObjectType, id: string, properties: Record<string, string>, source: ChangeSource): CrmRecord {
    const record = this.requireRecord(portal, type, id);
    this.checkWritable(portal, type, [properties]);
    const at = this.options.now();
    const changed = this.applyChanges(portal, type, record, this.plannedChanges(portal, type, record, properties, at), at, source);
    if (changed) this.save();
    if (changed) this.options.listener.propertiesChanged(changed);
    return record;
  }

  /**
   * HubSpot's batch update: every input is checked as a single update would
   * be, and one refused property (or a duplicate id) refuses the whole batch
   * before anything changes. Ids of no live record are left out and reported.
   */
  updateRecords(portal: PortalState, type: CrmObjectType, inputs: readonly RecordUpdate[], source: ChangeSource): { updated: CrmRecord[]; missing: string[] } {
    const ids = inputs.map(({ id }) => id);
    const duplicates = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    if (duplicates.length > 0) throw validationError(`Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`, { ids: duplicates });
    this.checkWritable(portal, type, inputs.map(({ properties }) => properties));

    const at = this.options.now();
    const found = inputs.flatMap(({ id, properties }) => {
      const record = this.record(portal, type, id);
      return record ? [{ record, changes: this.plannedChanges(portal, type, record, properties, at) }] : [];
    });
    const events = found.flatMap(({ record, changes }) => this.applyChanges(portal, type, record, changes, at, source) ?? []);
    if (events.length > 0) this.save();
    for (const event of events) this.options.listener.propertiesChanged(event);
    return { updated: found.map(({ record }) => record), missing: inputs.filter(({ id }) => !this.record(portal, type, id)).map(({ id }) => id) };
  }

  /**
   * The values a write would change, with what HubSpot computes from them: a
   * deal entering a new stage gets `hs_date_entered_{stage}` (and
   * `hs_date_exited_{old stage}`). Throws, changing nothing, if the stage is
   * not one of the deal's pipeline.
   */
  private plannedChanges(portal: PortalState, type: CrmObjectType, record: CrmRecord, properties: Record<string, string>, at: number): Array<[string, string]> {
    const changes = Object.entries(properties).filter(([name, value]) => record.properties[name] !== value);
    const newStage = properties.dealstage;
    if (type === 'deals' && newStage !== undefined && newStage !== record.properties.dealstage) {
      this.requireStage(portal, properties.pipeline ?? record.properties.pipeline ?? '', newStage);
      const fromStageId = record.properties.dealstage;
      if (fromStageId) changes.push([`hs_date_exited_${fromStageId}`, iso(at)]);
      changes.push([`hs_date_entered_${newStage}`, iso(at)]);
    }
    return changes;
  }

  /** Sets the values, keeping their history and the modified date; what changed, for the listener once saved. */
  private applyChanges(portal: PortalState, type: CrmObjectType, record: CrmRecord, changes: Array<[string, string]>, at: number, source: ChangeSource): PropertiesChanged | undefined {
    if (changes.length === 0) return undefined;
    const all: Array<[string, string]> = [...changes, [timestampProperties[type].modified, iso(at)]];
    for (const [name, value] of all) setProperty(record, name, value, at, source);
    record.updatedAt = at;
    return { portalId: portal.portalId, objectType: type, objectId: record.id, changes: all.map(([name, value]) => ({ name, value })), occurredAt: at, source };
  }

  archiveRecord(portal: PortalState, type: CrmObjectType, id: string, source: ChangeSource): void {
    const record = this.record(portal, type, id);
    if (!record) return; // HubSpot answers 204 for a record that is already gone
    const at = this.options.now();
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    this.save();
    this.options.listener.recordArchived({ portalId: portal.portalId, objectType: type, objectId: id, occurredAt: at, source });
  }

  /**
   * HubSpot's privacy (GDPR) delete: the contact goes for good, archived or
   * not (no recycle bin, no history), with every association it had.
   */
  purgeContact(portal: PortalState, contactId: string, source: ChangeSource): ContactPurge {
    if (!own(portal.records.contacts, contactId)) throw notFound('Object not found.  objectId are usually numeric.', { id: [contactId] });
    const contact: ObjectRef = { type: 'contacts', id: contactId };
    const unlinked = portal.associations.flatMap(([a, b]) => (sameRef(a, contact) ? [b] : sameRef(b, contact) ? [a] : []));
    delete portal.records.contacts[contactId];
    portal.associations = portal.associations.filter(([a, b]) => !sameRef(a, contact) && !sameRef(b, contact));
    const at = this.options.now();
    this.save();
    this.options.listener.contactPurged({ portalId: portal.portalId, contactId, occurredAt: at, source });
    return { portalId: portal.portalId, contactId, unlinked, purgedAt: iso(at) };
  }

  /** The contact (archived or not) whose unique property has this value; emails compare case-insensitively. */
  contactByUniqueProperty(portal: PortalState, propertyName: string, value: string): CrmRecord | undefined {
    const definition = portal.properties.contacts.find((candidate) => candidate.name === propertyName);
    if (!definition || (propertyName !== 'email' && !definition.hasUniqueValue)) {
      throw validationError(`${propertyName} is not a unique property of contacts, so it cannot identify one`);
    }
    const wanted = propertyName === 'email' ? value.toLowerCase() : value;
    return Object.values(portal.records.contacts).find((record) => {
      const actual = record.properties[propertyName];
      return actual !== undefined && (propertyName === 'email' ? actual.toLowerCase() : actual) === wanted;
    });
  }

  /** Ids of the live records of `toType` associated with `from`. */
  associatedIds(portal: PortalState, from: ObjectRef, toType: CrmObjectType): string[] {
    return portal.associations
      .flatMap(([a, b]) => (sameRef(a, from) ? [b] : sameRef(b, from) ? [a] : []))
      .filter((other) => other.type === toType && this.record(portal, other.type, other.id))
      .map((other) => other.id);
  }

  // ---- Deals ----

  dealPipeline(portal: PortalState, pipelineId: string): DealPipeline {
    const pipeline = portal.dealPipelines.find((candidate) => candidate.id === pipelineId);
    if (!pipeline) throw notFound(`Unable to find pipeline with id ${pipelineId}`);
    return pipeline;
  }

  /** An admin adding a stage to a deal pipeline (HubSpot numbers new stages itself). */
  addDealStage(portal: PortalState, pipelineId: string, input: { label: string; displayOrder?: number; probability: number; isClosed: boolean }): DealStage {
    const pipeline = this.dealPipeline(portal, pipelineId);
    const at = this.options.now();
    const stage: DealStage = {
      id: String(at).slice(-6) + String(pipeline.stages.length + 1).padStart(3, '0'),
      label: input.label,
      displayOrder: input.displayOrder ?? pipeline.stages.length,
      probability: input.probability,
      isClosed: input.isClosed,
    };
    pipeline.stages.push(stage);
    pipeline.updatedAt = at;
    const dealProperties = portal.properties.deals;
    dealProperties.find(({ name }) => name === 'dealstage')?.options.push({ label: stage.label, value: stage.id, displayOrder: stage.displayOrder, hidden: false });
    dealProperties.push(...stageDateProperties([stage.id], iso(at)));
    this.save();
    return stage;
  }

  /** As in HubSpot, a stage that still holds deals cannot be deleted. */
  deleteDealStage(portal: PortalState, pipelineId: string, stageId: string): void {
    const pipeline = this.dealPipeline(portal, pipelineId);
    if (!pipeline.stages.some(({ id }) => id === stageId)) throw notFound(`Unable to find stage ${stageId} in pipeline ${pipelineId}`);
    const occupied = Object.values(portal.records.deals).some((deal) => !deal.archived && deal.properties.dealstage === stageId);
    if (occupied) throw validationError(`Stage ${stageId} still has deals; move them before deleting it`);
    pipeline.stages = pipeline.stages.filter(({ id }) => id !== stageId);
    pipeline.updatedAt = this.options.now();
    const options = portal.properties.deals.find(({ name }) => name === 'dealstage')?.options;
    if (options) options.splice(0, options.length, ...options.filter(({ value }) => value !== stageId));
    this.save();
  }

  /** A salesperson dragging the deal to another stage in HubSpot's UI. */
  moveDeal(portalId: number, dealId: string, stageId: string): DealMove {
    const portal = this.portal(portalId);
    const deal = this.requireRecord(portal, 'deals', dealId);
    const pipelineId = deal.properties.pipeline ?? '';
    const stage = this.requireStage(portal, pipelineId, stageId);
    const fromStageId = deal.properties.dealstage;
    const fromStageLabel = this.dealPipeline(portal, pipelineId).stages.find((candidate) => candidate.id === fromStageId)?.label;
    const owner = portal.owners.find((candidate) => candidate.id === deal.properties.hubspot_owner_id) ?? portal.owners[0];
    this.updateRecord(portal, 'deals', dealId, { dealstage: stageId }, { sourceType: 'CRM_UI', sourceId: `userId:${owner?.userId ?? 0}` });
    return {
      portalId,
      dealId,
      dealName: deal.properties.dealname,
      pipelineId,
      fromStageId,
      fromStageLabel,
      toStageId: stageId,
      toStageLabel: stage.label,
      changed: fromStageId !== stageId,
      movedAt: iso(deal.updatedAt),
    };
  }

  /**
   * A salesperson logging a call, email or meeting on the deal in HubSpot's
   * UI: the deal and its contacts get HubSpot's roll-ups. "Last contacted"
   * and "Last activity date" move to the activity's time unless they are
   * already later; "Number of times contacted" counts up.
   */
  logSalesActivity(portalId: number, dealId: string, type: SalesActivityType, at?: number): SalesActivityLog {
    const portal = this.portal(portalId);
    const deal = this.requireRecord(portal, 'deals', dealId);
    const now = this.options.now();
    const activityAt = at ?? now;
    const owner = portal.owners.find((candidate) => candidate.id === deal.properties.hubspot_owner_id) ?? portal.owners[0];
    const source: ChangeSource = { sourceType: 'CRM_UI', sourceId: `userId:${owner?.userId ?? 0}` };
    const contactIds = this.associatedIds(portal, { type: 'deals', id: dealId }, 'contacts');
    const targets = [
      { type: 'deals' as const, record: deal },
      ...contactIds.flatMap((id) => {
        const record = this.record(portal, 'contacts', id);
        return record ? [{ type: 'contacts' as const, record }] : [];
      }),
    ];
    const latest = (current: string | undefined) => {
      const currentMs = current === undefined ? Number.NaN : Date.parse(current);
      return Number.isNaN(currentMs) || activityAt > currentMs ? iso(activityAt) : current ?? iso(activityAt);
    };
    const events = targets.flatMap(({ type: recordType, record }) => {
      const { lastContacted, lastActivity, timesContacted } = salesActivityProperties;
      const values: Array<[string, string]> = [
        [lastContacted, latest(record.properties[lastContacted])],
        [lastActivity, latest(record.properties[lastActivity])],
        [timesContacted, String((Number(record.properties[timesContacted] ?? 0) || 0) + 1)],
      ];
      const changes = values.filter(([name, value]) => record.properties[name] !== value);
      return this.applyChanges(portal, recordType, record, changes, now, source) ?? [];
    });
    this.save();
    for (const event of events) this.options.listener.propertiesChanged(event);
    return {
      portalId,
      dealId,
      dealName: deal.properties.dealname,
      type,
      activityAt: iso(activityAt),
      contactIds,
      lastContacted: deal.properties[salesActivityProperties.lastContacted] ?? iso(activityAt),
      timesContacted: Number(deal.properties[salesActivityProperties.timesContacted] ?? 0),
      loggedAt: iso(now),
    };
  }

  /** A user permanently deleting the contact for privacy in HubSpot's UI. */
  privacyDeleteContact(portalId: number, contactId: string): ContactPurge {
    const portal = this.portal(portalId);
    return this.purgeContact(portal, contactId, { sourceType: 'CRM_UI', sourceId: `userId:${portal.owners[0]?.userId ?? 0}` });
  }

  private requireStage(portal: PortalState, pipelineId: string, stageId: string): DealStage {
    const pipeline = portal.dealPipelines.find((candidate) => candidate.id === pipelineId);
    const stage = pipeline?.stages.find((candidate) => candidate.id === stageId);
    if (!stage) {
      throw invalidProperties([{ name: 'dealstage', error: 'INVALID_OPTION', message: `${stageId} was not one of the allowed options for pipeline ${pipelineId}` }]);
    }
    return stage;
  }

  // ---- Properties ----

  createProperty(portal: PortalState, type: CrmObjectType, definition: PropertyDefinition): PropertyDefinition {
    if (portal.properties[type].some((existing) => existing.name === definition.name)) {
      throw conflict(`Property named '${definition.name}' already exists.`);
    }
    if (!portal.propertyGroups[type].some((group) => group.name === definition.groupName)) {
      throw validationError(`Property group '${definition.groupName}' does not exist for ${type}`);
    }
    portal.properties[type].push(definition);
    this.save();
    return definition;
  }

  createPropertyGroup(portal: PortalState, type: CrmObjectType, group: PropertyGroup): PropertyGroup {
    if (portal.propertyGroups[type].some((existing) => existing.name === group.name)) {
      throw conflict(`Property group named '${group.name}' already exists.`);
    }
    portal.propertyGroups[type].push(group);
    this.save();
    return group;
  }

  /** HubSpot refuses the whole write (a batch: all of it) if any property is unknown, read-only or not one of its options. */
  private checkWritable(portal: PortalState, type: CrmObjectType, writes: ReadonlyArray<Record<string, string>>): void {
    const problems = writes.flatMap((properties) => Object.entries(properties)).flatMap(([name, value]): PropertyProblem[] => {
      const definition = portal.properties[type].find((candidate) => candidate.name === name);
      if (!definition) return [{ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` }];
      if (definition.modificationMetadata.readOnlyValue) return [{ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` }];
      // dealstage's options span every pipeline; updateRecord also checks the deal's own pipeline.
      const closedOptions = (definition.type === 'enumeration' || definition.type === 'bool') && !definition.externalOptions;
      if (closedOptions && value !== '' && !definition.options.some((option) => option.value === value)) {
        return [{ name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options` }];
      }
      return [];
    });
    if (problems.length > 0) throw invalidProperties(problems);
  }

  // ---- OAuth ----

  issueInstallCode(portalId: number, redirectUri: string | null, scopes: string[] = grantedScopes): string {
    const portal = this.portal(portalId);
    const code = randomUUID();
    this.state.installCodes[code] = {
      portalId,
      userId: portal.owners[0]?.userId ?? 0,
      scopes,
      redirectUri,
      expiresAt: this.options.now() + installCodeLifetimeMs,
    };
    this.save();
    return code;
  }

  redeemInstallCode(code: string, redirectUri: string | undefined): TokenPair {
    const grant = own(this.state.installCodes, code);
    if (!grant || grant.expiresAt < this.options.now()) throw new OAuthError('BAD_AUTH_CODE', 'missing or unknown auth code');
    if (grant.redirectUri !== null && grant.redirectUri !== redirectUri) {
      throw new OAuthError('BAD_REDIRECT_URI', 'redirect_uri does not match initial auth code URL');
    }
    delete this.state.installCodes[code]; // codes are single-use
    const refreshToken = `na1-${randomUUID()}`;
    this.state.refreshTokens[refreshToken] = { portalId: grant.portalId, userId: grant.userId, scopes: grant.scopes };
    if (!this.isAppInstalled(grant.portalId)) this.reinstallApp(grant.portalId, grant.userId);
    return this.tokenPair(refreshToken);
  }

  /**
   * An OAuth install in a portal the app was uninstalled from: it is installed
   * again, its static local token (if the seed has one) works again, and
   * APP_INSTALL is journaled if the app subscribes to it.
   */
  private reinstallApp(portalId: number, userId: number): void {
    this.state.uninstalledPortalIds = this.state.uninstalledPortalIds.filter((id) => id !== portalId);
    const staticToken = this.seeds.find((seed) => seed.portalId === portalId)?.staticAccessToken;
    if (staticToken) this.state.accessTokens[staticToken] = { portalId, userId: this.portal(portalId).owners[0]?.userId ?? 0, scopes: grantedScopes, expiresAt: null };
    this.journalLifecycleEvent(appInstallEventTypeId, portalId, userId);
  }

  /** HubSpot keeps the refresh token and hands out a new access token. */
  refreshAccessToken(refreshToken: string): TokenPair {
    return this.tokenPair(refreshToken);
  }

  private tokenPair(refreshToken: string): TokenPair {
    const grant = own(this.state.refreshTokens, refreshToken);
    if (!grant) throw new OAuthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    const accessToken = this.issueAccessToken(grant.portalId, grant);
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: accessTokenLifetimeSeconds, token_type: 'bearer', hub_id: grant.portalId };
  }

  /** A fresh 30-minute access token for a portal, as an install would get. */
  issueAccessToken(portalId: number, grant?: Omit<Grant, 'portalId'>): string {
    const portal = this.portal(portalId);
    const token = `sbx-${randomBytes(24).toString('base64url')}`;
    this.state.accessTokens[token] = {
      portalId,
      userId: grant?.userId ?? portal.owners[0]?.userId ?? 0,
      scopes: grant?.scopes ?? grantedScopes,
      expiresAt: this.options.now() + accessTokenLifetimeSeconds * 1000,
    };
    this.save();
    return token;
  }

  /**
   * The app leaves the portal, by its own API call or a user's click in
   * HubSpot: every token issued for the portal stops working (the seed's
   * static one too), and APP_UNINSTALL is journaled if the app subscribes to
   * it. A portal the app is not installed in is left as it is.
   * `userId` (who uninstalled) defaults to the portal's first owner.
   */
  uninstallApp(portalId: number, userId?: number): AppUninstall {
    const portal = this.portal(portalId);
    const at = this.options.now();
    let revokedTokens = 0;
    for (const tokens of [this.state.accessTokens, this.state.refreshTokens] as Record<string, { portalId: number }>[]) {
      for (const [token, grant] of Object.entries(tokens)) {
        if (grant.portalId !== portalId) continue;
        delete tokens[token];
        revokedTokens++;
      }
    }
    if (!this.isAppInstalled(portalId)) {
      if (revokedTokens > 0) this.save(); // tokens handed out by accessTokenFor after the uninstall
      return { portalId, changed: false, revokedTokens, journalOffset: null, uninstalledAt: iso(at) };
    }
    this.state.uninstalledPortalIds.push(portalId);
    const journalOffset = this.journalLifecycleEvent(appUninstallEventTypeId, portalId, userId ?? portal.owners[0]?.userId ?? 0);
    this.save();
    return { portalId, changed: true, revokedTokens, journalOffset, uninstalledAt: iso(at) };
  }

  isAppInstalled(portalId: number): boolean {
    return !this.state.uninstalledPortalIds.includes(portalId);
  }

  /** The user a portal's `Bearer` token was issued to. */
  userIdOf(authorization: string | undefined): number | undefined {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    return token === undefined ? undefined : own(this.state.accessTokens, token)?.userId;
  }

  // ---- The webhooks journal (app lifecycle events) ----

  /**
   * A client-credentials token: it authenticates as the app, not a portal, for
   * the webhooks journal only ("The webhooks journal API uses a client
   * credentials token to authorize actions on behalf of your app",
   * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide),
   * living 30 minutes like other access tokens
   * (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens).
   */
  issueAppToken(scopes: readonly string[]): ClientCredentialsToken {
    const token = `sbx-app-${randomBytes(24).toString('base64url')}`;
    const granted = scopes.length > 0 ? [...new Set(scopes)] : Object.values(webhooksJournalScopes);
    this.state.appTokens[token] = { scopes: granted, expiresAt: this.options.now() + accessTokenLifetimeSeconds * 1000 };
    this.save();
    return { access_token: token, expires_in: accessTokenLifetimeSeconds, token_type: 'bearer', token_use: 'client_credentials', scopes: granted };
  }

  /** The app's client-credentials grant behind a `Bearer` token; a portal's token is as unknown here as any other. */
  authenticateApp(authorization: string | undefined): { scopes: readonly string[] } {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = token === undefined ? undefined : own(this.state.appTokens, token);
    if (!grant) throw new HubSpotApiError(401, 'INVALID_AUTHENTICATION', unauthenticatedMessage);
    const now = this.options.now();
    if (grant.expiresAt <= now) {
      const seconds = Math.max(1, Math.round((now - grant.expiresAt) / 1000));
      throw new HubSpotApiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${seconds} second(s) ago.`, {
        'expire time': [iso(grant.expiresAt)],
      });
    }
    return grant;
  }

  journalSubscriptions(): readonly JournalSubscription[] {
    return this.state.journalSubscriptions;
  }

  journalSubscription(id: number): JournalSubscription {
    const subscription = this.state.journalSubscriptions.find((candidate) => candidate.id === id);
    if (!subscription) throw notFound(`Subscription ${id} does not exist`);
    return subscription;
  }

  /** "Create or update": one subscription per app lifecycle event type, updated in place when posted again. */
  upsertJournalSubscription(input: { eventTypeId: AppLifecycleEventTypeId; properties: readonly string[] }): JournalSubscription {
    const at = this.options.now();
    const existing = this.state.journalSubscriptions.find((candidate) => candidate.eventTypeId === input.eventTypeId);
    if (existing) {
      existing.properties = [...input.properties];
      existing.updatedAt = at;
      this.save();
      return existing;
    }
    const subscription: JournalSubscription = {
      id: this.state.nextJournalSubscriptionId++,
      subscriptionType: 'APP_LIFECYCLE_EVENT',
      eventTypeId: input.eventTypeId,
      properties: [...input.properties],
      createdAt: at,
      updatedAt: at,
    };
    this.state.journalSubscriptions.push(subscription);
    this.save();
    return subscription;
  }

  deleteJournalSubscription(id: number): void {
    this.journalSubscription(id);
    this.state.journalSubscriptions = this.state.journalSubscriptions.filter((candidate) => candidate.id !== id);
    this.save();
  }

  /** The journal's live entries, oldest first; entries older than the retention period are gone for good. */
  journalEntries(): readonly JournalEntry[] {
    const oldest = this.options.now() - journalRetentionMs;
    if (this.state.journal.some((entry) => entry.publishedAt <= oldest)) {
      this.state.journal = this.state.journal.filter((entry) => entry.publishedAt > oldest);
      this.save();
    }
    return this.state.journal;
  }

  /** Appends the event to the journal if the app subscribes to its type; the entry's offset, or null. Saving is the caller's. */
  private journalLifecycleEvent(eventTypeId: AppLifecycleEventTypeId, portalId: number, userId: number): string | null {
    if (!this.state.journalSubscriptions.some((subscription) => subscription.eventTypeId === eventTypeId)) return null;
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
    this.state.journal.push(entry);
    return entry.offset;
  }

  /** The portal a `Bearer` token belongs to; 401 in HubSpot's words otherwise. */
  authenticate(authorization: string | undefined): PortalState {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = token === undefined ? undefined : own(this.state.accessTokens, token);
    if (!grant) throw new HubSpotApiError(401, 'INVALID_AUTHENTICATION', unauthenticatedMessage);
    const now = this.options.now();
    if (grant.expiresAt !== null && grant.expiresAt <= now) {
      const seconds = Math.max(1, Math.round((now - grant.expiresAt) / 1000));
      throw new HubSpotApiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${seconds} second(s) ago.`, {
        'expire time': [iso(grant.expiresAt)],
      });
    }
    return this.portal(grant.portalId);
  }

  /** The portal a `Bearer` token was issued for, expired or not; undefined for anything else. */
  portalIdOf(authorization: string | undefined): number | undefined {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    return token === undefined ? undefined : own(this.state.accessTokens, token)?.portalId;
  }

  /** What `GET /oauth/v1/access-tokens/{token}` tells about a live token. */
  describeAccessToken(token: string): { grant: AccessGrant; portal: PortalState; expiresInSeconds: number } {
    const grant = own(this.state.accessTokens, token);
    const now = this.options.now();
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= now)) throw notFound('Token not found or expired');
    const expiresInSeconds = grant.expiresAt === null ? accessTokenLifetimeSeconds : Math.round((grant.expiresAt - now) / 1000);
    return { grant, portal: this.portal(grant.portalId), expiresInSeconds };
  }

  // ---- Lifecycle ----

  /** Back to the seeds; tokens issued so far stop working. */
  reset(): void {
    this.state = this.seeded();
    this.save();
  }

  private seeded(): SandboxState {
    const state: SandboxState = {
      version: 1,
      nextRecordId: firstCreatedRecordId,
      portals: {},
      accessTokens: {},
      refreshTokens: {},
      installCodes: {},
      ...emptyJournalState(),
    };
    for (const seed of this.seeds) this.addPortal(state, seed);
    return state;
  }

  private addPortal(state: SandboxState, seed: PortalSeed): void {
    state.portals[String(seed.portalId)] = seedPortal(seed, this.options.now());
    if (seed.staticAccessToken) {
      state.accessTokens[seed.staticAccessToken] = { portalId: seed.portalId, userId: seed.owners[0]?.userId ?? 0, scopes: grantedScopes, expiresAt: null };
    }
  }

  private load(): SandboxState | undefined {
    const path = this.options.statePath;
    if (!path || !existsSync(path)) return undefined;
    const parsed = PersistedState.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`The HubSpot sandbox state in ${path} is not in the current format; delete the file to start from the seed.`);
    return parsed.data as unknown as SandboxState;
  }

  /** Written whole and renamed into place, so a crash never leaves half a file. */
  private save(): void {
    const path = this.options.statePath;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state));
    renameSync(temporary, path);
  }
}

interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

/** HubSpot's 400 for refused property values: the problems in the message as JSON, and again in `errors`. */
function invalidProperties(problems: readonly PropertyProblem[]): HubSpotApiError {
  const details: ErrorDetail[] = problems.map(({ name, error, message }) => ({ message, code: error, context: { propertyName: [name] } }));
  const listed = problems.map(({ name, error, message }) => ({ isValid: false, message, error, name }));
  return validationError(`Property values were not valid: ${JSON.stringify(listed)}`, undefined, details);
}

function emptyJournalState(): Pick<SandboxState, 'appTokens' | 'uninstalledPortalIds' | 'journalSubscriptions' | 'nextJournalSubscriptionId' | 'journal'> {
  return { appTokens: {}, uninstalledPortalIds: [], journalSubscriptions: [], nextJournalSubscriptionId: firstJournalSubscriptionId, journal: [] };
}

/** A state file from before the webhooks journal gains its (empty) parts; true if any were missing. */
function upgradeJournalState(state: SandboxState): boolean {
  const missing = Object.entries(emptyJournalState()).filter(([key]) => !Object.hasOwn(state, key));
  Object.assign(state, Object.fromEntries(missing));
  return missing.length > 0;
}

/**
 * Brings a portal from an older state file up to the current model: object
 * types it lacks (notes, say) and standard properties added since. True if
 * anything was added.
 */
function upgradePortal(portal: PortalState, at: number): boolean {
  let changed = false;
  for (const type of crmObjectTypes) {
    if (!own(portal.records, type)) {
      portal.records[type] = {};
      changed = true;
    }
    if (!own(portal.propertyGroups, type)) {
      portal.propertyGroups[type] = [{ ...defaultPropertyGroups[type] }];
      changed = true;
    }
    const definitions = own(portal.properties, type) ?? (portal.properties[type] = []);
    const known = new Set(definitions.map(({ name }) => name));
    const added = standardProperties(type, iso(at)).filter(({ name }) => !known.has(name));
    definitions.push(...added);
    changed ||= added.length > 0;
  }
  return changed;
}

function link(portal: PortalState, a: ObjectRef, b: ObjectRef): void {
  const known = portal.associations.some(([x, y]) => (sameRef(x, a) && sameRef(y, b)) || (sameRef(x, b) && sameRef(y, a)));
  if (!known) portal.associations.push([a, b]);
}

function setProperty(record: CrmRecord, name: string, value: string, at: number, source: ChangeSource): void {
  record.properties[name] = value;
  record.history[name] = [{ value, timestamp: at, ...source }, ...(own(record.history, name) ?? [])];
}

function newRecord(id: string, type: CrmObjectType, properties: Record<string, string>, at: number, source: ChangeSource): CrmRecord {
  const record: CrmRecord = { id, properties: {}, history: {}, createdAt: at, updatedAt: at, archived: false };
  const stamps = timestampProperties[type];
  const values: Record<string, string> = { ...properties, hs_object_id: id, [stamps.created]: iso(at), [stamps.modified]: iso(at) };
  if (type === 'deals' && properties.dealstage) values[`hs_date_entered_${properties.dealstage}`] = iso(at);
  for (const [name, value] of Object.entries(values)) setProperty(record, name, value, at, source);
  return record;
}

function seedPortal(seed: PortalSeed, at: number): PortalState {
  const created = iso(at);
  const dealPipelines = seed.dealPipelines.map((pipeline, pipelineOrder) => ({
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipelineOrder,
    stages: pipeline.stages.map((stage, displayOrder) => ({ ...stage, displayOrder })),
    createdAt: at,
    updatedAt: at,
  }));
  const stageIds = dealPipelines.flatMap((pipeline) => pipeline.stages.map((stage) => stage.id));
  const properties = Object.fromEntries(crmObjectTypes.map((type) => [type, standardProperties(type, created)])) as PortalState['properties'];
  properties.deals.push(...stageDateProperties(stageIds, created));
  for (const definition of properties.deals) {
    if (definition.name === 'pipeline') definition.options = dealPipelines.map((p, displayOrder) => ({ label: p.label, value: p.id, displayOrder, hidden: false }));
    if (definition.name === 'dealstage') {
      definition.options = dealPipelines.flatMap((p) => p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false })));
    }
  }

  const portal: PortalState = {
    portalId: seed.portalId,
    hubDomain: seed.hubDomain ?? `portal-${seed.portalId}.sandbox.hubspot.invalid`,
    records: Object.fromEntries(crmObjectTypes.map((type) => [type, {}])) as PortalState['records'],
    associations: [],
    dealPipelines,
    owners: seed.owners.map((owner) => ({ ...owner, createdAt: at, updatedAt: at })),
    properties,
    propertyGroups: Object.fromEntries(crmObjectTypes.map((type) => [type, [{ ...defaultPropertyGroups[type] }]])) as PortalState['propertyGroups'],
  };

  const seedSource: ChangeSource = { sourceType: 'IMPORT', sourceId: 'sandbox-seed' };
  for (const type of ['contacts', 'companies', 'deals'] as const) {
    for (const recordSeed of seed[type] ?? []) {
      const values = { ...recordSeed.properties };
      if (type === 'deals') {
        values.pipeline ??= dealPipelines[0]?.id ?? 'default';
        const stageKnown = dealPipelines.some((p) => p.id === values.pipeline && p.stages.some((stage) => stage.id === values.dealstage));
        if (!stageKnown) throw new Error(`Seed deal ${recordSeed.id} of portal ${seed.portalId} is in no stage of pipeline ${values.pipeline}`);
      }
      portal.records[type][recordSeed.id] = newRecord(recordSeed.id, type, values, at, seedSource);
    }
  }
  for (const type of ['contacts', 'companies', 'deals'] as const) {
    for (const recordSeed of seed[type] ?? []) {
      for (const [toType, ids] of Object.entries(recordSeed.associations ?? {}) as Array<[CrmObjectType, string[]]>) {
        for (const id of ids) link(portal, { type, id: recordSeed.id }, { type: toType, id });
      }
    }
  }
  return portal;
}
