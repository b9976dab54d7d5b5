/**
 * CRM records (contacts, companies, deals, tasks, notes) and their
 * associations. Every rule HubSpot enforces on a record write that the app
 * could trip over lives here or in the aggregate it belongs to (property
 * values: properties.ts, deal stages: pipelines.ts, engagements:
 * activities.ts); the routes only translate HTTP.
 */
import { notFound, validationError } from '../http.js';
import { type CrmObjectType, timestampProperties } from '../model.js';
import { checkEngagementTimestamp } from './activities.js';
import { type ObjectRef, associated, link, unlinkAll } from './associations.js';
import type { ChangeSource, PropertiesChanged } from './events.js';
import type { PersistentState } from './persistence.js';
import { requireStage } from './pipelines.js';
import { checkWritable } from './properties.js';
import { type PortalState, type StoreOptions, iso, own } from './state.js';

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

/** One input of a batch update. */
export interface RecordUpdate {
  id: string;
  properties: Record<string, string>;
}

/** What a privacy deletion removed. */
export interface ContactPurge {
  portalId: number;
  contactId: string;
  /** The records the contact was associated with; the associations are gone. */
  unlinked: ObjectRef[];
  purgedAt: string;
}

export class RecordStore {
  constructor(private readonly db: PersistentState, private readonly options: StoreOptions) {}

  /** A live (not archived) record, or undefined. */
  find(portal: PortalState, type: CrmObjectType, id: string): CrmRecord | undefined {
    const record = own(portal.records[type], id);
    return record && !record.archived ? record : undefined;
  }

  get(portal: PortalState, type: CrmObjectType, id: string): CrmRecord {
    const record = this.find(portal, type, id);
    if (!record) throw notFound('Object not found.  objectId are usually numeric.', { id: [id] });
    return record;
  }

  list(portal: PortalState, type: CrmObjectType): CrmRecord[] {
    return Object.values(portal.records[type])
      .filter((record) => !record.archived)
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  create(portal: PortalState, type: CrmObjectType, properties: Record<string, string>, associateWith: ObjectRef[], source: ChangeSource): CrmRecord {
    checkWritable(portal, type, [properties]);
    checkEngagementTimestamp(type, properties);
    for (const target of associateWith) {
      if (!this.find(portal, target.type, target.id)) {
        throw validationError(`Association target ${target.type} ${target.id} does not exist`);
      }
    }
    const values = { ...properties };
    if (type === 'deals') {
      values.pipeline ??= portal.dealPipelines[0]?.id ?? 'default';
      if (values.dealstage !== undefined) requireStage(portal, values.pipeline, values.dealstage);
    }
    const id = String(this.db.state.nextRecordId++);
    const record = newRecord(id, type, values, this.options.now(), source);
    portal.records[type][id] = record;
    for (const target of associateWith) link(portal, { type, id }, target);
    this.db.save();
    return record;
  }

  /**
   * Sets properties the way HubSpot does; a deal entering a new stage gets
   * `hs_date_entered_{stage}` (and `hs_date_exited_{old stage}`), its history
   * keeps the move, and listeners hear of it once it is saved.
   */
  update(portal: PortalState, type: CrmObjectType, id: string, properties: Record<string, string>, source: ChangeSource): CrmRecord {
    const record = this.get(portal, type, id);
    checkWritable(portal, type, [properties]);
    const at = this.options.now();
    const changed = this.applyChanges(portal, type, record, this.plannedChanges(portal, type, record, properties, at), at, source);
    if (changed) this.db.save();
    if (changed) this.options.listener.propertiesChanged(changed);
    return record;
  }

  /**
   * HubSpot's batch update: every input is checked as a single update would
   * be, and one refused property (or a duplicate id) refuses the whole batch
   * before anything changes. Ids of no live record are left out and reported.
   */
  updateMany(portal: PortalState, type: CrmObjectType, inputs: readonly RecordUpdate[], source: ChangeSource): { updated: CrmRecord[]; missing: string[] } {
    const ids = inputs.map(({ id }) => id);
    const duplicates = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    if (duplicates.length > 0) throw validationError(`Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`, { ids: duplicates });
    checkWritable(portal, type, inputs.map(({ properties }) => properties));

    const at = this.options.now();
    const found = inputs.flatMap(({ id, properties }) => {
      const record = this.find(portal, type, id);
      return record ? [{ record, changes: this.plannedChanges(portal, type, record, properties, at) }] : [];
    });
    const events = found.flatMap(({ record, changes }) => this.applyChanges(portal, type, record, changes, at, source) ?? []);
    if (events.length > 0) this.db.save();
    for (const event of events) this.options.listener.propertiesChanged(event);
    return { updated: found.map(({ record }) => record), missing: inputs.filter(({ id }) => !this.find(portal, type, id)).map(({ id }) => id) };
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
      requireStage(portal, properties.pipeline ?? record.properties.pipeline ?? '', newStage);
      changes.push(...stageEntryDates(record.properties.dealstage, newStage, at));
    }
    return changes;
  }

  /**
   * Sets the values, keeping their history and the modified date; what
   * changed, for the listener once saved. Saving is the caller's.
   */
  applyChanges(portal: PortalState, type: CrmObjectType, record: CrmRecord, changes: Array<[string, string]>, at: number, source: ChangeSource): PropertiesChanged | undefined {
    if (changes.length === 0) return undefined;
    const all: Array<[string, string]> = [...changes, [timestampProperties[type].modified, iso(at)]];
    for (const [name, value] of all) setProperty(record, name, value, at, source);
    record.updatedAt = at;
    return { portalId: portal.portalId, objectType: type, objectId: record.id, changes: all.map(([name, value]) => ({ name, value })), occurredAt: at, source };
  }

  archive(portal: PortalState, type: CrmObjectType, id: string, source: ChangeSource): void {
    const record = this.find(portal, type, id);
    if (!record) return; // HubSpot answers 204 for a record that is already gone
    const at = this.options.now();
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    this.db.save();
    this.options.listener.recordArchived({ portalId: portal.portalId, objectType: type, objectId: id, occurredAt: at, source });
  }

  /**
   * HubSpot's privacy (GDPR) delete: the contact goes for good, archived or
   * not (no recycle bin, no history), with every association it had.
   */
  purgeContact(portal: PortalState, contactId: string, source: ChangeSource): ContactPurge {
    if (!own(portal.records.contacts, contactId)) throw notFound('Object not found.  objectId are usually numeric.', { id: [contactId] });
    delete portal.records.contacts[contactId];
    const unlinked = unlinkAll(portal, { type: 'contacts', id: contactId });
    const at = this.options.now();
    this.db.save();
    this.options.listener.contactPurged({ portalId: portal.portalId, contactId, occurredAt: at, source });
    return { portalId: portal.portalId, contactId, unlinked, purgedAt: iso(at) };
  }

  /** A user permanently deleting the contact for privacy in HubSpot's UI. */
  privacyDeleteContact(portalId: number, contactId: string): ContactPurge {
    const portal = this.db.portal(portalId);
    return this.purgeContact(portal, contactId, { sourceType: 'CRM_UI', sourceId: `userId:${portal.owners[0]?.userId ?? 0}` });
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
    return associated(portal, from)
      .filter((other) => other.type === toType && this.find(portal, other.type, other.id))
      .map((other) => other.id);
  }
}

/** The dates HubSpot sets when a deal enters a new stage: entered the new one, exited the old one. */
function stageEntryDates(fromStageId: string | undefined, toStageId: string, at: number): Array<[string, string]> {
  return [...(fromStageId ? [[`hs_date_exited_${fromStageId}`, iso(at)] as [string, string]] : []), [`hs_date_entered_${toStageId}`, iso(at)]];
}

/** A seeded deal's earlier move into `stageId`, as HubSpot recorded it then: its history keeps the time. */
export function recordPastStageMove(record: CrmRecord, stageId: string, at: number, source: ChangeSource): void {
  const changes: Array<[string, string]> = [['dealstage', stageId], ...stageEntryDates(record.properties.dealstage, stageId, at), [timestampProperties.deals.modified, iso(at)]];
  for (const [name, value] of changes) setProperty(record, name, value, at, source);
  record.updatedAt = at;
}

function setProperty(record: CrmRecord, name: string, value: string, at: number, source: ChangeSource): void {
  record.properties[name] = value;
  record.history[name] = [{ value, timestamp: at, ...source }, ...(own(record.history, name) ?? [])];
}

export function newRecord(id: string, type: CrmObjectType, properties: Record<string, string>, at: number, source: ChangeSource): CrmRecord {
  const record: CrmRecord = { id, properties: {}, history: {}, createdAt: at, updatedAt: at, archived: false };
  const stamps = timestampProperties[type];
  const values: Record<string, string> = { ...properties, hs_object_id: id, [stamps.created]: iso(at), [stamps.modified]: iso(at) };
  if (type === 'deals' && properties.dealstage) values[`hs_date_entered_${properties.dealstage}`] = iso(at);
  for (const [name, value] of Object.entries(values)) setProperty(record, name, value, at, source);
  return record;
}
