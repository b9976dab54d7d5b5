/**
 * Drives the running local stack (found through `.data/local.json`):
 *
 *   npm run demo -- advance <30m|3h|2d>      moves the stack's clock forward and runs the due work
 *                                            as of then: surveys, reminders, promise deadlines
 *   npm run demo -- customers [count]        adds new customers to the demo portal on every run: a
 *                                            contact and a delivered deal each in the sandbox, and
 *                                            their answers, so the report has a few hundred
 *                                            journeys to analyse and their cards can be opened
 *   npm run demo -- verify-sender <domain>   tells the local SES that the sender domain's DNS
 *                                            records are in place: it is verified, and the
 *                                            portal's paused surveys go in the next due run
 *   npm run demo -- bounce <email>           the last mail the local SES sent to that address
 *   npm run demo -- complain <email>         bounces for good, or its reader marks it as spam:
 *                                            the stack's bounces λ gets the event as SNS would
 *                                            deliver it, and the contact gets no more surveys
 *                                            or reminders
 */
import { Client } from '@hubspot/api-client';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import type { LocalStackInfo } from '../config.js';
import type { DueRunReport } from '../../lambdas/journeys/due-work.js';
import { formatDuration, parseDuration } from '../demo-clock.js';
import { generateDemoCustomers } from './generate-customers.js';
import { utcTime } from './next-steps.js';

const usage = [
  'Usage: npm run demo -- advance <duration: 30m, 3h, 2d, 1h30m>',
  '       npm run demo -- customers [count 1–10000]',
  '       npm run demo -- verify-sender <domain>',
  '       npm run demo -- bounce <email>',
  '       npm run demo -- complain <email>',
].join('\n');
const [command, argument] = process.argv.slice(2);
const feedbackKinds: Record<string, 'bounce' | 'complaint'> = { bounce: 'bounce', complain: 'complaint' };

async function runningStack(): Promise<LocalStackInfo> {
  try {
    return JSON.parse(await readFile(resolve(process.env.TOUCHPOINTS_DATA_DIR || '.data', 'local.json'), 'utf8')) as LocalStackInfo;
  } catch {
    console.error('The local stack is not running: start it with npm start first.');
    process.exit(1);
  }
}

/** The stack's answer as JSON, or its message and exit 1 when it refused. */
async function answerOf<Answer>(response: Response): Promise<Answer> {
  const answer = (await response.json()) as Answer & { message?: string };
  if (!response.ok) {
    console.error(answer.message ?? `The local stack answered ${response.status}.`);
    process.exit(1);
  }
  return answer;
}

const feedbackKind = command ? feedbackKinds[command] : undefined;
if (command === 'advance' && argument && parseDuration(argument) !== undefined) {
  const info = await runningStack();
  const answer = await answerOf<{ now: string; offsetMs: number; report: DueRunReport }>(
    await fetch(`${info.appUrl}/local/clock`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ advance: argument }) }),
  );
  const { report } = answer;
  console.log(`The stack's clock is now ${utcTime(answer.now)}, ${formatDuration(answer.offsetMs)} ahead of this machine; the due work ran as of then.`);
  console.log(`Sent ${report.surveysSent} survey${report.surveysSent === 1 ? '' : 's'} and ${report.remindersSent} reminder${report.remindersSent === 1 ? '' : 's'}; ${report.missedFollowUps} promise${report.missedFollowUps === 1 ? '' : 's'} missed; ${report.answersSettled} answer${report.answersSettled === 1 ? '' : 's'} settled.`);
  console.log(`Mail: ${info.sesUrl}   Home page: ${info.appUrl}/`);
} else if (command === 'customers') {
  const count = Number(argument ?? '300');
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    console.error(usage);
    process.exit(2);
  }
  const info = await runningStack();
  const client = createDynamoClient({ endpoint: info.dynamoEndpoint });
  const hubspot = new Client({ accessToken: info.accessToken, basePath: info.sandboxUrl });
  const now = new Date();
  // A new seed each run, so the customers added now answer differently from the last ones.
  const added = await generateDemoCustomers(new TouchpointsStore(createDocumentClient(client), info.tableName), hubspot, info.portalId, count, now, now.getTime() >>> 0);
  client.destroy();
  const range = (ids: string[]) => (ids.length === 1 ? ids[0] : `${ids[0]}–${ids.at(-1)}`);
  console.log(`Added ${count} customer${count === 1 ? '' : 's'} to portal ${info.portalId} and ${added.lost} who chose another dealer: contacts ${range(added.contactIds)} and deals ${range(added.dealIds)} (${count} delivered, ${added.lost} lost) in the sandbox, with ${added.answers} answers.`);
  console.log(`The first one's card: ${info.appUrl}/ui/record/deal/${added.dealIds[0]}   The report: ${info.appUrl}/ui/settings (Report tab)`);
} else if (command === 'verify-sender' && argument) {
  const info = await runningStack();
  await answerOf(await fetch(`${info.sesUrl}/identities/${encodeURIComponent(argument)}/verify`, { method: 'POST' }));
  console.log(`${argument} is verified in the local SES; its portal's surveys go in the next due run (within a few minutes).`);
} else if (feedbackKind && argument) {
  const info = await runningStack();
  const answer = await answerOf<{ outcomes?: string[] }>(await fetch(`${info.appUrl}/local/mail-feedback/${feedbackKind}?to=${encodeURIComponent(argument)}`, { method: 'POST' }));
  console.log(`SES ${feedbackKind === 'bounce' ? 'bounced' : 'reported a complaint about'} the last mail to ${argument}: ${answer.outcomes?.join(', ')}.`);
} else {
  console.error(usage);
  process.exit(2);
}
