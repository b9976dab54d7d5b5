/**
 * `npm run demo -- customers [count]`: adds generated customers to the running
 * local stack's demo portal (found through `.data/local.json`), so the report
 * has a few hundred journeys to analyse. Open http://127.0.0.1:4000/preview/report after.
 *
 * `npm run demo -- bounce <email>` / `complain <email>`: the last mail the local SES sent to
 * that address bounces for good, or its reader marks it as spam; the running stack's bounces λ
 * gets the event as SNS would deliver it, and the contact gets no more surveys or reminders.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import type { LocalStackInfo } from '../config.js';
import { generateDemoCustomers } from './generate-customers.js';

const usage = 'Usage: npm run demo -- customers [count 1–10000]\n       npm run demo -- bounce <email>\n       npm run demo -- complain <email>';
const [command, argument] = process.argv.slice(2);
const feedbackKinds: Record<string, 'bounce' | 'complaint'> = { bounce: 'bounce', complain: 'complaint' };
const count = Number(argument ?? '300');
const isCustomers = command === 'customers' && Number.isInteger(count) && count >= 1 && count <= 10_000;
const feedbackKind = command ? feedbackKinds[command] : undefined;
if (!isCustomers && !(feedbackKind && argument)) {
  console.error(usage);
  process.exit(2);
}
let info: LocalStackInfo;
try {
  info = JSON.parse(await readFile(resolve(process.env.TOUCHPOINTS_DATA_DIR || '.data', 'local.json'), 'utf8')) as LocalStackInfo;
} catch {
  console.error('The local stack is not running: start it with npm start first.');
  process.exit(1);
}
if (feedbackKind) {
  const response = await fetch(`${info.appUrl}/local/mail-feedback/${feedbackKind}?to=${encodeURIComponent(argument!)}`, { method: 'POST' });
  const answer = (await response.json()) as { outcomes?: string[]; message?: string };
  if (!response.ok) {
    console.error(answer.message ?? `The local stack answered ${response.status}.`);
    process.exit(1);
  }
  console.log(`SES ${feedbackKind === 'bounce' ? 'bounced' : 'reported a complaint about'} the last mail to ${argument}: ${answer.outcomes?.join(', ')}.`);
} else {
  const client = createDynamoClient({ endpoint: info.dynamoEndpoint });
  const answers = await generateDemoCustomers(new TouchpointsStore(createDocumentClient(client), info.tableName), info.portalId, count, new Date());
  client.destroy();
  console.log(`Added ${count} customers with ${answers} answers to portal ${info.portalId}. See ${info.appUrl}/preview/report`);
}
