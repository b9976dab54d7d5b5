/**
 * A portal's configuration: its settings and touchpoints (versioned, for optimistic
 * concurrency), the audit trail of who changed them, its install (the OAuth grant and
 * its refresh lease), and the app's own place in HubSpot's webhooks journal. What the
 * settings and oauth λs write and every other λ reads first.
 */
import { randomUUID } from 'node:crypto';
import { PortalSettings, TouchpointDefinition } from '@touchpoints/contracts';
import type { PortalInstall } from '../domain/install.js';
import { keys } from './keys.js';
import { versioned, type TableAccess, type Versioned, type VersionedWrite } from './table-access.js';

/** One line of the settings audit trail: who, when, what (in words). */
export interface SettingsChange {
  changedBy: string;
  changedAt: Date;
  change: string;
}

export class PortalConfiguration {
  constructor(private readonly table: TableAccess) {}

  // -- settings and touchpoints (versioned) --

  async getSettings(portalId: number): Promise<Versioned<PortalSettings> | undefined> {
    const item = await this.table.get(keys.settings(portalId));
    return item && versioned(item, PortalSettings.parse(item.settings));
  }

  async saveSettings(portalId: number, settings: PortalSettings, write: VersionedWrite): Promise<number> {
    return this.table.putVersioned(keys.settings(portalId), { settings }, write, `settings of portal ${portalId}`);
  }

  async listTouchpoints(portalId: number): Promise<Versioned<TouchpointDefinition>[]> {
    const { PK, SKPrefix } = keys.touchpoints(portalId);
    const items = await this.table.queryPrefix(PK, SKPrefix);
    return items.map((item) => versioned(item, TouchpointDefinition.parse(item.touchpoint)));
  }

  async getTouchpoint(portalId: number, touchpointId: string): Promise<Versioned<TouchpointDefinition> | undefined> {
    const item = await this.table.get(keys.touchpoint(portalId, touchpointId));
    return item && versioned(item, TouchpointDefinition.parse(item.touchpoint));
  }

  async saveTouchpoint(portalId: number, touchpoint: TouchpointDefinition, write: VersionedWrite): Promise<number> {
    return this.table.putVersioned(keys.touchpoint(portalId, touchpoint.id), { touchpoint }, write, `touchpoint ${touchpoint.id}`);
  }

  async deleteTouchpoint(portalId: number, touchpointId: string, expectedVersion: number): Promise<void> {
    await this.table.deleteVersioned(keys.touchpoint(portalId, touchpointId), expectedVersion, `touchpoint ${touchpointId}`);
  }

  // -- who changed what in the settings --

  async recordChange(portalId: number, change: SettingsChange): Promise<void> {
    await this.table.put({ ...keys.change(portalId, change.changedAt, randomUUID()), ...change, changedAt: change.changedAt.toISOString() });
  }

  /** The latest changes, newest first: one Query page read backwards. */
  async recentChanges(portalId: number, limit = 20): Promise<SettingsChange[]> {
    const { PK, SKPrefix } = keys.changes(portalId);
    const items = await this.table.queryPage({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': SKPrefix },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map(({ changedBy, change, changedAt }) => ({ changedBy: String(changedBy), change: String(change), changedAt: new Date(String(changedAt)) }));
  }

  // -- the portal's install (OAuth grant) --

  async getInstall(portalId: number): Promise<PortalInstall | undefined> {
    const item = await this.table.get(keys.install(portalId));
    return item && { accessToken: item.accessToken, refreshToken: item.refreshToken, expiresAt: new Date(item.expiresAt), ...(item.installedAt ? { installedAt: new Date(item.installedAt) } : {}) };
  }

  /**
   * Replaces the grant (and any refresh lease). A refresh keeps the install's time; an install
   * (`installedAt` given) sets it, so an older uninstall read from the journal later leaves it be.
   */
  async saveInstall(portalId: number, install: PortalInstall): Promise<void> {
    const installedAt = install.installedAt ? ':installedAt' : 'if_not_exists(installedAt, :installedAt)';
    await this.table.update(keys.install(portalId), {
      UpdateExpression: `SET accessToken = :access, refreshToken = :refresh, expiresAt = :expires, installedAt = ${installedAt} REMOVE refreshLeaseUntil`,
      ExpressionAttributeValues: {
        ':access': install.accessToken,
        ':refresh': install.refreshToken,
        ':expires': install.expiresAt.toISOString(),
        ':installedAt': (install.installedAt ?? this.table.now()).toISOString(),
      },
    });
  }

  /** True for the one caller allowed to refresh the portal's token until `until`. */
  async claimTokenRefresh(portalId: number, until: Date): Promise<boolean> {
    return this.table.updateIf(keys.install(portalId), {
      UpdateExpression: 'SET refreshLeaseUntil = :until',
      ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(refreshLeaseUntil) OR refreshLeaseUntil < :now)',
      ExpressionAttributeValues: { ':until': until.toISOString(), ':now': this.table.now().toISOString() },
    });
  }

  // -- the app's place in HubSpot's webhooks journal (the app's own item, no portal's) --

  async journalOffset(): Promise<string | undefined> {
    return (await this.table.get(keys.journalCursor()))?.offset;
  }

  async saveJournalOffset(offset: string): Promise<void> {
    await this.table.put({ ...keys.journalCursor(), offset, savedAt: this.table.now().toISOString() });
  }
}
