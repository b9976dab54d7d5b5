import type { SQSEvent } from 'aws-lambda';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eventsHandlerFromEnvironment } from '../lambdas/handlers/events.js';
import { webhookHandlerFromEnvironment } from '../lambdas/handlers/webhook.js';
import { demoApp, demoPortalId } from '../local/demo/car-dealer.js';
import { startGateway } from '../local/gateway.js';
import { startLocalSqs, type SqsConsumer } from '../local/services/sqs-queue.js';
import { localFunctionEnvironment } from '../local/stack.js';
import { createBenchDeals } from './bench-deals.js';
import { percentile, type BenchmarkRow } from './measure.js';
import type { SoakServicesInfo, SoakServicesMemory } from './soak-services.js';

/** SOAK_MINUTES overrides the ten minutes (e.g. 1 for a quick look). */
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const batchEveryMs = 200;
const eventsPerBatch = 5;
const stages = ['salesmeeting', 'offersent', 'contractsigned', 'cardelivered', 'testdrive'];

// A full GC before each sample, so heapUsed is what is still referenced rather than what awaits collection.
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

interface Window {
  latencies: number[];
  handlersRssMb: number;
  handlersHeapMb: number;
  stores: SoakServicesMemory;
}

/** bench/soak-services.ts in a child process: its endpoints, its memory on request, and a stop that waits for its exit. */
async function startSoakServices() {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--expose-gc', fileURLToPath(new URL('./soak-services.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`soak services exited (code ${child.exitCode}, signal ${child.signalCode})`);
    return value;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  try {
    const info = JSON.parse(await nextLine()) as SoakServicesInfo;
    return {
      info,
      async memory(): Promise<SoakServicesMemory> {
        child.stdin.write('memory\n');
        return JSON.parse(await nextLine()) as SoakServicesMemory;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A steady webhook rate (25 events/s) for ten minutes: latency and memory in
 * the first and the last minute. Growth between them would be a leak or a
 * slowdown. This process runs only what runs on Lambda (the webhook and events
 * λ) and the thin local glue (gateway, in-flight queue); the stores, whose data
 * rightly grows, run in a child process and are reported apart.
 */
export async function soakBenchmark(): Promise<BenchmarkRow[]> {
  const services = await startSoakServices();
  try {
    return await soakFunctions(services);
  } finally {
    await services.stop();
  }
}

/** The webhook and events λ behind the gateway and the local queue, against the services, under the soak's load. */
async function soakFunctions(services: Awaited<ReturnType<typeof startSoakServices>>): Promise<BenchmarkRow[]> {
  // The events λ is built once the queue URL it is configured with exists.
  let consumeEvents: (event: SQSEvent) => ReturnType<SqsConsumer> = async () => {
    throw new Error('events λ not ready');
  };
  const queue = await startLocalSqs({ consumer: (event) => consumeEvents(event) });
  const gateway = await startGateway({});
  try {
    Object.assign(
      process.env,
      localFunctionEnvironment({
        tableName: services.info.tableName,
        dynamoEndpoint: services.info.dynamoEndpoint,
        sesEndpoint: services.info.sesEndpoint,
        sqsEndpoint: queue.endpoint,
        eventsQueueUrl: queue.queueUrl,
        sandboxUrl: services.info.sandboxUrl,
        appUrl: gateway.url,
      }),
    );
    consumeEvents = await eventsHandlerFromEnvironment();
    gateway.addRoutes([{ method: 'POST', path: '/webhooks/hubspot', functionName: 'webhook', handler: await webhookHandlerFromEnvironment() }]);
    const webhookUrl = `${gateway.url}/webhooks/hubspot`;

    const deals = await createBenchDeals(services.info, 50);
    const windows: Window[] = [];
    let current: number[] = [];
    let eventId = 50_000_000;
    const endAt = Date.now() + minutes * 60_000;
    let sent = 0;
    const sample = async () => {
      fullGc();
      const { rss, heapUsed } = process.memoryUsage();
      windows.push({ latencies: current.sort((a, b) => a - b), handlersRssMb: rss / 2 ** 20, handlersHeapMb: heapUsed / 2 ** 20, stores: await services.memory() });
      current = [];
    };
    let nextSample = Date.now() + 60_000;
    while (Date.now() < endAt) {
      const tick = Date.now();
      const events = Array.from({ length: eventsPerBatch }, (_, index) => {
        const deal = deals[(sent + index) % deals.length]!;
        return {
          eventId: eventId++,
          subscriptionId: 4_100_001,
          portalId: demoPortalId,
          appId: demoApp.appId,
          occurredAt: Date.now(),
          subscriptionType: 'object.propertyChange',
          objectId: Number(deal.dealId),
          objectTypeId: '0-3',
          propertyName: 'dealstage',
          propertyValue: stages[Math.floor(sent / deals.length) % stages.length]!,
        };
      });
      const body = JSON.stringify(events);
      const timestamp = String(Date.now());
      const signature = createHmac('sha256', demoApp.clientSecret).update(`POST${webhookUrl}${body}${timestamp}`).digest('base64');
      const before = performance.now();
      const response = await fetch(webhookUrl, { method: 'POST', headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body });
      current.push(performance.now() - before);
      if (response.status !== 204) throw new Error(`webhook answered ${response.status}`);
      sent += eventsPerBatch;
      if (Date.now() >= nextSample) {
        await sample();
        nextSample += 60_000;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, batchEveryMs - (Date.now() - tick))));
    }
    await sample();
    await queue.idle();
    if (queue.dlq().length) throw new Error(`${queue.dlq().length} events dead-lettered during the soak`);
    const first = windows[0]!;
    const last = windows.at(-1)!;
    const row = (label: string, window: Window): BenchmarkRow => ({
      benchmark: 'soak',
      measure: `webhook latency under ${(1000 / batchEveryMs) * eventsPerBatch} events/s, ${label}`,
      p50Ms: percentile(window.latencies, 0.5),
      p99Ms: percentile(window.latencies, 0.99),
      baseline:
        `handlers: heap ${window.handlersHeapMb.toFixed(0)} MB after GC, rss ${window.handlersRssMb.toFixed(0)} MB; ` +
        `stores (own process): rss ${window.stores.rssMb.toFixed(0)} MB, heap ${window.stores.heapMb.toFixed(0)} MB`,
    });
    return [row('first minute', first), row(`last minute (of ${minutes}; ${sent.toLocaleString('en')} events, none dead-lettered)`, last)];
  } finally {
    await gateway.close();
    await queue.close();
  }
}
