import type { Context, ScheduledEvent } from 'aws-lambda';
import { entryPoint, optionalEnv, requiredEnv } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { hubspotAppFromEnvironment, secretFromEnvironment } from '../secrets.js';
import { WebhooksJournal } from '../hubspot/journal.js';
import { AppLifecycle } from '../journeys/app-lifecycle.js';
import { runDueWork, type DueRunReport, type DueWorkPorts } from '../journeys/due-work.js';
import { logger } from '../logger.js';
import { sendRawMail, sesClientFor } from '../mail/send.js';
import { storeFromEnvironment } from '../store/from-environment.js';

/**
 * The once-a-minute schedule: the event's own time is "now", so a late or
 * replayed invocation does the work of its minute, and the local scheduler
 * can run the clock forward in tests. First the uninstalls HubSpot journaled
 * since the last run (so no survey goes out for a portal that left), then the
 * due work; a journal HubSpot cannot serve now is read again next minute and
 * holds up nothing else.
 */
export function createDueHandler(ports: DueWorkPorts & { lifecycle: AppLifecycle }) {
  return async (event: Pick<ScheduledEvent, 'time'>, _context?: Context): Promise<DueRunReport> => {
    const now = new Date(event.time);
    if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a usable time: ${JSON.stringify(event.time)}`);
    const lifecycle = await ports.lifecycle.follow().catch((error: unknown) => {
      logger.error('app lifecycle not read', { error: (error as Error).message });
      return undefined;
    });
    if (lifecycle?.forgotten.length) logger.info('portals uninstalled in HubSpot and forgotten', { portalIds: lifecycle.forgotten });
    const report = await runDueWork({ ...ports, now: () => now }, now);
    logger.info('due run', { ...report, journalEntries: lifecycle?.entries });
    return report;
  };
}

export async function dueHandlerFromEnvironment() {
  const store = storeFromEnvironment();
  const ses = sesClientFor(optionalEnv('SES_ENDPOINT'));
  const configurationSetName = optionalEnv('SES_CONFIGURATION_SET');
  const journal = new WebhooksJournal({ app: await hubspotAppFromEnvironment(), basePath: optionalEnv('HUBSPOT_API_BASE_PATH') });
  return createDueHandler({
    store,
    lifecycle: new AppLifecycle({ journal, store }),
    hubspot: await hubspotClientsFromEnvironment(store),
    sendMail: (raw) => sendRawMail(ses, raw, configurationSetName ? { configurationSetName } : undefined),
    surveyBaseUrl: requiredEnv('PUBLIC_API_URL'),
    surveyTokenSecret: await secretFromEnvironment('SURVEY_TOKEN_SECRET'),
    now: () => new Date(),
  });
}

export const handler = entryPoint(dueHandlerFromEnvironment);
