/**
 * The table primitives every aggregate of the store is built on: one DynamoDB client,
 * one table name and one clock, shared. Gets are strongly consistent; conditional writes
 * answer false (or a VersionConflictError) instead of throwing ConditionalCheckFailed;
 * queries and batch calls page and retry unprocessed keys here, so no aggregate repeats it.
 * It knows no item types and builds no keys (keys.ts does).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '../errors.js';
import type { TableKey } from './keys.js';

export type Item = Record<string, NativeAttributeValue>;

/** A stored value with the version an edit must name to replace it (optimistic concurrency). */
export interface Versioned<Value> {
  value: Value;
  version: number;
  changedAt: Date;
  changedBy: string;
}

export interface VersionedWrite {
  /** The version the caller read; undefined when creating. */
  expectedVersion: number | undefined;
  /** Who made the change (HubSpot user email or id), kept for the audit trail. */
  changedBy: string;
}

/** A versioned item's value with its version fields. */
export function versioned<Value>(item: Item, value: Value): Versioned<Value> {
  return { value, version: Number(item.version), changedAt: new Date(String(item.changedAt)), changedBy: String(item.changedBy) };
}

/** A conditional change of an item with a `status` and a `revision`: `from` its statuses, with attributes `absent` or `equal` to values. */
export interface Transition {
  from?: string[];
  set?: Record<string, string>;
  remove?: string[];
  absent?: string[];
  equal?: Record<string, string>;
}

type Update = Omit<UpdateCommandInput, 'TableName' | 'Key'>;

export class TableAccess {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    readonly now: () => Date,
  ) {}

  async get(key: TableKey): Promise<Item | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  async put(item: Item): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async delete(key: TableKey): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  async putIfAbsent(item: Item): Promise<boolean> {
    return this.putIf(item, 'attribute_not_exists(PK)');
  }

  /** A put that happens only if `condition` holds; false when it did not. */
  async putIf(item: Item, condition: string, values?: Item): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: condition, ...(values ? { ExpressionAttributeValues: values } : {}) }));
      return true;
    } catch (error) {
      return falseIfConditionFailed(error);
    }
  }

  /** A delete that happens only if `condition` holds; false when it did not. */
  async deleteIf(key: TableKey, condition: string, values: Item): Promise<boolean> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: condition, ExpressionAttributeValues: values }));
      return true;
    } catch (error) {
      return falseIfConditionFailed(error);
    }
  }

  /** Writes version `expectedVersion + 1` (1 when creating) unless someone changed it meanwhile. */
  async putVersioned(key: TableKey, body: Item, write: VersionedWrite, what: string): Promise<number> {
    const version = (write.expectedVersion ?? 0) + 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...body, version, changedAt: this.now().toISOString(), changedBy: write.changedBy },
          ...(write.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': write.expectedVersion } }),
        }),
      );
      return version;
    } catch (error) {
      throw conflictOr(error, what, write.expectedVersion);
    }
  }

  async deleteVersioned(key: TableKey, expectedVersion: number, what: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      throw conflictOr(error, what, expectedVersion);
    }
  }

  /** An UpdateItem; its `Attributes` as `ReturnValues` asks. A failed condition throws. */
  async update(key: TableKey, update: Update): Promise<Item | undefined> {
    const { Attributes } = await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: key, ...update }));
    return Attributes;
  }

  /** An UpdateItem under a condition; false when the condition did not hold. */
  async updateIf(key: TableKey, update: Update): Promise<boolean> {
    try {
      await this.update(key, update);
      return true;
    } catch (error) {
      return falseIfConditionFailed(error);
    }
  }

  /** A conditional change of one item, its revision counted up; `changed` false when its state did not allow it. */
  async transition(key: TableKey, change: Transition): Promise<{ changed: boolean; attributes?: Item }> {
    const names: Record<string, string> = {};
    const values: Item = { ':one': 1 };
    const name = (attribute: string) => {
      const placeholder = `#n${Object.keys(names).length}`;
      names[placeholder] = attribute;
      return placeholder;
    };
    const value = (content: unknown) => {
      const placeholder = `:v${Object.keys(values).length}`;
      values[placeholder] = content;
      return placeholder;
    };
    const assignments = Object.entries(change.set ?? {}).map(([attribute, content]) => `${name(attribute)} = ${value(content)}`);
    const conditions = [
      ...(change.from ? [`${name('status')} IN (${change.from.map(value).join(', ')})`] : []),
      ...(change.absent ?? []).map((attribute) => `attribute_not_exists(${name(attribute)})`),
      ...Object.entries(change.equal ?? {}).map(([attribute, content]) => `${name(attribute)} = ${value(content)}`),
    ];
    const updates = [
      ...(assignments.length ? [`SET ${assignments.join(', ')}`] : []),
      ...(change.remove?.length ? [`REMOVE ${change.remove.map(name).join(', ')}`] : []),
      'ADD revision :one',
    ];
    try {
      const attributes = await this.update(key, {
        UpdateExpression: updates.join(' '),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      });
      return { changed: true, attributes };
    } catch (error) {
      return { changed: falseIfConditionFailed(error) };
    }
  }

  /** One page of a Query (its `Limit`, its direction), no more. */
  async queryPage(query: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const { Items = [] } = await this.db.send(new QueryCommand({ ...query, TableName: this.tableName }));
    return Items;
  }

  queryPrefix(partitionKey: string, sortKeyPrefix: string): Promise<Item[]> {
    return this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': partitionKey, ':prefix': sortKeyPrefix },
    });
  }

  /** Every page of a Query. */
  async queryAll(query: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...query, TableName: this.tableName, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** The items of these keys that exist: one BatchGetItem per 100 keys, unprocessed keys asked again. */
  async batchGet(keys: TableKey[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let requested: Item[] = keys.slice(start, start + 100);
      while (requested.length) {
        const { Responses, UnprocessedKeys } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: requested } } }));
        items.push(...(Responses?.[this.tableName] ?? []));
        requested = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return items;
  }

  /** Deletes these keys: one BatchWriteItem per 25, unprocessed deletes sent again. */
  async batchDelete(keys: TableKey[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 25) {
      let requests: Item[] = keys.slice(start, start + 25).map((key) => ({ DeleteRequest: { Key: key } }));
      while (requests.length) {
        const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (UnprocessedItems?.[this.tableName] ?? []) as Item[];
      }
    }
  }
}

function falseIfConditionFailed(error: unknown): false {
  if (error instanceof ConditionalCheckFailedException) return false;
  throw error;
}

function conflictOr(error: unknown, what: string, expectedVersion: number | undefined): unknown {
  return error instanceof ConditionalCheckFailedException ? new VersionConflictError(what, expectedVersion) : error;
}
