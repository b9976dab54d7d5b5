/**
 * Forgetting a portal: the queue of portals that uninstalled, and their items deleted a
 * Scan page at a time. Exposed as the store's `forgetting`, since the due λ drives it
 * step by step; the one part of the store that reads the whole table.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import type { Item, TableAccess } from './table-access.js';

/** A portal that uninstalled and whose items are being deleted; `cursor` is where the deletion goes on. */
export interface PortalToForget {
  portalId: number;
  uninstalledAt: Date;
  cursor?: Item;
}

/**
 * Deleting everything a portal left in the table. A portal's items sit under many
 * partitions (its own, its deals', contacts', records' and touchpoints'), so this is
 * the one Scan in lambdas/. The due λ takes it a page at a time (`step`), so a large
 * table is forgotten over several runs instead of one run that never ends; only the
 * settings λ's Disconnect (`TouchpointsStore.forgetPortal`) reads every page in one request.
 */
export class PortalForgetting {
  constructor(private readonly table: TableAccess) {}

  /**
   * An uninstall HubSpot reported: the portal's install ends at once (so nothing more is read or
   * written for it) and its items are queued for deletion, unless the portal installed the app
   * again after the uninstall. The queue entry is written first, so a run that dies in between
   * leaves work to finish, never data nobody deletes.
   */
  async schedule(portalId: number, uninstalledAt: Date): Promise<'scheduled' | 'reinstalled' | 'not_installed'> {
    const install = await this.table.get(keys.install(portalId));
    if (!install) return 'not_installed';
    if (install.installedAt && new Date(String(install.installedAt)).getTime() > uninstalledAt.getTime()) return 'reinstalled';
    await this.table.put({ ...keys.portalToForget(portalId), portalId, uninstalledAt: uninstalledAt.toISOString() });
    const ended = await this.table.deleteIf(keys.install(portalId), 'attribute_not_exists(installedAt) OR installedAt <= :uninstalledAt', {
      ':uninstalledAt': uninstalledAt.toISOString(),
    });
    if (ended) return 'scheduled';
    await this.finish(portalId); // installed again in between: nothing to forget
    return 'reinstalled';
  }

  async pending(): Promise<PortalToForget[]> {
    const items = await this.table.queryPage({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.portalsToForget().PK }, ConsistentRead: true });
    return items.map((item) => ({
      portalId: Number(item.portalId),
      uninstalledAt: new Date(String(item.uninstalledAt)),
      ...(item.cursor ? { cursor: item.cursor as Item } : {}),
    }));
  }

  /** Where the deletion got to, so the next run goes on from there. */
  async saveProgress(portalId: number, cursor: Item): Promise<void> {
    await this.table.updateIf(keys.portalToForget(portalId), {
      UpdateExpression: 'SET #cursor = :cursor',
      ConditionExpression: 'attribute_exists(PK)', // a finished one stays finished
      ExpressionAttributeNames: { '#cursor': 'cursor' },
      ExpressionAttributeValues: { ':cursor': cursor },
    });
  }

  async finish(portalId: number): Promise<void> {
    await this.table.delete(keys.portalToForget(portalId));
  }

  /**
   * One Scan page of the portal's items deleted (its install too unless `keepInstall`: an uninstall
   * already ended it, and a reinstall since must keep its new one), its sender domain claims among
   * them, so another portal may verify those domains. Returns the cursor to go on from, or none
   * when the whole table has been read.
   */
  async step(portalId: number, cursor: Item | undefined, { keepInstall }: { keepInstall: boolean }): Promise<{ deleted: number; cursor: Item | undefined }> {
    const { PK, SK } = keys.install(portalId);
    const page = await this.table.db.send(
      new ScanCommand({
        TableName: this.table.tableName,
        FilterExpression: `(PK = :portal OR begins_with(PK, :below) OR (PK = :claims AND portalId = :portalId))${keepInstall ? ' AND NOT (PK = :portal AND SK = :install)' : ''}`,
        ExpressionAttributeValues: { ':portal': PK, ':below': `${PK}#`, ':claims': keys.senderDomainClaims().PK, ':portalId': portalId, ...(keepInstall ? { ':install': SK } : {}) },
        ProjectionExpression: 'PK, SK',
        ExclusiveStartKey: cursor,
      }),
    );
    const items = page.Items ?? [];
    await this.table.batchDelete(items.map(({ PK: pk, SK: sk }) => ({ PK: pk, SK: sk })));
    return { deleted: items.length, cursor: page.LastEvaluatedKey };
  }
}
