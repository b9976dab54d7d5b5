import { createHmac } from 'node:crypto';
import { demoApp, demoPortalId } from '../local/demo/car-dealer.js';
import { startTestStack } from '../test/support/local-stack.js';
import { createBenchDeals } from './bench-deals.js';
import { percentile, type BenchmarkRow } from './measure.js';

/** SOAK_MINUTES overrides the ten minutes (e.g. 1 for a quick look). */
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const batchEveryMs = 200;
const eventsPerBatch = 5;
const stages = ['salesmeeting', 'offersent', 'contractsigned', 'cardelivered', 'testdrive'];

interface Window {
  latencies: number[];
  memoryMb: number;
  heapMb: number;
}

/**
 * A steady webhook rate (25 events/s through the whole local stack) for ten
 * minutes: latency and memory in the first and the last minute. Growth between
 * them would be a leak or a slowdown.
 */
export async function soakBenchmark(): Promise<BenchmarkRow[]> {
  const stack = await startTestStack();
  try {
    const deals = await createBenchDeals(stack, 50);
    const windows: Window[] = [];
    let current: number[] = [];
    let eventId = 50_000_000;
    const endAt = Date.now() + minutes * 60_000;
    let sent = 0;
    const sample = () => {
      const { rss, heapUsed } = process.memoryUsage();
      windows.push({ latencies: current.sort((a, b) => a - b), memoryMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 });
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
      const signature = createHmac('sha256', demoApp.clientSecret).update(`POST${stack.info.webhookUrl}${body}${timestamp}`).digest('base64');
      const before = performance.now();
      const response = await fetch(stack.info.webhookUrl, { method: 'POST', headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body });
      current.push(performance.now() - before);
      if (response.status !== 204) throw new Error(`webhook answered ${response.status}`);
      sent += eventsPerBatch;
      if (Date.now() >= nextSample) {
        sample();
        nextSample += 60_000;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, batchEveryMs - (Date.now() - tick))));
    }
    sample();
    await stack.settled();
    if (stack.queue.dlq().length) throw new Error(`${stack.queue.dlq().length} events dead-lettered during the soak`);
    const first = windows[0]!;
    const last = windows.at(-1)!;
    const row = (label: string, window: Window): BenchmarkRow => ({
      benchmark: 'soak',
      measure: `webhook latency under ${(1000 / batchEveryMs) * eventsPerBatch} events/s, ${label}`,
      p50Ms: percentile(window.latencies, 0.5),
      p99Ms: percentile(window.latencies, 0.99),
      baseline: `rss ${window.memoryMb.toFixed(0)} MB, heap ${window.heapMb.toFixed(0)} MB`,
    });
    return [row('first minute', first), row(`last minute (of ${minutes}; ${sent.toLocaleString('en')} events, none dead-lettered)`, last)];
  } finally {
    await stack.close();
  }
}
