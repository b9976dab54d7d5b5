import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { entryPoint, optionalEnv, requiredEnv, type Clock, systemClock } from '../config.js';
import { hubspotClientsFromEnvironment } from '../hubspot/clients.js';
import { hubspotAppFromEnvironment, secretFromEnvironment } from '../secrets.js';
import { doDueWork, type DueRunReport, type DueWorkPorts } from '../journeys/due-work.js';
import { PacedMailSender } from '../journeys/paced-mail.js';
import { defaultBackoff } from '../hubspot/backoff.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import { mailSenderFromEnvironment, sesClientFor } from '../mail/send.js';
import { cachedSendQuota } from '../mail/send-quota.js';
import { enqueueEvents } from '../queue/events-queue.js';
import { dueWorkIn } from '../queue/due-work-queue.js';
import { storeFromEnvironment } from '../store/from-environment.js';

/** Lambda's answer, with what the invocation did (Lambda reads only `batchItemFailures`; the local stack adds the reports up). */
export type DueSenderResponse = SQSBatchResponse & { report: DueRunReport };

/**
 * The due work queue's consumer, a sender: each record one handed-out timer, the batch worked as
 * a whole (one portal context per portal). Unreadable records and timers it had no time left for
 * are `batchItemFailures` (SQS hands them out again); a failed timer is not: it went back into the index.
 */
export function createDueSenderHandler(ports: DueWorkPorts) {
  return async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DueSenderResponse> => {
    const { work, unreadable } = dueWorkIn(event.Records);
    for (const { messageId, error } of unreadable) logger.error('unreadable due work message', { messageId, error });
    const { report, notTaken } = await doDueWork(ports, work, { remainingMs: () => context.getRemainingTimeInMillis() });
    logger.info('due work done', { ...report });
    count('SurveysSent', report.surveysSent);
    count('RemindersSent', report.remindersSent);
    count('MissedFollowUps', report.missedFollowUps);
    count('AnswersSettled', report.answersSettled);
    count('DueTimersFailed', report.failed);
    count('DueTimersLeftForLater', report.leftForLater);
    return { batchItemFailures: [...unreadable, ...notTaken].map(({ messageId }) => ({ itemIdentifier: messageId })), report };
  };
}

export async function dueSenderHandlerFromEnvironment(now: Clock = systemClock) {
  const store = storeFromEnvironment();
  const [app, surveyTokenSecret] = await Promise.all([hubspotAppFromEnvironment(), secretFromEnvironment('SURVEY_TOKEN_SECRET')]);
  const sqs = new SQSClient({ endpoint: optionalEnv('SQS_ENDPOINT') });
  const eventsQueueUrl = requiredEnv('EVENTS_QUEUE_URL');
  const sendMail = mailSenderFromEnvironment();
  const senders = Number(requiredEnv('DUE_SENDERS'));
  if (!Number.isInteger(senders) || senders < 1) throw new Error(`DUE_SENDERS is not a number of senders: ${process.env.DUE_SENDERS}`);
  const ses = cachedSendQuota(sesClientFor(optionalEnv('SES_ENDPOINT')));
  const mail = new PacedMailSender({ sendMail, sendQuota: ses, senders, sleep: defaultBackoff.sleep, nowMs: () => performance.now() });
  return createDueSenderHandler({
    store,
    hubspot: await hubspotClientsFromEnvironment(store, app),
    sendMail,
    sendPacedMail: (raw, run) => mail.send(raw, run),
    surveyBaseUrl: requiredEnv('PUBLIC_API_URL'),
    surveyTokenSecret,
    announceAnswer: (event) => enqueueEvents(sqs, eventsQueueUrl, [event]),
    now,
  });
}

export const handler = entryPoint(dueSenderHandlerFromEnvironment);
