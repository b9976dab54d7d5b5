import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';

type Item = Record<string, NativeAttributeValue>;

/** A portal that uninstalled and whose items are being deleted; `cursor` is where the deletion goes on. */
export interface PortalToForget {
  portalId: number;
  uninstalledAt: Date;
  cursor?: Item;
}

/**
 * Deleting everything a portal left in the table. A portal's items sit under many
 * partitions (its own, its deals', contacts', records' and touchpoints'), so this is
 * the code base's one Scan: never on a request path, and in steps of one page, so a
 * large table is forgotten over several due runs instead of one run that never ends.
 */
export class PortalForgetting {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * An uninstall HubSpot reported: the portal's install ends at once (so nothing more is read or
   * written for it) and its items are queued for deletion, unless the portal installed the app
   * again after the uninstall. The queue entry is written first, so a run that dies in between
   * leaves work to finish, never data nobody deletes.
   */
  async schedule(portalId: number, uninstalledAt: Date): Promise<'scheduled' | 'reinstalled' | 'not_installed'> {
    const { Item: install } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.install(portalId), ConsistentRead: true }));
    if (!install) return 'not_installed';
    if (install.installedAt && new Date(String(install.installedAt)).getTime() > uninstalledAt.getTime()) return 'reinstalled';
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.portalToForget(portalId), portalId, uninstalledAt: uninstalledAt.toISOString() } }));
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.install(portalId),
          ConditionExpression: 'attribute_not_exists(installedAt) OR installedAt <= :uninstalledAt',
          ExpressionAttributeValues: { ':uninstalledAt': uninstalledAt.toISOString() },
        }),
      );
      return 'scheduled';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.finish(portalId); // installed again in between: nothing to forget
      return 'reinstalled';
    }
  }

  async pending(): Promise<PortalToForget[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.portalsToForget().PK }, ConsistentRead: true }),
    );
    return Items.map((item) => ({
      portalId: Number(item.portalId),
      uninstalledAt: new Date(String(item.uninstalledAt)),
      ...(item.cursor ? { cursor: item.cursor as Item } : {}),
    }));
  }

  /** Where the deletion got to, so the next run goes on from there. */
  async saveProgress(portalId: number, cursor: Item): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.portalToForget(portalId),
        UpdateExpression: 'SET #cursor = :cursor',
        ConditionExpression: 'attribute_exists(PK)', // a finished one stays finished
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: { ':cursor': cursor },
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  async finish(portalId: number): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.portalToForget(portalId) }));
  }

  /**
   * One Scan page of the portal's items deleted (its install too unless `keepInstall`: an uninstall
   * already ended it, and a reinstall since must keep its new one). Returns the cursor to go on
   * from, or none when the whole table has been read.
   */
  async step(portalId: number, cursor: Item | undefined, { keepInstall }: { keepInstall: boolean }): Promise<{ deleted: number; cursor: Item | undefined }> {
    const { PK, SK } = keys.install(portalId);
    const page = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        FilterExpression: `(PK = :portal OR begins_with(PK, :below))${keepInstall ? ' AND NOT (PK = :portal AND SK = :install)' : ''}`,
        ExpressionAttributeValues: { ':portal': PK, ':below': `${PK}#`, ...(keepInstall ? { ':install': SK } : {}) },
        ProjectionExpression: 'PK, SK',
        ExclusiveStartKey: cursor,
      }),
    );
    const items = page.Items ?? [];
    for (let start = 0; start < items.length; start += 25) {
      let requests: Item[] = items.slice(start, start + 25).map(({ PK: pk, SK: sk }) => ({ DeleteRequest: { Key: { PK: pk, SK: sk } } }));
      while (requests.length) {
        const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (UnprocessedItems?.[this.tableName] ?? []) as Item[];
      }
    }
    return { deleted: items.length, cursor: page.LastEvaluatedKey };
  }
}
