/**
 * A backlog of surveys due at once, drained by 1, 4 and 16 senders on the local stack with
 * AWS-like latencies (DynamoDB 3–6 ms a call, SES 50–100 ms a mail) and SES's rate enforced.
 * dynalite and the local SES run in a process of their own (due-store-process.ts), as DynamoDB and SES are elsewhere on AWS.
 * The invitations and timers are written straight through the store (no webhooks), across 20
 * portals, the largest holding half the backlog, all due in the same minute. The minute runs
 * come every real minute, as EventBridge's would.
 *
 * A level stops after `BENCH_DUE_MINUTES` minutes (default 4) if it has not drained: its drain
 * time is then projected from its rate and marked so. `BENCH_DUE_SURVEYS` sets the backlog
 * (default 10,000), `BENCH_DUE_SENDERS` the levels (default `1,4,16`).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TokenSealer } from '../lambdas/hubspot/token-sealer.js';
import { surveyTimerId } from '../lambdas/domain/journey.js';
import { carDealerPortal, carSalesPipelineId } from '../local/demo/car-dealer.js';
import { seedDemoConfiguration } from '../local/demo/seed-app.js';
import { localTokenEncryptionKey } from '../local/stack.js';
import type { PortalSeed } from '../local/hubspot-sandbox/server.js';
import { caughtMails } from '../test/support/local-ses.js';
import { startTestStack } from '../test/support/local-stack.js';
import type { BenchmarkRow } from './measure.js';

const surveys = Number(process.env.BENCH_DUE_SURVEYS ?? 10_000);
const minutesAtMost = Number(process.env.BENCH_DUE_MINUTES ?? 4);
const senderLevels = (process.env.BENCH_DUE_SENDERS ?? '1,4,16').split(',').map(Number);
const portalCount = 20;
/** SES's account rate the local SES enforces: mails per second. */
const maxSendRate = 100;
const minuteMs = 60_000;
const firstBenchPortalId = 7_000_000;

interface BenchPortal {
  seed: PortalSeed;
  contactIds: string[];
}

/** Portal `index`'s share of the backlog: the first holds half, the rest share the other half. */
function benchPortals(): BenchPortal[] {
  const large = Math.round(surveys / 2);
  const small = Math.floor((surveys - large) / (portalCount - 1));
  return Array.from({ length: portalCount }, (_, index) => {
    const portalId = firstBenchPortalId + index;
    const count = index === 0 ? surveys - small * (portalCount - 1) : small;
    const contactIds = Array.from({ length: count }, (_, contact) => String(10_000_000 * (index + 1) + contact));
    const contacts = contactIds.map((id) => ({ id, properties: { email: `buyer-${id}@bench.example`, hs_language: 'da', firstname: `Køber ${id}` } }));
    return { contactIds, seed: { ...carDealerPortal, portalId, hubDomain: `bench-${index}.sandbox.hubspot.invalid`, staticAccessToken: `local-bench-token-${index}`, contacts } };
  });
}

/** bench/due-store-process.ts in a child process: its endpoints, a switch for DynamoDB's latency, and a stop that waits for its exit. */
async function startStoreProcess() {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./due-store-process.ts', import.meta.url)), String(maxSendRate)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const stop = async () => {
    child.stdin.end();
    await exited;
  };
  const { value: line, done } = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (done) {
    await stop();
    throw new Error(`the due bench's store exited (code ${child.exitCode})`);
  }
  return {
    ...(JSON.parse(line as string) as { dynamoEndpoint: string; sesEndpoint: string }),
    latency: (lowMs: number, highMs: number) => void child.stdin.write(`latency ${lowMs} ${highMs}\n`),
    stop,
  };
}

async function drainWith(senders: number, portals: readonly BenchPortal[]): Promise<BenchmarkRow[]> {
  const services = await startStoreProcess();
  const stack = await startTestStack(
    portals.map(({ seed }) => seed),
    // The bench runs the due λ on its own minute, from when the backlog is in place.
    { dynamo: { endpoint: services.dynamoEndpoint }, ses: { endpoint: services.sesEndpoint }, dueWork: { senders }, minuteScheduleMs: 24 * 60 * minuteMs },
  );
  try {
    await fetch(`${stack.info.sesUrl}/clear-store`, { method: 'POST' });
    const sealer = new TokenSealer(localTokenEncryptionKey);
    const dueAt = new Date(Date.now() - minuteMs);
    for (const { seed, contactIds } of portals) {
      await stack.store.saveInstall(seed.portalId, { accessToken: sealer.seal(seed.staticAccessToken!), refreshToken: sealer.seal('unused'), expiresAt: new Date('2099-01-01T00:00:00Z') });
      await seedDemoConfiguration(stack.store, seed.portalId, carSalesPipelineId, sealer, new Date());
      // Written side by side, before the latencies are switched on.
      for (let first = 0; first < contactIds.length; first += 50) {
        await Promise.all(
          contactIds.slice(first, first + 50).map(async (contactId) => {
            const key = { dealId: contactId, touchpointId: 'offer', contactId };
            await stack.store.createInvitation(seed.portalId, { ...key, status: 'scheduled', language: 'da', createdAt: dueAt, sendAt: dueAt });
            await stack.store.setTimer(seed.portalId, { id: surveyTimerId(key.dealId, 'offer', contactId), kind: 'survey', dueAt, ...key });
          }),
        );
      }
    }
    services.latency(3, 6);

    let timedOut = 0;
    stack.dueWorkQueue.onInvocation(({ reason }) => {
      if (reason?.includes('timed out')) timedOut += 1;
    });
    const started = Date.now();
    let sent = 0;
    let minutes = 0;
    // A minute run, then the senders work on until the next minute's run comes.
    while (sent < surveys && minutes < minutesAtMost) {
      const runAt = started + minutes * minuteMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, runAt - Date.now())));
      const drained = stack.runDueAt(new Date());
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, Math.max(0, runAt + minuteMs - Date.now())))]);
      sent = (await caughtMails(stack.info.sesUrl)).length;
      minutes += 1;
      console.error(`  ${senders} senders, minute ${minutes}: ${sent} mails`);
    }
    // A level that did not drain in its minutes is measured over them; what its senders still do is not waited for.
    if (sent >= surveys) await stack.dueWorkQueue.idle();
    const mails = await caughtMails(stack.info.sesUrl);
    const elapsedMs = (mails.length ? Math.max(...mails.map(({ at }) => at * 1000)) + 1000 : Date.now()) - started;
    const perMinute = (mails.length / elapsedMs) * minuteMs;
    const perRecipient = Map.groupBy(mails, ({ destination }) => destination.to.join(','));
    const duplicates = [...perRecipient.values()].reduce((sum, copies) => sum + copies.length - 1, 0);
    const busiestSecond = Math.max(0, ...[...Map.groupBy(mails, ({ at }) => at).values()].map((inSecond) => inSecond.length));
    const largest = portals[0]!.contactIds.length;
    // The local SES keeps mails in the order it took them: the first tenth is the start of the drain.
    const firstTenth = mails.slice(0, Math.ceil(mails.length / 10));
    const largestRecipients = new Set(portals[0]!.contactIds.map((id) => `buyer-${id}@bench.example`));
    const largestShare = firstTenth.filter(({ destination }) => destination.to.some((to) => largestRecipients.has(to))).length / Math.max(1, firstTenth.length);
    const drainedAll = mails.length >= surveys;
    const drainMinutes = drainedAll ? elapsedMs / minuteMs : surveys / perMinute;
    return [
      {
        benchmark: 'due',
        measure: `${senders} sender${senders === 1 ? '' : 's'}: ${surveys} surveys ${drainedAll ? 'drained' : `drained (projected from ${mails.length} sent in ${minutes} min)`} in ${drainMinutes.toFixed(1)} min, ${Math.round(perMinute)} mails a minute; duplicates ${duplicates}; runs killed by timeout ${timedOut}; busiest second ${busiestSecond} mails (SES rate ${maxSendRate}/s); the largest portal (${((largest / surveys) * 100).toFixed(0)} % of the backlog) sent ${(largestShare * 100).toFixed(0)} % of the first tenth of the mail`,
        perSecond: perMinute / 60,
      },
    ];
  } finally {
    await stack.close();
    await services.stop();
  }
}

export async function dueBenchmark(): Promise<BenchmarkRow[]> {
  const portals = benchPortals();
  const rows: BenchmarkRow[] = [];
  for (const senders of senderLevels) rows.push(...(await drainWith(senders, portals)));
  return rows;
}
