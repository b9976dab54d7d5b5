import { Client } from '@hubspot/api-client';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalSettings } from '@touchpoints/contracts';
import type { LocalStackInfo } from '../../local/config.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { startLocalStack, type LocalStackOptions } from '../../local/stack.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { keys } from '../../lambdas/store/keys.js';
import { timerShard } from '../../lambdas/store/store.js';
import { routeKey, routesByHandler } from '../../lambdas/routes.js';

let dataDir: string;
let options: LocalStackOptions;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'touchpoints-stack-'));
  options = { appPort: 0, sandboxPort: 0, sesPort: 0, dynamoPort: 0, dataDir, tableName: 'touchpoints-local', persist: true };
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the local stack', () => {
  it('serves /healthz, seeds the demo and writes local.json for other tools', async () => {
    const stack = await startLocalStack(options);
    try {
      const health = await fetch(`${stack.info.appUrl}/healthz`);
      expect(health.status).toBe(200);
      const written = JSON.parse(await readFile(join(dataDir, 'local.json'), 'utf8')) as LocalStackInfo;
      expect(written).toEqual(stack.info);
      expect((await stack.store.listTouchpoints(demoPortalId)).map(({ value }) => value.id)).toEqual([
        'contract',
        'delivery',
        'lost-deal',
        'offer',
        'sales-meeting',
        'test-drive',
      ]);
      const hubspot = new Client({ accessToken: written.accessToken, basePath: written.sandboxUrl });
      const pipelines = await hubspot.crm.pipelines.pipelinesApi.getAll('deals');
      expect(pipelines.results.map(({ id }) => id)).toContain('car-sales');
    } finally {
      await stack.close();
    }
  });

  it('serves exactly the API routes the CDK stack deploys (the one route table), each by the same function, plus its local-only UI host and tester routes', async () => {
    const stack = await startLocalStack(options);
    try {
      const api = Object.entries(routesByHandler).flatMap(([name, routes]) => routes.map((route) => `${routeKey(route)} → ${name}`));
      expect(api).toHaveLength(19);
      // Local only: the UI host (local/ui-host/), the home page, and the tester's routes (npm run demo -- bounce, advance).
      const localOnly = (route: string) => route.endsWith('→ ui-host') || route === 'GET / → home' || / \/local\//.test(route);
      expect(stack.gateway.routes().filter((route) => !localOnly(route)).sort()).toEqual(api.sort());
      expect(stack.gateway.routes()).toEqual(
        expect.arrayContaining([
          'POST /local/mail-feedback/{kind} → bounces',
          'GET / → home',
          'POST /local/clock → clock',
          'GET /local/deals/{dealId}/next-steps → demo',
          'GET /ui/record/{objectType}/{objectId} → ui-host',
          'GET /ui/settings → ui-host',
        ]),
      );
    } finally {
      await stack.close();
    }
  });

  it('keeps the table and the sandbox’s CRM across a restart, and does not re-seed over an admin’s change', async () => {
    const first = await startLocalStack(options);
    const current = await first.store.getSettings(demoPortalId);
    const edited = PortalSettings.parse({ ...current!.value, reminderAfterDays: 9 });
    await first.store.saveSettings(demoPortalId, edited, { expectedVersion: current!.version, changedBy: 'admin' });
    first.sandbox.moveDeal(demoPortalId, '301', 'salesmeeting');
    await first.close();

    const second = await startLocalStack(options);
    try {
      expect(second.seeded.created).toBe(0);
      expect((await second.store.getSettings(demoPortalId))?.value.reminderAfterDays).toBe(9);
      const hubspot = new Client({ accessToken: second.info.accessToken, basePath: second.info.sandboxUrl });
      const deal = await hubspot.crm.deals.basicApi.getById('301', ['dealstage']);
      expect(deal.properties.dealstage).toBe('salesmeeting');
    } finally {
      await second.close();
    }
  });

  it('keeps the demo clock’s offset across a restart and shows it on the home page', async () => {
    const first = await startLocalStack(options);
    const advanced = await fetch(`${first.info.appUrl}/local/clock`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: 'advance=1d3h' });
    expect(advanced.status).toBe(200);
    await first.close();

    const second = await startLocalStack(options);
    try {
      expect(second.clock.offsetMs).toBe(27 * 3_600_000);
      expect(second.clock.nowMs() - Date.now()).toBeGreaterThanOrEqual(27 * 3_600_000);
      expect(await (await fetch(`${second.info.appUrl}/`)).text()).toContain('(1d3h ahead of this machine)');
    } finally {
      await second.close();
    }
  });

  it('moves timers a table from before the due-time index kept under minute buckets, so none is lost', async () => {
    const first = await startLocalStack(options);
    const timer = { id: 'survey-399-offer-9999', kind: 'survey', dueAt: '2026-11-26T09:41:00.000Z', dealId: '399', touchpointId: 'offer', contactId: '9999' };
    const client = createDynamoClient({ endpoint: first.info.dynamoEndpoint });
    await createDocumentClient(client).send(
      new PutCommand({
        TableName: options.tableName,
        Item: { ...keys.timer(demoPortalId, timer.id), GSI1PK: `DUE#2026-11-26T09:41#${timerShard(timer.id)}`, GSI1SK: `${timer.dueAt}#${timer.id}`, portalId: demoPortalId, ...timer },
      }),
    );
    client.destroy();
    await first.close();

    const second = await startLocalStack(options);
    try {
      const due = await second.store.dueTimers(timerShard(timer.id), new Date(timer.dueAt), 100);
      expect(due.filter(({ id }) => id === timer.id)).toEqual([{ ...timer, dueAt: new Date(timer.dueAt), portalId: demoPortalId }]);
    } finally {
      await second.close();
    }
  });
});
