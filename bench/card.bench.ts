import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHmac } from 'node:crypto';
import { createCardHandler } from '../lambdas/handlers/card.js';
import { TokenSealer } from '../lambdas/hubspot/token-sealer.js';
import { keys } from '../lambdas/store/keys.js';
import { carSalesPipelineId, demoApp, demoPortalId } from '../local/demo/car-dealer.js';
import { seedDemoActivity, seedDemoConfiguration } from '../local/demo/seed-app.js';
import { startTestTable } from '../test/support/dynamo.js';
import { timeSequential, type BenchmarkRow } from './measure.js';

const publicApiUrl = 'https://api.touchpoints.example';
const tableSizes = [1_000, 100_000, 1_000_000];

/** A signed hubspot.fetch request for deal 303's card, as API Gateway hands it to the λ. */
function signedCardEvent(): APIGatewayProxyEventV2 {
  const rawQueryString = `objectType=deal&objectId=303&userId=71003&userEmail=sofie.lund%40bilhuset.example&appId=${demoApp.appId}&portalId=${demoPortalId}`;
  const timestamp = String(Date.now());
  const signedUrl = `${publicApiUrl}/card?${rawQueryString.replace('%40', '@')}`;
  const signature = createHmac('sha256', demoApp.clientSecret).update(`GET${signedUrl}${timestamp}`).digest('base64');
  return {
    rawPath: '/card',
    rawQueryString,
    queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)),
    headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    requestContext: { http: { method: 'GET' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** Other customers' answers: spread over a thousand portals, ten records each, like a busy table. */
async function fillWithOtherCustomers(table: Awaited<ReturnType<typeof startTestTable>>, from: number, to: number): Promise<void> {
  const item = (index: number) => ({
    ...keys.response(1_000_000 + (index % 1000), { objectType: 'deal', objectId: String(index % 10_000) }, String(index), 'offer', String(index)),
    score: (index % 10) + 1,
    answeredAt: new Date(0).toISOString(),
  });
  const pending: Promise<unknown>[] = [];
  for (let start = from; start < to; start += 25) {
    const batch = Array.from({ length: Math.min(25, to - start) }, (_, offset) => ({ PutRequest: { Item: item(start + offset) } }));
    pending.push(table.documents.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch } })));
    if (pending.length === 8) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

/** Card λ latency as the table grows with other customers' data: it should stay flat (one Query). */
export async function cardBenchmark(): Promise<BenchmarkRow[]> {
  const table = await startTestTable();
  try {
    await seedDemoConfiguration(table.store, demoPortalId, carSalesPipelineId, new TokenSealer('bench-key'), new Date());
    await seedDemoActivity(table.store, demoPortalId, new Date());
    const handler = createCardHandler({ store: table.store, now: () => new Date(), clientSecret: demoApp.clientSecret, publicApiUrl });
    const rows: BenchmarkRow[] = [];
    // Warm the container (config cache, connections, JIT) so the first size is not charged for it.
    for (let warm = 0; warm < 200; warm += 1) await handler(signedCardEvent());
    let filled = 0;
    for (const size of tableSizes) {
      const started = performance.now();
      await fillWithOtherCustomers(table, filled, size);
      console.error(`  filled to ${size} items in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      filled = size;
      const latency = await timeSequential(1000, async () => {
        const response = await handler(signedCardEvent());
        if (response.statusCode !== 200) throw new Error(`card λ answered ${response.statusCode}: ${response.body}`);
      });
      // The raw-store baseline: the same one Query on deal 303's partition, without signature, config or card building.
      const raw = await timeSequential(1000, () =>
        table.documents.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.record(demoPortalId, { objectType: 'deal', objectId: '303' }).PK } })),
      );
      rows.push({
        benchmark: 'card',
        measure: `card λ, deal 303, ${size.toLocaleString('en')} other items in the table`,
        p50Ms: latency.p50,
        p99Ms: latency.p99,
        perSecond: latency.perSecond,
        baseline: `raw Query of the partition p50 ${raw.p50.toFixed(2)} ms, ${raw.perSecond.toFixed(0)}/s`,
      });
    }
    const first = rows[0]!;
    const last = rows.at(-1)!;
    last.baseline = `${last.baseline}; p50 largest/smallest ${(last.p50Ms! / first.p50Ms!).toFixed(2)}, p99 ${(last.p99Ms! / first.p99Ms!).toFixed(2)}`;
    return rows;
  } finally {
    await table.close();
  }
}
