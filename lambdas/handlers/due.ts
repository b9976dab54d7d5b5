import type { Context, ScheduledEvent } from 'aws-lambda';
import { entryPoint, optionalEnv, requiredEnv } from '../config.js';
import { hubspotAppFromEnvironment } from '../secrets.js';
import { WebhooksJournal } from '../hubspot/journal.js';
import { AppLifecycle } from '../journeys/app-lifecycle.js';
import { handOutDueWork, type DueHandOutPorts, type DueRunReport } from '../journeys/due-work.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import { sesClientFor } from '../mail/send.js';
import { cachedSendQuota } from '../mail/send-quota.js';
import { sqsDueWorkQueue } from '../queue/due-work-queue.js';
import { senderIdentitiesFromEnvironment, sharedSenderDomainsFromEnvironment } from '../mail/sender-identities.js';
import { storeFromEnvironment } from '../store/from-environment.js';

/** The journal's share of a run (of the λ's 60 s): it stops taking entries after this, and the due work starts. */
const defaultJournalBudgetMs = 20_000;

/**
 * The once-a-minute schedule: the event's own time is "now", so a late or
 * replayed invocation does the work of its minute, and the local scheduler
 * can run the clock forward in tests. First the uninstalls HubSpot journaled
 * since the last run, so nothing is sent or written for a portal that left;
 * then the due timers are handed out to the senders (due-sender.ts). A journal
 * HubSpot cannot serve is read again next minute: after its budget the due
 * work starts whatever the journal does.
 */
export function createDueHandler(ports: DueHandOutPorts & { lifecycle: AppLifecycle; journalBudgetMs?: number }) {
  const journalBudgetMs = ports.journalBudgetMs ?? defaultJournalBudgetMs;
  return async (event: Pick<ScheduledEvent, 'time'>, _context?: Context): Promise<DueRunReport> => {
    const now = new Date(event.time);
    if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a usable time: ${JSON.stringify(event.time)}`);
    const lifecycle = await ports.lifecycle.followWithin(journalBudgetMs);
    const report = await handOutDueWork(ports, now);
    logger.info('due run', { timersRead: report.timersRead, handedOut: report.handedOut, paused: report.paused, skipped: report.skipped, failed: report.failed, journalEntries: lifecycle?.entries });
    count('DueTimersHandedOut', report.handedOut);
    count('DueTimersFailed', report.failed);
    return report;
  };
}

export async function dueHandlerFromEnvironment() {
  const store = storeFromEnvironment();
  const app = await hubspotAppFromEnvironment();
  const journal = new WebhooksJournal({ app, basePath: optionalEnv('HUBSPOT_API_BASE_PATH') });
  return createDueHandler({
    store,
    lifecycle: new AppLifecycle({ journal, store }),
    identities: senderIdentitiesFromEnvironment(),
    sharedSenderDomains: sharedSenderDomainsFromEnvironment(),
    dueWork: sqsDueWorkQueue(requiredEnv('DUE_WORK_QUEUE_URL')),
    sendQuota: cachedSendQuota(sesClientFor(optionalEnv('SES_ENDPOINT'))),
  });
}

export const handler = entryPoint(dueHandlerFromEnvironment);
