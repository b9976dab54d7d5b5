/**
 * The soak benchmark's stores, in a process of their own: dynalite in memory,
 * the local SES and the HubSpot sandbox with the car-dealer portal. Their data
 * grows with every event, so keeping them out of the benchmark's process lets
 * it measure the handlers' memory alone.
 *
 * Started by soak.bench.ts with `--expose-gc`. Prints its endpoints as one JSON
 * line on stdout; answers each `memory` line on stdin with one JSON line
 * (`{ rssMb, heapMb }`, after a full GC); stops when stdin ends.
 */
import { Client } from '@hubspot/api-client';
import { createInterface } from 'node:readline';
import { ensureTouchpointsProperties } from '../lambdas/hubspot/writes.js';
import { TokenSealer } from '../lambdas/hubspot/token-sealer.js';
import { createDocumentClient, createDynamoClient } from '../lambdas/store/client.js';
import { TouchpointsStore } from '../lambdas/store/store.js';
import { ensureTable } from '../lambdas/store/table.js';
import { carDealerPortal, carSalesPipelineId, demoAccessToken, demoApp, demoPortalId } from '../local/demo/car-dealer.js';
import { seedDemoConfiguration } from '../local/demo/seed-app.js';
import { startHubSpotSandbox } from '../local/hubspot-sandbox/server.js';
import { startDynalite } from '../local/services/dynalite.js';
import { startLocalSes } from '../local/services/local-ses.js';
import { localTokenEncryptionKey } from '../local/stack.js';

export interface SoakServicesInfo {
  tableName: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  sandboxUrl: string;
  accessToken: string;
}

export interface SoakServicesMemory {
  rssMb: number;
  heapMb: number;
}

const tableName = 'touchpoints-soak';

const dynamo = await startDynalite();
const ses = await startLocalSes();
const dynamoClient = createDynamoClient({ endpoint: dynamo.endpoint });
await ensureTable(dynamoClient, tableName);
await seedDemoConfiguration(new TouchpointsStore(createDocumentClient(dynamoClient), tableName), demoPortalId, carSalesPipelineId, new TokenSealer(localTokenEncryptionKey), new Date());
dynamoClient.destroy();
// No webhook URL: the benchmark posts the webhooks itself.
const sandbox = await startHubSpotSandbox({ ...demoApp, portals: [carDealerPortal] });
await ensureTouchpointsProperties(new Client({ accessToken: demoAccessToken, basePath: sandbox.url }));

const info: SoakServicesInfo = { tableName, dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.endpoint, sandboxUrl: sandbox.url, accessToken: demoAccessToken };
console.log(JSON.stringify(info));

for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'memory') throw new Error(`unknown request ${JSON.stringify(line)}`);
  globalThis.gc!();
  const { rss, heapUsed } = process.memoryUsage();
  const memory: SoakServicesMemory = { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 };
  console.log(JSON.stringify(memory));
}
// stdin ended: the benchmark is done (or gone).
await sandbox.close();
await ses.close();
await dynamo.close();
