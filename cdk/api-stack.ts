import appMeta from '../crm-app/src/app/app-hsmeta.json' with { type: 'json' };
import { eventReceivesBeforeDeadLetter } from '../lambdas/queue/events-queue.js';
import { dueWorkBatchSize, dueWorkReceivesBeforeDeadLetter } from '../lambdas/queue/due-work-queue.js';
import { dueWorkLeaseMs } from '../lambdas/domain/due-work-sharing.js';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RecursiveLoop } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity, MailFromBehaviorOnMxFailure } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { metricsNamespace, metricsService, type MetricName } from '../lambdas/metric-names.js';
import { routesByHandler, type ApiRoute } from '../lambdas/routes.js';
import { TouchpointsFunction, type HandlerName } from './touchpoints-function.js';

export interface ApiStackProps extends StackProps {
  /** The single table, from the stateful DataStack. */
  table: ITable;
  /**
   * The operator's own sender domain, made an SES identity with Easy DKIM, and optionally its
   * custom MAIL FROM domain (a subdomain of it: bounces then come back to the operator's domain,
   * and SPF aligns with it). Portals' own sender domains are verified by the app at run time.
   */
  senderDomain?: { domain: string; mailFromDomain?: string };
}

/** `-c dueSenders=N`: the due senders' maximum concurrency (SQS event sources allow 2 to 1000). */
function dueSendersFrom(scope: Construct): number {
  const setting: unknown = scope.node.tryGetContext('dueSenders') ?? 4;
  const senders = Number(setting);
  if (!Number.isInteger(senders) || senders < 2 || senders > 1000) throw new Error(`dueSenders must be a whole number from 2 to 1000, not ${String(setting)}`);
  return senders;
}

/** A route as the handlers see it in `event.routeKey`: method and path template. */
/**
 * How each API-integrated function proves who calls it, since no route has an API Gateway
 * authorizer: the callers are HubSpot and e-mail recipients, neither of which can carry AWS
 * credentials or a token we issued to a user pool.
 */
const routeAuthentication: Record<keyof typeof routesByHandler, string> = {
  webhook: 'HubSpot signs every webhook request (v3 HMAC-SHA256 over method, URL, body and timestamp); the function rejects unsigned, wrongly signed or stale requests before reading the body.',
  survey: 'Survey and unsubscribe links are public by design (customers click them in e-mail); each path carries an HMAC-signed, expiring token that the function verifies before it reads or writes anything.',
  card: 'The CRM card calls through hubspot.fetch, which HubSpot signs (v3 HMAC with the app secret); the function verifies the signature and takes the portal from the signed request.',
  report: 'The report page calls through hubspot.fetch, which HubSpot signs (v3 HMAC with the app secret); the function verifies the signature and takes the portal from the signed request.',
  settings: 'The settings page calls through hubspot.fetch, which HubSpot signs (v3 HMAC with the app secret); the function verifies the signature and takes the portal and user from the signed request.',
  oauth: 'The OAuth install and callback are browser redirects from HubSpot and must be public; the callback checks the signed state parameter and exchanges the code with the app secret.',
};

/**
 * The stateless half: the nine functions, the HTTP API in front of the request-serving ones,
 * the events queue, the one-minute schedule, mail and its bounces and complaints, secrets and alarms.
 */
export class ApiStack extends Stack {
  readonly functions: Record<HandlerName, TouchpointsFunction>;
  readonly api: HttpApi;
  readonly eventsQueue: Queue;
  readonly deadLetterQueue: Queue;
  /** Timers handed out to the senders (one message each). */
  readonly dueWorkQueue: Queue;
  /** Due work messages a sender failed on (unreadable, or its invocation died) three times. */
  readonly dueWorkDeadLetterQueue: Queue;
  /** Bounce and complaint events the bounces function failed on, every retry spent. */
  readonly mailFeedbackDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { table } = props;

    const secrets = this.createSecrets();
    const configurationSet = new ConfigurationSet(this, 'MailConfigurationSet', { reputationMetrics: true });
    if (props.senderDomain) this.createSenderIdentity(props.senderDomain, configurationSet);
    // The operator's own domain is every portal's to send from; any other belongs to the first portal that uses it.
    const sharedSenderDomains = props.senderDomain ? [props.senderDomain.domain.toLowerCase()] : [];

    this.deadLetterQueue = this.deadLetterQueueFor('EventsDeadLetterQueue', 'the events queue');
    const eventsTimeout = Duration.seconds(60);
    this.eventsQueue = new Queue(this, 'EventsQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: six times the function timeout, so a message
      // is not handed to a second consumer while retries of a throttled batch are pending.
      visibilityTimeout: Duration.seconds(eventsTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: eventReceivesBeforeDeadLetter },
    });

    const webhook = new TouchpointsFunction(this, 'Webhook', {
      table,
      handler: 'webhook',
      // It only checks the signature and enqueues: HubSpot expects an answer within 5 s.
      timeout: Duration.seconds(5),
      tableAccess: 'none',
      secrets: { HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp },
    }).sendsTo(this.eventsQueue);

    const events = new TouchpointsFunction(this, 'Events', {
      table,
      handler: 'events',
      timeout: eventsTimeout,
      memorySize: 1024,
      tableAccess: 'readWrite',
      secrets: { HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp, TOKEN_ENCRYPTION_KEY_ARN: secrets.tokenEncryption },
      // A portal's stage history backfill reads a page per event and asks for the next page on this
      // same queue: a chain of its own messages, which Lambda's loop detection would stop after 16
      // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html). The chain ends with
      // HubSpot's last page, and each page is asked for under one event id, so a redelivery adds no second chain.
      recursiveLoop: RecursiveLoop.ALLOW,
    })
      .sendsMailWith(configurationSet)
      .sendsTo(this.eventsQueue);
    events.addEventSource(
      new SqsEventSource(this.eventsQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        // A failing record is retried alone; the rest of its batch is not processed twice.
        reportBatchItemFailures: true,
      }),
    );

    const survey = new TouchpointsFunction(this, 'Survey', {
      table,
      handler: 'survey',
      timeout: Duration.seconds(10),
      tableAccess: 'readWrite',
      secrets: { SURVEY_TOKEN_SECRET_ARN: secrets.surveyToken },
    });

    const card = new TouchpointsFunction(this, 'Card', {
      table,
      handler: 'card',
      timeout: Duration.seconds(10),
      tableAccess: 'read', // the card only shows what the other functions recorded
      secrets: { HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp },
    });

    const settings = new TouchpointsFunction(this, 'Settings', {
      table,
      handler: 'settings',
      timeout: Duration.seconds(10),
      tableAccess: 'readWrite',
      secrets: {
        HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp,
        SURVEY_TOKEN_SECRET_ARN: secrets.surveyToken,
        TOKEN_ENCRYPTION_KEY_ARN: secrets.tokenEncryption,
      },
    })
      .sendsMailWith(configurationSet)
      .checksSenderDomains(sharedSenderDomains);

    const oauth = new TouchpointsFunction(this, 'OAuth', {
      table,
      handler: 'oauth',
      timeout: Duration.seconds(10),
      tableAccess: 'readWrite',
      environment: { HUBSPOT_SCOPES: appMeta.config.auth.requiredScopes.join(' ') },
      secrets: { HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp, TOKEN_ENCRYPTION_KEY_ARN: secrets.tokenEncryption },
      // An install asks for the portal's stage history on the events queue.
    }).sendsTo(this.eventsQueue);

    const report = new TouchpointsFunction(this, 'Report', {
      table,
      handler: 'report',
      timeout: Duration.seconds(29), // the API's limit
      memorySize: 1024,
      // The report saves the monthly summaries it had to compute (missing, or out of date), and
      // may put nothing else. A summary is a cache of raw items, recomputed whole and overwritten,
      // so the reader is the simplest writer: a scheduled writer would still leave the open
      // months to the report, and would need a timer per portal and month made by every write.
      tableAccess: 'readWriteSummaries',
      secrets: { HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp },
    });

    this.api = this.createHttpApi({ webhook, survey, card, settings, oauth, report });
    // The API URL without a trailing slash: what HubSpot is told and what links are built from.
    const publicApiUrl = this.api.apiEndpoint;

    this.dueWorkDeadLetterQueue = this.deadLetterQueueFor('DueWorkDeadLetterQueue', 'the due work queue');
    const dueSenderTimeout = Duration.seconds(60);
    this.dueWorkQueue = new Queue(this, 'DueWorkQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // At least the sender's timeout (SQS event sources require it), and well inside a handed-out
      // timer's lease: a timer a sender gave back comes round again before the lease lapses.
      visibilityTimeout: Duration.seconds(dueSenderTimeout.toSeconds() * 1.5),
      deadLetterQueue: { queue: this.dueWorkDeadLetterQueue, maxReceiveCount: dueWorkReceivesBeforeDeadLetter },
    });

    const due = new TouchpointsFunction(this, 'Due', {
      table,
      handler: 'due',
      timeout: Duration.seconds(60),
      // One run at a time: a run that overlaps the next would read the same due timers.
      reservedConcurrentExecutions: 1,
      tableAccess: 'readWrite',
      secrets: { HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp },
    })
      .checksSenderDomains(sharedSenderDomains)
      .readsSendQuota()
      .handsDueWorkTo(this.dueWorkQueue);

    const dueSenders = dueSendersFrom(this);
    const dueSender = new TouchpointsFunction(this, 'DueSender', {
      table,
      handler: 'due-sender',
      timeout: dueSenderTimeout,
      memorySize: 1024,
      tableAccess: 'readWrite',
      secrets: {
        HUBSPOT_APP_SECRET_ARN: secrets.hubspotApp,
        SURVEY_TOKEN_SECRET_ARN: secrets.surveyToken,
        TOKEN_ENCRYPTION_KEY_ARN: secrets.tokenEncryption,
      },
      // Only the due sender needs the URL outside a request (links in survey mail). The API-integrated
      // functions read it from the request instead: giving it to them would make the API and
      // its own integrations depend on each other. DUE_SENDERS: each sender's share of SES's rate.
      environment: { PUBLIC_API_URL: publicApiUrl, DUE_SENDERS: String(dueSenders) },
    })
      .sendsMailWith(configurationSet)
      .readsSendQuota()
      // Settled answers go to the events λ, which closes the loop with HubSpot's retries and a DLQ.
      .sendsTo(this.eventsQueue);
    dueSender.addEventSource(
      new SqsEventSource(this.dueWorkQueue, {
        batchSize: dueWorkBatchSize,
        // The setting that scales sending: senders side by side, each pacing itself to its share of SES's rate.
        maxConcurrency: dueSenders,
        // Timers a sender had no time left for come back alone; the rest of its batch is not worked twice.
        reportBatchItemFailures: true,
      }),
    );
    // A tick that failed or waited is worth nothing once the next one comes a minute later.
    due.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    new Rule(this, 'EveryMinute', {
      description: 'Runs the due handler: survey sends, reminders and follow-up deadlines that have come due',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(due, { retryAttempts: 0 })],
    });

    this.mailFeedbackDeadLetterQueue = this.deadLetterQueueFor('MailFeedbackDeadLetterQueue', 'the bounces function\'s asynchronous invocations');
    const bounces = this.createMailFeedback(configurationSet, table);

    this.functions = { webhook, events, due, 'due-sender': dueSender, survey, card, settings, oauth, report, bounces };
    this.createAlarms();
    this.createDashboard();

    new CfnOutput(this, 'WebhookTargetUrl', {
      description: 'Target URL of the webhook subscriptions (crm-app webhooks-hsmeta.json)',
      value: `${publicApiUrl}/webhooks/hubspot`,
    });
    new CfnOutput(this, 'PermittedFetchUrl', {
      description: 'The permitted fetch URL of the HubSpot app (app-hsmeta.json permittedUrls.fetch)',
      value: publicApiUrl,
    });
    new CfnOutput(this, 'OAuthRedirectUrl', {
      description: 'The redirect URL of the HubSpot app (app-hsmeta.json auth.redirectUrls)',
      value: `${publicApiUrl}/oauth/callback`,
    });
    new CfnOutput(this, 'HubSpotAppSecretName', {
      description: 'The secret to fill after the first deploy with the HubSpot app\'s client ID and client secret (JSON keys clientId and clientSecret)',
      value: secrets.hubspotApp.secretName,
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }

  /**
   * The operator's sender domain as an SES identity (Easy DKIM) with, where given, a custom MAIL
   * FROM domain; the DNS records to add are stack outputs. SES uses its own MAIL FROM domain when
   * the MX record is missing rather than refusing the mail.
   */
  private createSenderIdentity({ domain, mailFromDomain }: NonNullable<ApiStackProps['senderDomain']>, configurationSet: ConfigurationSet) {
    if (mailFromDomain !== undefined && !mailFromDomain.endsWith(`.${domain}`)) {
      throw new Error(`mailFromDomain ${mailFromDomain} must be a subdomain of the sender domain ${domain}`);
    }
    const identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.domain(domain),
      configurationSet,
      ...(mailFromDomain ? { mailFromDomain, mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE } : {}),
    });
    identity.dkimRecords.forEach(({ name, value }, index) => {
      new CfnOutput(this, `SenderDkimRecord${index + 1}`, { description: `DKIM CNAME record ${index + 1} of ${domain}: name = value`, value: `${name} = ${value}` });
    });
    if (mailFromDomain) {
      new CfnOutput(this, 'SenderMailFromRecords', {
        description: `The MAIL FROM domain's records: an MX and an SPF TXT record on ${mailFromDomain}`,
        value: `MX 10 feedback-smtp.${this.region}.amazonses.com; TXT "v=spf1 include:amazonses.com ~all"`,
      });
    }
  }

  /** A dead-letter queue, kept 14 days; its depth is alarmed (createAlarms). */
  private deadLetterQueueFor(id: string, of: string): Queue {
    const queue = new Queue(this, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This is the dead-letter queue of ${of}; a dead-letter queue of its own would only move the problem. Its depth is alarmed.`,
    });
    return queue;
  }

  /**
   * SES's bounce and complaint events for every mail of the configuration set, through an
   * encrypted SNS topic to the bounces function, which suppresses the contact for a permanent
   * bounce or a complaint. SES retries a soft bounce itself; the transient bounce it reports after
   * giving up suppresses nothing (the next survey or reminder is another try), it is only counted.
   */
  private createMailFeedback(configurationSet: ConfigurationSet, table: ITable): TouchpointsFunction {
    const topicKey = new Key(this, 'MailFeedbackTopicKey', {
      description: 'Touchpoints: encrypts the topic of SES bounce and complaint events',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // SES publishes with the topic's key, so the key policy has to let it, for our configuration set only.
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }) },
        },
      }),
    );
    const topic = new Topic(this, 'MailFeedbackTopic', { displayName: 'Touchpoints mail bounces and complaints', masterKey: topicKey, enforceSSL: true });
    // The event destination also gives SES (this configuration set only) sns:Publish on the topic.
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    const bounces = new TouchpointsFunction(this, 'Bounces', {
      table,
      handler: 'bounces',
      timeout: Duration.seconds(10),
      tableAccess: 'readWrite',
      deadLetterQueue: this.mailFeedbackDeadLetterQueue,
    });
    topic.addSubscription(new LambdaSubscription(bounces));
    return bounces;
  }

  /**
   * The three secrets, all generated by Secrets Manager so that no value is ever in the template
   * or in the repository. The functions get their ARNs and read them at cold start.
   */
  private createSecrets() {
    const hubspotApp = new Secret(this, 'HubSpotAppSecret', {
      description: 'Touchpoints: the HubSpot app credentials as JSON with the keys clientId and clientSecret. Replace both placeholder values with the app\'s after the first deploy.',
      // A placeholder with the right shape: the real values exist only in HubSpot until an
      // operator copies them here (the generated clientSecret is a random stand-in).
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ clientId: 'set-me' }),
        generateStringKey: 'clientSecret',
        excludePunctuation: true,
      },
    });
    Validations.of(hubspotApp).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The HubSpot client secret is issued and rotated in HubSpot\'s developer account, not by us; after a rotation there the operator updates this secret. A rotation Lambda could not obtain a new value.',
    });
    const surveyToken = new Secret(this, 'SurveyTokenSecret', {
      description: 'Touchpoints: the HMAC key that signs the survey and unsubscribe links in e-mails.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(surveyToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Survey and unsubscribe links in sent e-mails are signed with this key and must keep working for their whole validity (weeks); rotating it on a schedule would break every link in flight. It is rotated by hand, on suspicion of compromise.',
    });
    const tokenEncryption = new Secret(this, 'TokenEncryptionKey', {
      description: 'Touchpoints: the key that encrypts the HubSpot OAuth tokens stored in the table.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(tokenEncryption).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The stored HubSpot refresh tokens are encrypted with this key; an automatic rotation would make them unreadable until every portal re-installed the app. It is rotated by hand together with a re-encryption of the stored tokens.',
    });
    return { hubspotApp, surveyToken, tokenEncryption };
  }

  /** The HTTP API: one Lambda integration per function, routes exactly as the handlers match them. */
  private createHttpApi(handlers: Record<keyof typeof routesByHandler, TouchpointsFunction>): HttpApi {
    // The default stage is made by hand: the one HttpApi makes can be neither throttled nor logged.
    const api = new HttpApi(this, 'HttpApi', {
      description: 'Touchpoints: HubSpot webhooks, the CRM card and settings page, survey pages and the OAuth install',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Far above what one HubSpot account sends, low enough that a flood cannot run up the bill.
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, never the path: paths carry the survey tokens, which are credentials.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    for (const [name, routes] of Object.entries(routesByHandler) as [keyof typeof routesByHandler, readonly ApiRoute[]][]) {
      const integration = new HttpLambdaIntegration(`${handlers[name].node.id}Integration`, handlers[name]);
      for (const route of routes) {
        for (const httpRoute of api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration })) {
          Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: routeAuthentication[name] });
        }
      }
    }
    return api;
  }

  /**
   * What an operator watches, from the metrics the functions publish (lambdas/metrics.ts): the
   * flow from webhook to survey to answer, what goes wrong, and HubSpot pushing back. Sums per
   * five minutes.
   */
  private createDashboard(): void {
    const metric = (metricName: MetricName) =>
      new Metric({ namespace: metricsNamespace, metricName, dimensionsMap: { service: metricsService }, statistic: 'Sum', period: Duration.minutes(5) });
    const graph = (title: string, names: MetricName[]) => new GraphWidget({ title, left: names.map(metric), width: 12 });
    new Dashboard(this, 'Dashboard', {
      // Dashboard names are per account and region: one per deployed stack.
      dashboardName: `Touchpoints-${this.stackName}`,
      widgets: [
        [graph('Webhook events', ['WebhookEventsAccepted', 'WebhookRequestsRefused']), graph('Surveys', ['SurveysSent', 'RemindersSent'])],
        [graph('Answers by light', ['AnswersRed', 'AnswersYellow', 'AnswersGreen']), graph('Follow-up', ['MissedFollowUps', 'OwnerTasksMade'])],
        [graph('Survey clicks', ['SurveyClicks', 'AnswersSettled']), graph('Clicks judged automated (mail scanners)', ['ClicksJudgedAutomated'])],
        [graph('Failures', ['EventsDeadLettered', 'DueTimersFailed']), graph('HubSpot rate limits', ['HubSpotRateLimited'])],
        [graph('Due work', ['DueTimersHandedOut', 'DueTimersLeftForLater']), graph('SES throttling', ['SesThrottled'])],
        [graph('Mail bounces and complaints', ['MailHardBounces', 'MailSoftBounces', 'MailComplaints'])],
      ],
    });
  }

  /**
   * Someone should look when a message is dead-lettered, a function fails, or one is throttled
   * (for `due`, a throttle means a run took longer than the minute between runs). The alarms
   * notify an encrypted SNS topic the operator subscribes to.
   */
  private createAlarms(): void {
    const alarmKey = new Key(this, 'AlarmTopicKey', {
      description: 'Touchpoints: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromOurAlarms = { ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } };
    // CloudWatch publishes with the topic's key, so its key policy has to let it use the key.
    alarmKey.addToResourcePolicy(
      new PolicyStatement({ principals: [cloudWatch], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions: fromOurAlarms }),
    );
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'Touchpoints alarms', masterKey: alarmKey, enforceSSL: true });
    topic.addToResourcePolicy(
      new PolicyStatement({ principals: [cloudWatch], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: fromOurAlarms }),
    );
    const notify = new SnsAction(topic);

    const alarm = (id: string, metric: IMetric, description: string, threshold = 1) =>
      new Alarm(this, id, {
        metric,
        alarmDescription: description,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);

    alarm(
      'EventsDeadLetterAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      'HubSpot events failed three times and wait in the dead-letter queue: read the events logs, fix, then redrive.',
    );
    alarm(
      'MailFeedbackDeadLetterAlarm',
      this.mailFeedbackDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      'SES bounce or complaint events failed three times and wait in the dead-letter queue: read the bounces logs, fix, then invoke the function again with each message.',
    );
    alarm(
      'DueWorkDeadLetterAlarm',
      this.dueWorkDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      'Due work messages failed three times and wait in the dead-letter queue (their timers come due again by themselves): read the due-sender logs, fix, then purge.',
    );
    alarm(
      'DueWorkBacklogAlarm',
      this.dueWorkQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'Due work waited in the queue past its lease: the senders fall behind (raise -c dueSenders, or SES\'s sending rate).',
      dueWorkLeaseMs / 1000,
    );
    for (const fn of Object.values(this.functions)) {
      const name = fn.node.id;
      alarm(`${name}ErrorsAlarm`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `The ${name} function failed in the last 5 minutes.`);
      alarm(`${name}ThrottlesAlarm`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), `The ${name} function was throttled in the last 5 minutes.`);
    }

    new CfnOutput(this, 'AlarmTopicArn', { description: 'Subscribe to this topic to hear about the alarms', value: topic.topicArn });
  }
}
