/**
 * The state as a whole: built from the seeds, or loaded from the state file
 * (and brought up to the current model), and saved after every change.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { notFound } from '../http.js';
import { type PortalSeed, crmObjectTypes, defaultPropertyGroups, grantedScopes, standardProperties } from '../model.js';
import { firstJournalSubscriptionId } from './journal.js';
import { seedPortal } from './seed.js';
import { type PortalState, type SandboxState, type StoreOptions, iso, own } from './state.js';

const firstCreatedRecordId = 100_001;

const PersistedState = z.looseObject({
  version: z.literal(1),
  nextRecordId: z.number().int(),
  portals: z.record(z.string(), z.looseObject({ portalId: z.number().int() })),
  accessTokens: z.record(z.string(), z.unknown()),
  refreshTokens: z.record(z.string(), z.unknown()),
  installCodes: z.record(z.string(), z.unknown()),
});

export class PersistentState {
  state: SandboxState;

  constructor(readonly seeds: readonly PortalSeed[], private readonly options: Pick<StoreOptions, 'now' | 'statePath'>) {
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

  portalIds(): number[] {
    return Object.values(this.state.portals).map((portal) => portal.portalId);
  }

  portal(portalId: number): PortalState {
    const portal = own(this.state.portals, String(portalId));
    if (!portal) throw notFound(`Portal ${portalId} does not exist in the sandbox`);
    return portal;
  }

  /** Back to the seeds; tokens issued so far stop working. */
  reset(): void {
    this.state = this.seeded();
    this.save();
  }

  /** Written whole and renamed into place, so a crash never leaves half a file. */
  save(): void {
    const path = this.options.statePath;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state));
    renameSync(temporary, path);
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
