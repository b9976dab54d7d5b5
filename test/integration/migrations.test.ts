import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitTouchpointPartitionsByMonth } from '../../local/migrations.js';
import { startTestTable } from '../support/dynamo.js';

const portal = 13572468;
/** The touchpoint's one partition as the store kept it before months. */
const oldPartition = `P#${portal}#touchpoint#offer`;
let table: Awaited<ReturnType<typeof startTestTable>>;

beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());

const put = (Item: Record<string, unknown>) => table.documents.send(new PutCommand({ TableName: table.tableName, Item }));

describe('splitting touchpoint partitions by month (local migration)', () => {
  it('moves each copy to its month, drops an answer without invitation, leaves other items, and finds nothing left on a rerun', async () => {
    await table.store.createInvitation(portal, { dealId: '301', touchpointId: 'offer', contactId: '101', status: 'sent', language: 'da', createdAt: new Date('2026-09-30T22:00:00.000Z') });
    const createdAt = '2026-09-30T22:00:00.000Z';
    const answeredAt = '2026-10-03T09:00:00.000Z';
    await put({ PK: oldPartition, SK: 'I#301#offer#101', dealId: '301', touchpointId: 'offer', contactId: '101', status: 'answered', language: 'da', createdAt, revision: 2 });
    await put({ PK: oldPartition, SK: 'R#301#offer#101', dealId: '301', touchpointId: 'offer', contactId: '101', score: 4, firstAnsweredAt: answeredAt, answeredAt });
    await put({ PK: oldPartition, SK: 'R#399#offer#199', dealId: '399', touchpointId: 'offer', contactId: '199', score: 9, firstAnsweredAt: answeredAt, answeredAt });
    await put({ PK: oldPartition, SK: 'FU#offer#301', touchpointId: 'offer', dealId: '301', expectation: { expect: 'engagement' }, promise: 'A call within 2 days', startedAt: '2026-10-01T08:00:00.000Z', dueAt: '2026-10-03T08:00:00.000Z', status: 'pending', contactIds: ['101'] });
    await put({ PK: `P#${portal}#deal#301`, SK: 'R#301#offer#101', dealId: '301', touchpointId: 'offer', contactId: '101', score: 4, firstAnsweredAt: answeredAt, answeredAt });

    expect(await splitTouchpointPartitionsByMonth(table.documents, table.tableName, table.store)).toBe(3);

    const september = await table.store.touchpointPeriodActivity(portal, 'offer', '2026-09');
    expect([september.invitations.map(({ contactId }) => contactId), september.responses.map(({ score }) => score), september.followUps]).toEqual([['101'], [4], []]);
    expect((await table.store.touchpointPeriodActivity(portal, 'offer', '2026-10')).followUps.map(({ dealId }) => dealId)).toEqual(['301']);
    const { Items = [] } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    expect(Items.filter(({ PK }) => PK === oldPartition)).toEqual([]);
    expect(Items.filter(({ PK }) => PK === `P#${portal}#deal#301`)).toHaveLength(2);
    expect(await splitTouchpointPartitionsByMonth(table.documents, table.tableName, table.store)).toBe(0);
  });
});
