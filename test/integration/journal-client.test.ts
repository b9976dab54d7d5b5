import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBackoff } from '../../lambdas/hubspot/backoff.js';
import { WebhooksJournal } from '../../lambdas/hubspot/journal.js';
import { carDealerPortal, demoApp } from '../../local/demo/car-dealer.js';
import { startHubSpotSandbox } from '../../local/hubspot-sandbox/server.js';

let sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>>;
beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ ...demoApp, portals: [carDealerPortal] });
});
afterAll(() => sandbox.close());

const journal = () => new WebhooksJournal({ app: demoApp, basePath: sandbox.url, callTimeoutMs: 200, backoff: { ...defaultBackoff, attempts: 3, sleep: async () => undefined } });

describe('the webhooks journal client against a journal that holds a call', () => {
  it('gives up a silent call at its limit and tries again, so one held request costs one retry', async () => {
    const client = journal();
    await client.ensureUninstallSubscription();
    sandbox.faults.add({ pathPattern: '^/webhooks-journal/journal/', status: 'timeout', times: 1, timeoutMs: 1_000 });
    expect(await client.next(undefined)).toBeUndefined(); // nothing journaled yet: 204 on the second try
    expect(sandbox.faults.fired()).toBe(1);
  });

  it('reads the uninstall a user makes in HubSpot', async () => {
    const client = journal();
    await client.ensureUninstallSubscription();
    sandbox.uninstallApp(carDealerPortal.portalId);
    const entry = await client.next(undefined);
    expect(entry?.events).toEqual([{ action: 'uninstall', portalId: carDealerPortal.portalId, occurredAt: expect.any(Date) }]);
    expect(await client.next(entry!.offset)).toBeUndefined();
  });
});
