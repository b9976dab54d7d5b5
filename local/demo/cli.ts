/**
 * `npm run demo -- customers [count]`: adds generated customers to the running
 * local stack's demo portal (found through `.data/local.json`), so the report
 * has a few hundred journeys to analyse. Open http://127.0.0.1:4000/preview/report after.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import type { LocalStackInfo } from '../config.js';
import { generateDemoCustomers } from './generate-customers.js';

const [command, countText = '300'] = process.argv.slice(2);
const count = Number(countText);
if (command !== 'customers' || !Number.isInteger(count) || count < 1 || count > 10_000) {
  console.error('Usage: npm run demo -- customers [count 1–10000]');
  process.exit(2);
}
let info: LocalStackInfo;
try {
  info = JSON.parse(await readFile(resolve(process.env.TOUCHPOINTS_DATA_DIR || '.data', 'local.json'), 'utf8')) as LocalStackInfo;
} catch {
  console.error('The local stack is not running: start it with npm start first.');
  process.exit(1);
}
const client = createDynamoClient({ endpoint: info.dynamoEndpoint });
const answers = await generateDemoCustomers(new TouchpointsStore(createDocumentClient(client), info.tableName), info.portalId, count, new Date());
client.destroy();
console.log(`Added ${count} customers with ${answers} answers to portal ${info.portalId}. See ${info.appUrl}/preview/report`);
