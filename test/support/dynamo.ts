import { randomUUID } from 'node:crypto';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import { ensureTable } from '../../lambdas/store/table.js';
import { startDynalite } from '../../local/services/dynalite.js';

/** dynalite in memory with a fresh table, and the store over it through the real AWS SDK. */
export async function startTestTable(now?: () => Date) {
  const dynamo = await startDynalite();
  const client = createDynamoClient({ endpoint: dynamo.endpoint, region: 'eu-north-1' });
  const tableName = `touchpoints-test-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  const documents = createDocumentClient(client);
  return {
    client,
    documents,
    tableName,
    store: new TouchpointsStore(documents, tableName, now),
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
