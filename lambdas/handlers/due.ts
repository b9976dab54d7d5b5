import type { Context, ScheduledEvent } from 'aws-lambda';
import { entryPoint, optionalEnv, requiredEnv } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { secretFromEnvironment } from '../secrets.js';
import { runDueWork, type DueRunReport, type DueWorkPorts } from '../journeys/due-work.js';
import { logger } from '../logger.js';
import { sendRawMail, sesClientFor } from '../mail/send.js';
import { storeFromEnvironment } from '../store/from-environment.js';

/**
 * The once-a-minute schedule: the event's own time is "now", so a late or
 * replayed invocation does the work of its minute, and the local scheduler
 * can run the clock forward in tests.
 */
export function createDueHandler(ports: DueWorkPorts) {
  return async (event: Pick<ScheduledEvent, 'time'>, _context?: Context): Promise<DueRunReport> => {
    const now = new Date(event.time);
    if (Number.isNaN(now.getTime())) throw new Error(`scheduled event without a usable time: ${JSON.stringify(event.time)}`);
    const report = await runDueWork({ ...ports, now: () => now }, now);
    logger.info('due run', { ...report });
    return report;
  };
}

export async function dueHandlerFromEnvironment() {
  const store = storeFromEnvironment();
  const ses = sesClientFor(optionalEnv('SES_ENDPOINT'));
  const configurationSetName = optionalEnv('SES_CONFIGURATION_SET');
  return createDueHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store),
    sendMail: (raw) => sendRawMail(ses, raw, configurationSetName ? { configurationSetName } : undefined),
    surveyBaseUrl: requiredEnv('PUBLIC_API_URL'),
    surveyTokenSecret: await secretFromEnvironment('SURVEY_TOKEN_SECRET'),
    now: () => new Date(),
  });
}

export const handler = entryPoint(dueHandlerFromEnvironment);
