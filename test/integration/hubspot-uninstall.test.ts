import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { notConnectedMessage } from '@touchpoints/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { carDealerPortal, demoPortalId } from '../../local/demo/car-dealer.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/server.js';
import { hubspotFetchAs, installThroughOAuth, startTestStack, tableSnapshot } from '../support/local-stack.js';

// A second dealer installs Touchpoints, collects data, then uninstalls the app in HubSpot's own UI.
const dealerId = 13572468;
const dealer: PortalSeed = { ...carDealerPortal, portalId: dealerId, hubDomain: 'fjordbilen.sandbox.hubspot.invalid', staticAccessToken: 'local-fjordbilen-token' };
const carDealerTemplate = {
  pipelineId: 'car-sales',
  stageOfStep: { testdrive: 'testdrive', salesmeeting: 'salesmeeting', offersent: 'offersent', contractsigned: 'contractsigned', cardelivered: 'cardelivered' },
};
let stack: Awaited<ReturnType<typeof startTestStack>>;
let minute = Date.now();

/** The due λ's next minute (it reads the journal first). */
const dueRun = () => stack.runDueAt(new Date((minute += 60_000)));

async function itemsOf(portalId: number): Promise<string[]> {
  await stack.settled();
  return (await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).filter((item) => item.includes(`"P#${portalId}`));
}

/** Forgets where the app stopped reading, so the next run reads the whole journal again (a replay). */
async function rewindJournal(): Promise<void> {
  const client = createDynamoClient({ endpoint: stack.info.dynamoEndpoint });
  await createDocumentClient(client).send(new DeleteCommand({ TableName: stack.info.tableName, Key: { PK: 'APP#WEBHOOKS_JOURNAL', SK: 'CURSOR' } }));
  client.destroy();
}

/** The dealer installs, applies the car-dealer template, and a deal moves: settings, touchpoints, invitations, timers. */
async function installWithData(dealId: string): Promise<void> {
  expect((await installThroughOAuth(stack, dealerId)).status).toBe(200);
  expect((await hubspotFetchAs(stack, dealerId, 'POST', '/settings/templates/car-dealer', carDealerTemplate)).status).toBe(200);
  stack.sandbox.moveDeal(dealerId, dealId, 'offersent');
  await stack.settled();
  expect((await itemsOf(dealerId)).length).toBeGreaterThan(10);
}

beforeAll(async () => {
  stack = await startTestStack([dealer]);
  await dueRun(); // the app subscribes to uninstalls on its first run, as on a fresh deployment
  await installWithData('302');
});
afterAll(() => stack.close());

describe('an uninstall started in HubSpot', () => {
  it('leaves no item of the portal within two due runs, and the demo portal untouched', async () => {
    const demoBefore = await itemsOf(demoPortalId);
    const answer = await fetch(`${stack.info.sandboxUrl}/_sandbox/portals/${dealerId}/uninstall`, { method: 'POST' });
    expect(answer.status).toBe(200);
    await dueRun();
    await dueRun();
    expect(await itemsOf(dealerId)).toEqual([]);
    expect(await itemsOf(demoPortalId)).toEqual(demoBefore);
    const settings = await hubspotFetchAs(stack, dealerId, 'GET', '/settings');
    expect(settings.status).toBe(404);
    expect(await settings.json()).toEqual({ message: notConnectedMessage });
  });

  it('changes nothing when the same journal entries are read again', async () => {
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    await rewindJournal();
    await dueRun();
    await dueRun();
    await stack.settled();
    const after = (await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).filter((item) => !item.includes('APP#WEBHOOKS_JOURNAL'));
    expect(after).toEqual(before.filter((item) => !item.includes('APP#WEBHOOKS_JOURNAL')));
  });

  it('does not delete a portal that installed again, when its old uninstall is read again', async () => {
    await installWithData('301');
    const reinstalled = await itemsOf(dealerId);
    await rewindJournal();
    await dueRun();
    expect(await itemsOf(dealerId)).toEqual(reinstalled);
  });

  it('is forgotten again after a second uninstall, this time through the app’s own Disconnect', async () => {
    expect((await hubspotFetchAs(stack, dealerId, 'DELETE', '/settings/install')).status).toBe(204);
    expect(await itemsOf(dealerId)).toEqual([]);
    await dueRun(); // HubSpot journals that uninstall too; reading it finds nothing left to delete
    expect(await itemsOf(dealerId)).toEqual([]);
  });
});
