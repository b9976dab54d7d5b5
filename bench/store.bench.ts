import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { Invitation } from '../lambdas/domain/journey.js';
import { keys } from '../lambdas/store/keys.js';
import { startTestTable } from '../test/support/dynamo.js';
import { timeSequential, type BenchmarkRow } from './measure.js';

/**
 * The store over dynalite: invitations written and listed through
 * TouchpointsStore, beside raw BatchWriteItem against the same server.
 */
export async function storeBenchmark(): Promise<BenchmarkRow[]> {
  const table = await startTestTable();
  try {
    const portalId = 24681357;
    const invitation = (index: number): Invitation => ({
      dealId: String(1000 + (index % 50)),
      touchpointId: 'offer',
      contactId: String(index),
      status: 'scheduled',
      language: 'da',
      createdAt: new Date(),
    });
    const writes = await timeSequential(1000, (index) => table.store.createInvitation(portalId, invitation(index)));
    const reads = await timeSequential(500, (index) => table.store.listInvitations(portalId, String(1000 + (index % 50))));

    const batches = 100;
    const rawStarted = performance.now();
    for (let batch = 0; batch < batches; batch += 1) {
      await table.documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [table.tableName]: Array.from({ length: 25 }, () => ({
              PutRequest: { Item: { ...keys.invitation(portalId, 'raw', 'offer', randomUUID()), status: 'scheduled' } },
            })),
          },
        }),
      );
    }
    const rawItemsPerSecond = ((batches * 25) / (performance.now() - rawStarted)) * 1000;

    return [
      { benchmark: 'store', measure: 'createInvitation (conditional put)', p50Ms: writes.p50, p99Ms: writes.p99, perSecond: writes.perSecond, baseline: `raw BatchWriteItem ${rawItemsPerSecond.toFixed(0)} items/s` },
      { benchmark: 'store', measure: 'listInvitations (one Query, 20 items)', p50Ms: reads.p50, p99Ms: reads.p99, perSecond: reads.perSecond },
      { benchmark: 'store', measure: 'raw BatchWriteItem, 25 items a call', perSecond: rawItemsPerSecond },
    ];
  } finally {
    await table.close();
  }
}
