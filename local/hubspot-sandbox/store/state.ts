/**
 * The sandbox's state: portals (records, associations, pipelines, owners,
 * property definitions) and OAuth grants, kept as one JSON-able value so it
 * can be saved after every change (persistence.ts). Each aggregate (records,
 * pipelines, activities, properties, OAuth, the webhooks journal) keeps its
 * part of it in its own file; this one holds the whole and what they share.
 */
import type { CrmObjectType, PropertyDefinition, PropertyGroup } from '../model.js';
import type { ObjectRef } from './associations.js';
import type { StoreListener } from './events.js';
import type { JournalEntry, JournalSubscription } from './journal.js';
import type { AccessGrant, AppGrant, Grant, InstallCode } from './oauth.js';
import type { DealPipeline } from './pipelines.js';
import type { CrmRecord } from './records.js';

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

export interface StoreOptions {
  now: () => number;
  /** The app the journal's events are about (`hs_app_id`). */
  appId: number;
  /** When set, state is loaded from and saved to this JSON file. */
  statePath?: string;
  listener: StoreListener;
}

/** Reads a key of a JSON dictionary without ever reaching Object.prototype. */
export function own<T>(dictionary: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(dictionary, key) ? dictionary[key] : undefined;
}

export const iso = (ms: number) => new Date(ms).toISOString();
