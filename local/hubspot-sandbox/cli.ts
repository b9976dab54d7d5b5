/**
 * Plays the salesperson in the running local stack:
 *
 *   npm run sandbox -- list-deals
 *   npm run sandbox -- list-contacts
 *   npm run sandbox -- list-companies
 *   npm run sandbox -- list-tasks
 *   npm run sandbox -- move-deal <dealId> <stageId>
 *   npm run sandbox -- log-activity <dealId> [CALL|EMAIL|MEETING]
 *   npm run sandbox -- uninstall <portalId>
 *
 * It finds the sandbox through `.data/local.json` (written by `npm start`;
 * fields `sandboxUrl`, `portalId`; the folder moves with TOUCHPOINTS_DATA_DIR,
 * as in local/config.ts); `HUBSPOT_SANDBOX_URL` overrides the URL. After a move
 * or a logged activity it asks the local app (`appUrl`) what happens next.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { formatDateTime } from '@touchpoints/contracts';
import { demoPortalId } from '../demo/car-dealer.js';
import { describeNextSteps, NextSteps } from '../demo/next-steps.js';

const localStackFile = resolve(process.env.TOUCHPOINTS_DATA_DIR || '.data', 'local.json');

const LocalStack = z.looseObject({ sandboxUrl: z.string().optional(), portalId: z.coerce.number().int().positive().optional(), appUrl: z.string().optional(), sesUrl: z.string().optional() });

const DealList = z.object({
  portalId: z.number(),
  pipelines: z.array(z.object({ id: z.string(), label: z.string(), stages: z.array(z.object({ id: z.string(), label: z.string() })) })),
  deals: z.array(z.object({
    id: z.string(),
    dealname: z.string().nullable(),
    amount: z.string().nullable(),
    stageId: z.string().nullable(),
    stageLabel: z.string().nullable(),
  })),
});

const ContactList = z.object({
  contacts: z.array(z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), language: z.string().nullable(), companyIds: z.array(z.string()) })),
});

const CompanyList = z.object({
  companies: z.array(z.object({ id: z.string(), name: z.string().nullable(), domain: z.string().nullable(), city: z.string().nullable(), contactIds: z.array(z.string()) })),
});

const TaskList = z.object({
  tasks: z.array(z.object({ id: z.string(), subject: z.string().nullable(), status: z.string().nullable(), dueAt: z.string().nullable(), ownerId: z.string().nullable(), dealIds: z.array(z.string()) })),
});

const DealMove = z.object({
  dealId: z.string(),
  dealName: z.string().optional(),
  fromStageLabel: z.string().optional(),
  toStageLabel: z.string(),
  changed: z.boolean(),
  movedAt: z.string(),
});

const activityTypes = ['CALL', 'EMAIL', 'MEETING'] as const;

const ActivityLog = z.object({
  dealId: z.string(),
  dealName: z.string().optional(),
  type: z.enum(activityTypes),
  activityAt: z.string(),
  contactIds: z.array(z.string()),
  lastContacted: z.string(),
  timesContacted: z.number(),
});

const Uninstall = z.object({
  portalId: z.number(),
  changed: z.boolean(),
  revokedTokens: z.number(),
  journalOffset: z.string().nullable(),
  uninstalledAt: z.string(),
});

/** A message for the person at the terminal; no stack trace. */
class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

const usage = `Usage:
  npm run sandbox -- list-deals
  npm run sandbox -- list-contacts
  npm run sandbox -- list-companies
  npm run sandbox -- list-tasks           (the owners' tasks, such as those a red answer or a missed promise makes)
  npm run sandbox -- move-deal <dealId> <stageId>
  npm run sandbox -- log-activity <dealId> [CALL|EMAIL|MEETING]   (default CALL)
  npm run sandbox -- uninstall <portalId>     (a user uninstalls the app in HubSpot)`;

/** The local app's URLs, when the stack is running (the CLI may drive a sandbox alone, through HUBSPOT_SANDBOX_URL). */
interface AppLocation {
  appUrl: string;
  sesUrl: string;
}

function sandboxLocation(): { url: string; portalId: number; app: AppLocation | undefined } {
  const stack = existsSync(localStackFile) ? LocalStack.safeParse(JSON.parse(readFileSync(localStackFile, 'utf8'))) : undefined;
  if (stack && !stack.success) throw new CliError(`${localStackFile} is not what \`npm start\` writes; restart the local stack.`);
  const url = process.env.HUBSPOT_SANDBOX_URL ?? stack?.data.sandboxUrl;
  if (!url) throw new CliError(`The local stack is not running (no ${localStackFile}). Start it with \`npm start\`, or set HUBSPOT_SANDBOX_URL.`);
  const app = stack?.data.appUrl && stack.data.sesUrl ? { appUrl: stack.data.appUrl, sesUrl: stack.data.sesUrl } : undefined;
  return { url: url.replace(/\/$/, ''), portalId: stack?.data.portalId ?? demoPortalId, app };
}

async function call(sandboxUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(`${sandboxUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new CliError(`The HubSpot sandbox does not answer at ${sandboxUrl}. Is the local stack running (\`npm start\`)?`);
  }
  return { status: response.status, json: await response.json().catch(() => undefined) };
}

async function listDeals(sandboxUrl: string, portalId: number): Promise<z.infer<typeof DealList>> {
  const { status, json } = await call(sandboxUrl, 'GET', `/_sandbox/portals/${portalId}/deals`);
  if (status === 404) throw new CliError(`Portal ${portalId} does not exist in the sandbox at ${sandboxUrl}.`);
  return DealList.parse(json);
}

async function printDeals(sandboxUrl: string, portalId: number): Promise<void> {
  const { deals } = await listDeals(sandboxUrl, portalId);
  console.log(`Deals of portal ${portalId}:`);
  for (const deal of deals) {
    const stage = `${deal.stageLabel ?? '?'} (${deal.stageId ?? '?'})`;
    console.log(`  ${deal.id.padEnd(8)} ${stage.padEnd(34)} ${(deal.amount ?? '').padStart(10)}  ${deal.dealname ?? ''}`);
  }
}

async function printContacts(sandboxUrl: string, portalId: number): Promise<void> {
  const { status, json } = await call(sandboxUrl, 'GET', `/_sandbox/portals/${portalId}/contacts`);
  if (status === 404) throw new CliError(`Portal ${portalId} does not exist in the sandbox at ${sandboxUrl}.`);
  const { contacts } = ContactList.parse(json);
  console.log(`Contacts of portal ${portalId}:`);
  for (const contact of contacts) {
    console.log(`  ${contact.id.padEnd(8)} ${(contact.name ?? '').padEnd(24)} ${(contact.email ?? '(no email)').padEnd(36)} ${(contact.language ?? '').padEnd(3)} company ${contact.companyIds.join(', ') || '–'}`);
  }
}

async function printCompanies(sandboxUrl: string, portalId: number): Promise<void> {
  const { status, json } = await call(sandboxUrl, 'GET', `/_sandbox/portals/${portalId}/companies`);
  if (status === 404) throw new CliError(`Portal ${portalId} does not exist in the sandbox at ${sandboxUrl}.`);
  const { companies } = CompanyList.parse(json);
  console.log(`Companies of portal ${portalId}:`);
  for (const company of companies) {
    console.log(`  ${company.id.padEnd(8)} ${(company.name ?? '').padEnd(28)} ${(company.city ?? '').padEnd(12)} ${(company.domain ?? '').padEnd(32)} contacts ${company.contactIds.join(', ') || '–'}`);
  }
}

async function printTasks(sandboxUrl: string, portalId: number): Promise<void> {
  const { status, json } = await call(sandboxUrl, 'GET', `/_sandbox/portals/${portalId}/tasks`);
  if (status === 404) throw new CliError(`Portal ${portalId} does not exist in the sandbox at ${sandboxUrl}.`);
  const { tasks } = TaskList.parse(json);
  console.log(tasks.length ? `Tasks of portal ${portalId}:` : `Portal ${portalId} has no tasks yet.`);
  for (const task of tasks) {
    const due = task.dueAt ? formatDateTime(task.dueAt, undefined) : 'no due date';
    console.log(`  ${task.id.padEnd(8)} ${(task.status ?? '').padEnd(12)} owner ${(task.ownerId ?? '–').padEnd(7)} deal ${(task.dealIds.join(', ') || '–').padEnd(6)} due ${due}  ${task.subject ?? ''}`);
  }
}

/** What the local app will do about the deal now, once the webhook has been handled. */
async function printNextSteps(app: AppLocation | undefined, dealId: string, since: string): Promise<void> {
  if (!app) return;
  let response: Response;
  try {
    response = await fetch(`${app.appUrl}/local/deals/${encodeURIComponent(dealId)}/next-steps?since=${encodeURIComponent(since)}`);
  } catch {
    console.log(`The local app does not answer at ${app.appUrl}, so nothing more happens.`);
    return;
  }
  if (!response.ok) throw new CliError(`The local app answered ${response.status}: ${await response.text()}`);
  console.log('What happens next:');
  for (const line of describeNextSteps(NextSteps.parse(await response.json()), { dealId, ...app })) console.log(`  ${line}`);
}

async function moveDeal(sandboxUrl: string, portalId: number, app: AppLocation | undefined, dealId: string, stageId: string): Promise<void> {
  const { status, json } = await call(sandboxUrl, 'POST', `/_sandbox/portals/${portalId}/deals/${encodeURIComponent(dealId)}/stage`, { stageId });
  if (status === 404) throw new CliError(`There is no deal ${dealId} in portal ${portalId}. \`npm run sandbox -- list-deals\` shows the deals.`);
  if (status === 400) {
    const { pipelines } = await listDeals(sandboxUrl, portalId);
    const stages = pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => `${stage.id} (${stage.label})`));
    throw new CliError(`"${stageId}" is not a stage of deal ${dealId}'s pipeline. Stages: ${stages.join(', ')}.`);
  }
  if (status !== 200) throw new CliError(`The sandbox answered ${status}: ${JSON.stringify(json)}`);

  const move = DealMove.parse(json);
  const deal = `Deal ${move.dealId}${move.dealName ? ` "${move.dealName}"` : ''}`;
  if (!move.changed) {
    console.log(`${deal} is already in "${move.toStageLabel}"; nothing changed, no webhook sent.`);
    return;
  }
  console.log(`${deal}: ${move.fromStageLabel ?? '(no stage)'} → ${move.toStageLabel}`);
  await printWebhookTarget(sandboxUrl, 'dealstage');
  await printNextSteps(app, move.dealId, move.movedAt);
}

async function logActivity(sandboxUrl: string, portalId: number, app: AppLocation | undefined, dealId: string, type: (typeof activityTypes)[number]): Promise<void> {
  const { status, json } = await call(sandboxUrl, 'POST', `/_sandbox/portals/${portalId}/deals/${encodeURIComponent(dealId)}/log-activity`, { type });
  if (status === 404) throw new CliError(`There is no deal ${dealId} in portal ${portalId}. \`npm run sandbox -- list-deals\` shows the deals.`);
  if (status !== 200) throw new CliError(`The sandbox answered ${status}: ${JSON.stringify(json)}`);

  const log = ActivityLog.parse(json);
  const activity = { CALL: 'a call', EMAIL: 'an email', MEETING: 'a meeting' }[log.type];
  const where = log.contactIds.length === 0
    ? 'the deal (it has no contacts)'
    : `the deal and its contact${log.contactIds.length === 1 ? '' : 's'} ${log.contactIds.join(', ')}`;
  console.log(`Deal ${log.dealId}${log.dealName ? ` "${log.dealName}"` : ''}: logged ${activity} at ${formatDateTime(log.activityAt, undefined)}.`);
  console.log(`Last contacted is now ${formatDateTime(log.lastContacted, undefined)} on ${where}; contacted ${log.timesContacted} time${log.timesContacted === 1 ? '' : 's'} so far.`);
  await printWebhookTarget(sandboxUrl, 'notes_last_contacted');
  await printNextSteps(app, log.dealId, log.activityAt);
}

/** A user uninstalling the app from the portal in HubSpot's UI. */
async function uninstall(sandboxUrl: string, portalId: number): Promise<void> {
  const { status, json } = await call(sandboxUrl, 'POST', `/_sandbox/portals/${portalId}/uninstall`);
  if (status === 404) throw new CliError(`Portal ${portalId} does not exist in the sandbox at ${sandboxUrl}.`);
  if (status !== 200) throw new CliError(`The sandbox answered ${status}: ${JSON.stringify(json)}`);

  const result = Uninstall.parse(json);
  if (!result.changed) {
    console.log(`The app is not installed in portal ${portalId} (already uninstalled); nothing changed, nothing journaled.`);
    return;
  }
  console.log(`Uninstalled the app from portal ${portalId} at ${formatDateTime(result.uninstalledAt, undefined)}; ${result.revokedTokens === 1 ? '1 token of the portal no longer works' : `${result.revokedTokens} tokens of the portal no longer work`}.`);
  console.log(result.journalOffset
    ? `APP_UNINSTALL is in the webhooks journal at offset ${result.journalOffset}.`
    : 'The app has no APP_UNINSTALL (4-1916193) journal subscription, so nothing was journaled.');
}

async function printWebhookTarget(sandboxUrl: string, propertyName: string): Promise<void> {
  const health = await call(sandboxUrl, 'GET', '/_sandbox/health');
  const webhookUrl = z.object({ webhookUrl: z.string().nullable() }).safeParse(health.json).data?.webhookUrl;
  console.log(webhookUrl ? `HubSpot's ${propertyName} webhook goes to ${webhookUrl}.` : 'No webhook URL is configured in the sandbox, so no webhook goes out.');
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'list-deals' && rest.length === 0) {
    const { url, portalId } = sandboxLocation();
    await printDeals(url, portalId);
    return;
  }
  if (command === 'list-contacts' && rest.length === 0) {
    const { url, portalId } = sandboxLocation();
    await printContacts(url, portalId);
    return;
  }
  if (command === 'list-companies' && rest.length === 0) {
    const { url, portalId } = sandboxLocation();
    await printCompanies(url, portalId);
    return;
  }
  if (command === 'list-tasks' && rest.length === 0) {
    const { url, portalId } = sandboxLocation();
    await printTasks(url, portalId);
    return;
  }
  if (command === 'move-deal' && rest.length === 2) {
    const { url, portalId, app } = sandboxLocation();
    await moveDeal(url, portalId, app, rest[0] ?? '', rest[1] ?? '');
    return;
  }
  if (command === 'log-activity' && (rest.length === 1 || rest.length === 2)) {
    const type = activityTypes.find((known) => known === (rest[1] ?? 'CALL').toUpperCase());
    if (!type) throw new CliError(`"${rest[1]}" is not an activity type; use CALL, EMAIL or MEETING.\n\n${usage}`, 2);
    const { url, portalId, app } = sandboxLocation();
    await logActivity(url, portalId, app, rest[0] ?? '', type);
    return;
  }
  if (command === 'uninstall' && rest.length === 1) {
    const portalId = /^\d+$/.test(rest[0] ?? '') ? Number(rest[0]) : Number.NaN;
    if (!Number.isSafeInteger(portalId) || portalId <= 0) throw new CliError(`"${rest[0]}" is not a portal id (a positive number).\n\n${usage}`, 2);
    const { url } = sandboxLocation();
    await uninstall(url, portalId);
    return;
  }
  throw new CliError(usage, command === undefined || command === 'help' || command === '--help' ? 0 : 2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    (error.exitCode === 0 ? console.log : console.error)(error.message);
    process.exitCode = error.exitCode;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
