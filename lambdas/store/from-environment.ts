import { optionalEnv, requiredEnv } from '../config.js';
import { createDocumentClient, createDynamoClient } from './client.js';
import { TouchpointsStore } from './store.js';

/** The store as every function gets it: table from TABLE_NAME, endpoint only locally. */
export function storeFromEnvironment(): TouchpointsStore {
  const client = createDynamoClient({ endpoint: optionalEnv('DYNAMODB_ENDPOINT') });
  return new TouchpointsStore(createDocumentClient(client), requiredEnv('TABLE_NAME'));
}
