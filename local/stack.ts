import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { Client } from '@hubspot/api-client';
import appMeta from '../crm-app/src/app/app-hsmeta.json' with { type: 'json' };
import { mkdir, writeFile } from 'node:fs/promises';
import { WebhooksJournal } from '../lambdas/hubspot/journal.js';
import { TokenSealer } from '../lambdas/hubspot/token-sealer.js';
import { ensureTouchpointsProperties } from '../lambdas/hubspot/writes.js';
import { join } from 'node:path';
import { createDocumentClient, createDynamoClient } from '../lambdas/store/client.js';
import { TouchpointsStore } from '../lambdas/store/store.js';
import { ensureTable } from '../lambdas/store/table.js';
import type { LocalConfig, LocalStackInfo } from './config.js';
import { carSalesPipelineId, demoAccessToken, demoApp, demoPortalId } from './demo/car-dealer.js';
import { demoPortalSeed } from './demo/stage-histories.js';
import { stageHistoryRequest } from '../lambdas/journeys/stage-visits.js';
import { enqueueEvents } from '../lambdas/queue/events-queue.js';
import { demoSender, saveDemoInstall, seedDemoActivity, seedDemoConfiguration } from './demo/seed-app.js';
import { senderDomainOf } from '../lambdas/domain/sender-domain.js';
import { bouncesHandlerFromEnvironment } from '../lambdas/handlers/bounces.js';
import { cardHandlerFromEnvironment } from '../lambdas/handlers/card.js';
import { dueHandlerFromEnvironment } from '../lambdas/handlers/due.js';
import { eventsHandlerFromEnvironment } from '../lambdas/handlers/events.js';
import { oauthHandlerFromEnvironment } from '../lambdas/handlers/oauth.js';
import { reportHandlerFromEnvironment } from '../lambdas/handlers/report.js';
import { settingsHandlerFromEnvironment } from '../lambdas/handlers/settings.js';
import { routesByHandler, type ApiHandlerName } from '../lambdas/routes.js';
import { withMetrics } from '../lambdas/metrics.js';
import { surveyHandlerFromEnvironment } from '../lambdas/handlers/survey.js';
import { webhookHandlerFromEnvironment } from '../lambdas/handlers/webhook.js';
import { startGateway, type HttpHandler } from './gateway.js';
import { mailFeedbackRoute, sendMailFeedback, type LocalMailFeedback, type MailFeedbackKind } from './mail-feedback.js';
import { reindexMinuteBucketTimers, splitTouchpointPartitionsByMonth } from './migrations.js';
import { DemoClock } from './demo-clock.js';
import { demoRoutes } from './demo-routes.js';
import { startMinuteScheduler } from './scheduler.js';
import { uiHostRoutes } from './ui-host/routes.js';
import { startHubSpotSandbox, type HubSpotSandboxOptions, type PortalSeed } from './hubspot-sandbox/server.js';
import { startDynalite } from './services/dynalite.js';
import { startLocalSes, type LocalSesOptions } from './services/local-ses.js';
import { lambdaInstances } from './lambda-instances.js';
import { startLocalSqs, type LocalLambdaContext, type LocalSqsOptions, type SqsConsumer } from './services/sqs-queue.js';
import { dueSenderHandlerFromEnvironment, type DueSenderResponse } from '../lambdas/handlers/due-sender.js';
import { addDueRunReport, emptyDueRunReport, type DueRunReport } from '../lambdas/journeys/due-work.js';
import { dueWorkBatchSize } from '../lambdas/queue/due-work-queue.js';

/** Signs the local stack's survey links; AWS reads its own from Secrets Manager. */
export const localSurveyTokenSecret = 'local-survey-token-secret-not-for-production';
/** Seals the local stack's stored OAuth tokens; AWS reads its own from Secrets Manager. */
export const localTokenEncryptionKey = 'local-token-encryption-key-not-for-production';

/** Where the local services listen, as the functions' environment names them. */
export interface LocalServiceEndpoints {
  tableName: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  sqsEndpoint: string;
  eventsQueueUrl: string;
  /** The due work queue and its senders' maximum concurrency (where the due λ and its senders run). */
  dueWork?: { queueUrl: string; senders: number };
  sandboxUrl: string;
  /** The gateway's URL: the public API URL webhooks are signed for and survey links point at. */
  appUrl: string;
}

/** The same environment the CDK stack gives the functions on AWS, pointing at the local services. */
export function localFunctionEnvironment(endpoints: LocalServiceEndpoints): Record<string, string> {
  return {
    TABLE_NAME: endpoints.tableName,
    DYNAMODB_ENDPOINT: endpoints.dynamoEndpoint,
    SES_ENDPOINT: endpoints.sesEndpoint,
    // The demo's domain stands for the operator's own (`-c senderDomain`, verified by the stack): every portal may send from it.
    SHARED_SENDER_DOMAINS: senderDomainOf(demoSender.email),
    SQS_ENDPOINT: endpoints.sqsEndpoint,
    EVENTS_QUEUE_URL: endpoints.eventsQueueUrl,
    ...(endpoints.dueWork ? { DUE_WORK_QUEUE_URL: endpoints.dueWork.queueUrl, DUE_SENDERS: String(endpoints.dueWork.senders) } : {}),
    HUBSPOT_API_BASE_PATH: endpoints.sandboxUrl,
    HUBSPOT_CLIENT_ID: demoApp.clientId,
    HUBSPOT_CLIENT_SECRET: demoApp.clientSecret,
    TOKEN_ENCRYPTION_KEY: localTokenEncryptionKey,
    HUBSPOT_AUTHORIZE_URL: `${endpoints.sandboxUrl}/oauth/authorize`,
    HUBSPOT_SCOPES: appMeta.config.auth.requiredScopes.join(' '),
    PUBLIC_API_URL: endpoints.appUrl,
    SURVEY_TOKEN_SECRET: localSurveyTokenSecret,
    AWS_REGION: process.env.AWS_REGION || 'eu-north-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
  };
}

export interface LocalStackOptions extends LocalConfig {
  /** Keep the data in `dataDir` across restarts (npm start); tests run in memory. */
  persist: boolean;
  sandbox?: Pick<HubSpotSandboxOptions, 'webhookRetryDelaysMs' | 'webhookBatchWindowMs' | 'now'>;
  queue?: Pick<LocalSqsOptions, 'visibilityTimeoutMs' | 'maxReceiveCount' | 'batchWindowMs'>;
  /** More HubSpot portals in the sandbox beside the demo (tests of several installs). */
  extraPortals?: readonly PortalSeed[];
  /** Unset (npm start): a sender domain stays pending until `npm run demo -- verify-sender <domain>`. */
  ses?: Pick<LocalSesOptions, 'verifyDomainsAfterMs'> & { endpoint?: string };
  /** A DynamoDB endpoint already running elsewhere (a benchmark's own process), used instead of starting dynalite; `ses.endpoint` likewise. */
  dynamo?: { endpoint: string };
  /** The senders of due work: how many run side by side (the sender λ's maximum concurrency), and their timeout. */
  dueWork?: { senders?: number; consumerTimeoutMs?: number };
  /** How often the due λ runs by itself (default every minute); a benchmark that runs it on its own clock sets it longer. */
  minuteScheduleMs?: number;
}

/** The senders' maximum concurrency unless set, as `-c dueSenders` defaults in cdk. */
export const localDueSenders = 4;

/**
 * Everything `npm start` runs, in one process: dynalite, the local SES, the
 * HubSpot sandbox with the demo portal, and the gateway serving the handlers.
 */
export async function startLocalStack(options: LocalStackOptions) {
  if (options.persist) await mkdir(options.dataDir, { recursive: true });
  // The one clock of every λ, the sandbox and the scheduler; `npm run demo -- advance` moves it on.
  const clock = await DemoClock.load(options.persist ? join(options.dataDir, 'clock.json') : undefined);
  const dynamo = options.dynamo?.endpoint
    ? { endpoint: options.dynamo.endpoint, close: async () => undefined }
    : await startDynalite({ port: options.dynamoPort, path: options.persist ? join(options.dataDir, 'dynamodb') : undefined });
  const ses = options.ses?.endpoint
    ? { endpoint: options.ses.endpoint, close: async () => undefined }
    : await startLocalSes({
        ...options.ses,
        port: options.sesPort,
        statePath: options.persist ? join(options.dataDir, 'ses-identities.json') : undefined,
        mailPath: options.persist ? join(options.dataDir, 'ses-mails.json') : undefined,
      });
  // The demo's sender domain has its DNS records in place, so `npm start` sends surveys out of the box (a local SES run elsewhere sees to it itself).
  if ('identities' in ses) ses.identities.addVerifiedDomain(senderDomainOf(demoSender.email));

  const dynamoClient = createDynamoClient({ endpoint: dynamo.endpoint });
  await ensureTable(dynamoClient, options.tableName);
  const documents = createDocumentClient(dynamoClient);
  const store = new TouchpointsStore(documents, options.tableName);
  if (options.persist) {
    const moved = await reindexMinuteBucketTimers(documents, options.tableName, store);
    if (moved) console.log(`Moved ${moved} timers kept under the old minute-bucket index to the due-time index.`);
    const split = await splitTouchpointPartitionsByMonth(documents, options.tableName, store);
    if (split) console.log(`Moved ${split} answers, invitation copies and follow-ups into their touchpoints' month partitions.`);
  }
  // The demo portal installs the app now (first start, or after an uninstall below): as an install does, it asks for its stage history.
  let demoInstalls = !(await store.getInstall(demoPortalId));
  const seeded = await seedDemoConfiguration(store, demoPortalId, carSalesPipelineId, new TokenSealer(localTokenEncryptionKey), clock.now());
  seeded.created += (await seedDemoActivity(store, demoPortalId, clock.now())).created;

  // The events λ is built below, once the URLs it is configured with exist.
  let consumeEvents: (event: SQSEvent) => ReturnType<SqsConsumer> = async () => {
    throw new Error('events λ not ready');
  };
  const queue = await startLocalSqs({ ...options.queue, consumer: (event) => consumeEvents(event) });
  // The senders, built below too; each invocation's report goes to the due runs waiting on it (runDueAt).
  let consumeDueWork: (event: SQSEvent, context: LocalLambdaContext) => Promise<DueSenderResponse> = async () => {
    throw new Error('due sender λ not ready');
  };
  const dueRunsWaiting = new Set<DueRunReport>();
  const dueSenders = options.dueWork?.senders ?? localDueSenders;
  const dueWorkQueue = await startLocalSqs({
    queueName: 'touchpoints-due-work',
    batchSize: dueWorkBatchSize,
    maxConcurrency: dueSenders,
    ...(options.dueWork?.consumerTimeoutMs === undefined ? {} : { consumerTimeoutMs: options.dueWork.consumerTimeoutMs }),
    visibilityTimeoutMs: options.queue?.visibilityTimeoutMs ?? 1_000,
    batchWindowMs: options.queue?.batchWindowMs ?? 20,
    consumer: async (event, context) => {
      const response = await consumeDueWork(event, context);
      for (const report of dueRunsWaiting) addDueRunReport(report, response.report);
      return response;
    },
  });
  const gateway = await startGateway({ port: options.appPort });
  const sandbox = await startHubSpotSandbox({
    ...demoApp,
    now: clock.nowMs,
    ...options.sandbox,
    port: options.sandboxPort,
    portals: [demoPortalSeed, ...(options.extraPortals ?? [])],
    statePath: options.persist ? join(options.dataDir, 'hubspot-sandbox.json') : undefined,
  });

  // A demo portal uninstalled in an earlier session (npm run sandbox -- uninstall) installs the app
  // again, through the OAuth code exchange as a real portal would: the demo needs its app.
  if (!sandbox.isAppInstalled(demoPortalId)) {
    await new Client({ basePath: sandbox.url }).oauth.tokensApi.create('authorization_code', sandbox.installCodeFor(demoPortalId), undefined, demoApp.clientId, demoApp.clientSecret);
    await saveDemoInstall(store, demoPortalId, new TokenSealer(localTokenEncryptionKey), clock.now());
    demoInstalls = true;
  }
  // As a deployment's first due run would: the app subscribes to uninstalls, so one made in the
  // sandbox before the first minute's run is journaled too.
  await new WebhooksJournal({ app: demoApp, basePath: sandbox.url }).ensureUninstallSubscription();
  // What an install does in a real portal: the "Touchpoints" property group and properties.
  await ensureTouchpointsProperties(new Client({ accessToken: demoAccessToken, basePath: sandbox.url }));

  Object.assign(
    process.env,
    localFunctionEnvironment({
      tableName: options.tableName,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      sqsEndpoint: queue.endpoint,
      eventsQueueUrl: queue.queueUrl,
      dueWork: { queueUrl: dueWorkQueue.queueUrl, senders: dueSenders },
      sandboxUrl: sandbox.url,
      appUrl: gateway.url,
    }),
  );
  // Each invocation writes its metrics to the log, as on AWS (lambdas/config.ts entryPoint).
  consumeEvents = withMetrics(await eventsHandlerFromEnvironment(clock.now));
  if (demoInstalls) {
    // Read a page per event by the events λ (lambdas/journeys/stage-visits.ts); the stack is ready once the report has the demo's past.
    const sqs = new SQSClient({ endpoint: queue.endpoint });
    await enqueueEvents(sqs, queue.queueUrl, [stageHistoryRequest(demoPortalId, clock.now())]);
    sqs.destroy();
    await queue.idle();
  }
  // Senders side by side are instances of their own, each with its own pace, as on Lambda.
  consumeDueWork = await lambdaInstances(dueSenders, async () => withMetrics(await dueSenderHandlerFromEnvironment(clock.now)));
  const [survey, settings, webhook, card, due, oauth, report, bounces] = await Promise.all([
    surveyHandlerFromEnvironment(clock.now),
    settingsHandlerFromEnvironment(clock.now),
    webhookHandlerFromEnvironment(clock.now),
    cardHandlerFromEnvironment(clock.now),
    dueHandlerFromEnvironment(),
    oauthHandlerFromEnvironment(clock.now),
    reportHandlerFromEnvironment(clock.now),
    bouncesHandlerFromEnvironment(),
  ]);
  // SES's bounces and complaints: on AWS through the configuration set's SNS topic, here on demand.
  const mailFeedback: LocalMailFeedback = { sesUrl: ses.endpoint, surveyTokenSecret: localSurveyTokenSecret, bounces: withMetrics(bounces), now: clock.now };
  const handlers: Record<ApiHandlerName, HttpHandler> = {
    webhook: withMetrics(webhook),
    survey: withMetrics(survey),
    card: withMetrics(card),
    report: withMetrics(report),
    settings: withMetrics(settings),
    oauth: withMetrics(oauth),
  };
  gateway.addRoutes([
    // The API's routes from the one table the CDK stack reads too.
    ...Object.entries(routesByHandler).flatMap(([name, routes]) =>
      routes.map(({ method, path }) => ({ method, path, functionName: name, handler: handlers[name as ApiHandlerName] })),
    ),
    { method: 'POST', path: '/local/mail-feedback/{kind}', functionName: 'bounces', handler: mailFeedbackRoute(mailFeedback) },
    // The app's real card and settings page in a browser (local only; local/ui-host/).
    ...uiHostRoutes({ sandbox, portalId: demoPortalId, appId: demoApp.appId, appUrl: () => gateway.url }),
  ]);
  const scheduler = startMinuteScheduler(withMetrics(due), { now: clock.now, ...(options.minuteScheduleMs === undefined ? {} : { everyMs: options.minuteScheduleMs }) });
  /** One minute's due run and the senders' work on what it handed out (and on what comes back to the queue meanwhile). */
  const runDueAt = async (at: Date): Promise<DueRunReport> => {
    const worked = emptyDueRunReport();
    dueRunsWaiting.add(worked);
    try {
      const handedOut = await scheduler.runAt(at);
      await dueWorkQueue.idle();
      return addDueRunReport(worked, handedOut);
    } finally {
      dueRunsWaiting.delete(worked);
    }
  };
  const services = { appUrl: gateway.url, sandboxUrl: sandbox.url, sesUrl: ses.endpoint, dynamoEndpoint: dynamo.endpoint };
  const settled = async () => {
    await sandbox.webhooks.idle();
    await queue.idle();
  };
  gateway.addRoutes(
    demoRoutes({ clock, runDueAt, settled, store, portalId: demoPortalId, urls: () => services, tableName: options.tableName, dataDir: options.persist ? options.dataDir : undefined }),
  );
  sandbox.webhookUrl = `${gateway.url}/webhooks/hubspot`;

  const info: LocalStackInfo = {
    appUrl: gateway.url,
    webhookUrl: `${gateway.url}/webhooks/hubspot`,
    sandboxUrl: sandbox.url,
    sesUrl: ses.endpoint,
    dynamoEndpoint: dynamo.endpoint,
    tableName: options.tableName,
    portalId: demoPortalId,
    appId: demoApp.appId,
    clientId: demoApp.clientId,
    clientSecret: demoApp.clientSecret,
    accessToken: demoAccessToken,
  };
  if (options.persist) await writeFile(join(options.dataDir, 'local.json'), `${JSON.stringify(info, null, 2)}\n`);

  return {
    info,
    store,
    sandbox,
    gateway,
    queue,
    seeded,
    /** One run of the due λ as if the minute schedule fired at `at` (tests run the clock forward), and its senders' work. */
    runDueAt,
    /** The due work queue the senders consume. */
    dueWorkQueue,
    /** The stack's time; `advance` moves it on as `npm run demo -- advance` does. */
    clock,
    /** SES's hard bounce or complaint for the last mail sent to `address`, through the bounces λ as SNS delivers it. */
    mailFeedback: (kind: MailFeedbackKind, address: string) => sendMailFeedback(mailFeedback, kind, address),
    /** Every webhook delivered and every queued event processed (or dead-lettered). */
    settled,
    async close() {
      // Stop the sources of work first, the stores last.
      await sandbox.close();
      await scheduler.stop();
      await gateway.close();
      await queue.close();
      await dueWorkQueue.close();
      await ses.close();
      dynamoClient.destroy();
      await dynamo.close();
    },
  };
}
