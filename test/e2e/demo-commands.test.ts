import { Client } from '@hubspot/api-client';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack.js';
import { mailsTo } from '../support/local-ses.js';

// The commands a user types, as child processes, against a stack that finds them through local.json.
let dataDir: string;
let stack: Awaited<ReturnType<typeof startLocalStack>>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'touchpoints-demo-commands-'));
  stack = await startLocalStack({ appPort: 0, sandboxPort: 0, sesPort: 0, dynamoPort: 0, dataDir, tableName: 'touchpoints-local', persist: true });
});
afterAll(async () => {
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function npmRun(script: 'sandbox' | 'demo', ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', script, '--', ...args], { env: { ...process.env, TOUCHPOINTS_DATA_DIR: dataDir } });
  return stdout;
}

describe('npm run sandbox and npm run demo against the running stack', () => {
  it('lists deals with their stage ids, contacts with their emails and companies with their contacts', async () => {
    const [deals, contacts, companies] = await Promise.all([npmRun('sandbox', 'list-deals'), npmRun('sandbox', 'list-contacts'), npmRun('sandbox', 'list-companies')]);
    expect(deals).toMatch(/^ {2}303 +Offer sent \(offersent\) +415000 {2}Toyota RAV4 Hybrid – Ingrid Haugen$/m);
    expect(contacts).toMatch(/^ {2}101 +Anders Jensen +anders\.jensen@example\.dk +da +company 201$/m);
    expect(contacts).toMatch(/^ {2}108 +Jonas Madsen +\(no email\) +da +company 203$/m);
    expect(companies).toMatch(/^ {2}201 +Fjordvej Tømrer ApS +Aalborg +fjordvej-tomrer\.example\.dk +contacts 101, 112$/m);
  }, 30_000);

  it('after move-deal says when the survey goes and how to get there, and advance by that sends it within the command', async () => {
    const moved = await npmRun('sandbox', 'move-deal', '301', 'salesmeeting');
    const advanceBy = moved.match(/Anders Jensen's survey "Sales meeting" goes at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in (\w+)\): npm run demo -- advance \1, then read it at (\S+)/);
    expect(advanceBy?.slice(1)).toEqual(['2h', stack.info.sesUrl]);
    expect(moved).toContain(`Promise "Deal reaches Offer sent within 2 days" is due at`);
    expect(moved).toContain(`The card shows it: ${stack.info.appUrl}/ui/record/deal/301`);
    expect(await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk')).toHaveLength(0);

    const advanced = await npmRun('demo', 'advance', advanceBy![1]!);

    expect(advanced).toMatch(/^The stack's clock is now \d{4}-\d\d-\d\d \d\d:\d\d UTC, 2h ahead of this machine; the due work ran as of then\.$/m);
    expect(advanced).toContain('Sent 1 survey and 0 reminders;');
    expect(await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk')).toHaveLength(1);
  }, 30_000);

  it('after log-activity says the promise the call kept', async () => {
    // The car dealer promises contact within 7 days of the contract.
    const signed = await npmRun('sandbox', 'move-deal', '303', 'contractsigned');
    expect(signed).toMatch(/^ {2}Promise "A sales activity is logged within 7 days" is due at .* \(in 7d\)/m);

    const logged = await npmRun('sandbox', 'log-activity', '303', 'CALL');

    expect(logged).toMatch(/^ {2}Promise "A sales activity is logged within 7 days" was kept at \d{4}-\d\d-\d\d \d\d:\d\d UTC/m);
  }, 30_000);

  it('lists the owners’ tasks: the one a missed promise made, once the clock passed its deadline', async () => {
    expect(await npmRun('sandbox', 'list-tasks')).not.toContain('Missed follow-up: Deal reaches Offer sent within 2 days');
    await npmRun('demo', 'advance', '2d'); // deal 301's promise of an offer within 2 days falls due unkept
    expect(await npmRun('sandbox', 'list-tasks')).toMatch(/^ {2}\d+ +NOT_STARTED +owner 61001 +deal 301 +due .+ {2}Missed follow-up: Deal reaches Offer sent within 2 days$/m);
  }, 30_000);

  it('adds new customers as sandbox deals and contacts on every run, and says which', async () => {
    const hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
    const dealsBefore = (await hubspot.crm.deals.basicApi.getPage(100)).results.length;

    const first = await npmRun('demo', 'customers', '3');
    const second = await npmRun('demo', 'customers', '3');

    const ids = (output: string) => output.match(/contacts (\d+)–(\d+) and deals (\d+)–(\d+) \(3 delivered, 1 lost\) in the sandbox, with (\d+) answers/)?.slice(1).map(Number);
    const [firstIds, secondIds] = [ids(first), ids(second)];
    expect(first).toMatch(/^Added 3 customers to portal 24681357 and 1 who chose another dealer: /);
    expect(secondIds![0]).toBeGreaterThan(firstIds![1]!);
    const deals = (await hubspot.crm.deals.basicApi.getPage(100, undefined, ['dealstage'])).results;
    expect(deals.length - dealsBefore).toBe(8);
    // The delivered deals come first, each with its six invitations; the lost one last, asked up to the offer.
    const stageOf = (dealId: number) => deals.find(({ id }) => Number(id) === dealId)?.properties.dealstage;
    expect([stageOf(secondIds![2]!), stageOf(secondIds![3]!)]).toEqual(['cardelivered', 'closedlost']);
    expect(await stack.store.listInvitations(stack.info.portalId, String(secondIds![2]))).toHaveLength(6);
    const lostAsked = (await stack.store.listInvitations(stack.info.portalId, String(secondIds![3]))).map(({ touchpointId }) => touchpointId);
    expect(lostAsked.filter((touchpointId) => touchpointId !== 'lost-deal')).toEqual(['offer', 'sales-meeting', 'test-drive']); // and, for most, why they chose another dealer
    expect(await stack.store.getDealOutcome(stack.info.portalId, String(secondIds![3]))).toMatchObject({ outcome: 'lost' });
  }, 60_000);
});
