import type { Context, ScheduledEvent } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { entryPoint, optionalEnv, requiredEnv } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { hubspotAppFromEnvironment, secretFromEnvironment } from '../secrets.js';
import { WebhooksJournal } from '../hubspot/journal.js';
import { AppLifecycle } from '../journeys/app-lifecycle.js';
import { runDueWork, type DueRunReport, type DueWorkPorts } from '../journeys/due-work.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import { mailSenderFromEnvironment } from '../mail/send.js';
import { enqueueEvents } from '../queue/events-queue.js';
import { senderIdentitiesFromEnvironment, sharedSenderDomainsFromEnvironment } from '../mail/sender-identities.js';
import { storeFromEnvironment } from '../store/from-environment.js';

/** The journal's share of a run (of the λ's 60 s): it stops taking entries after this, and the due work starts. */
const defaultJournalBudgetMs = 20_000;

/**
 * The once-a-minute schedule: the event's own time is "now", so a late or
 * replayed invocation does the work of its minute, and the local scheduler
 * can run the clock forward in tests. First the uninstalls HubSpot journaled
 * since the last run, so nothing is sent or written for a portal that left;
 * then the due work. A journal HubSpot cannot serve is read again next
 * minute: after its budget the due work starts whatever the journal does.
 */
export function createDueHandler(ports: DueWorkPorts & { lifecycle: AppLifecycle; journalBudgetMs?: number }) {
  const journalBudgetMs = ports.journalBudgetMs ?? defaultJournalBudgetMs;
  return async (event: Pick<ScheduledEvent, 'time'>, _context?: Context): Promise<DueRunReport> => {
    const now = new Date(event.time);
    if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a usable time: ${JSON.stringify(event.time)}`);
    const lifecycle = await ports.lifecycle.followWithin(journalBudgetMs);
    const report = await runDueWork({ ...ports, now: () => now }, now);
    logger.info('due run', { ...report, journalEntries: lifecycle?.entries });
    count('SurveysSent', report.surveysSent);
    count('RemindersSent', report.remindersSent);
    count('MissedFollowUps', report.missedFollowUps);
    count('AnswersSettled', report.answersSettled);
    count('DueTimersFailed', report.failed);
    return report;
  };
}

export async function dueHandlerFromEnvironment() {
  const store = storeFromEnvironment();
  const [app, surveyTokenSecret] = await Promise.all([hubspotAppFromEnvironment(), secretFromEnvironment('SURVEY_TOKEN_SECRET')]);
  const journal = new WebhooksJournal({ app, basePath: optionalEnv('HUBSPOT_API_BASE_PATH') });
  const sqs = new SQSClient({ endpoint: optionalEnv('SQS_ENDPOINT') });
  const eventsQueueUrl = requiredEnv('EVENTS_QUEUE_URL');
  return createDueHandler({
    store,
    lifecycle: new AppLifecycle({ journal, store }),
    hubspot: await hubspotClientsFromEnvironment(store, app),
    sendMail: mailSenderFromEnvironment(),
    identities: senderIdentitiesFromEnvironment(),
    sharedSenderDomains: sharedSenderDomainsFromEnvironment(),
    surveyBaseUrl: requiredEnv('PUBLIC_API_URL'),
    surveyTokenSecret,
    announceAnswer: (event) => enqueueEvents(sqs, eventsQueueUrl, [event]),
    now: () => new Date(),
  });
}

export const handler = entryPoint(dueHandlerFromEnvironment);
