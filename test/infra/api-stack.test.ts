import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiStack } from '../../cdk/api-stack.js';
import { DataStack } from '../../cdk/data-stack.js';
import { touchpointsApp } from '../../cdk/touchpoints-app.js';
import { handlerNames, type HandlerName } from '../../cdk/touchpoints-function.js';
import { claimLeaseMs } from '../../lambdas/domain/journey.js';
import { metricNames } from '../../lambdas/metric-names.js';
import { dueWorkLeaseMs } from '../../lambdas/domain/due-work-sharing.js';
import { dueWorkBatchSize } from '../../lambdas/queue/due-work-queue.js';

type Json = Record<string, any>;

/** The environment each handler reads, beside NODE_OPTIONS and POWERTOOLS_SERVICE_NAME. */
const environmentByHandler: Record<HandlerName, string[]> = {
  webhook: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN', 'EVENTS_QUEUE_URL'],
  events: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN', 'TOKEN_ENCRYPTION_KEY_ARN', 'SES_CONFIGURATION_SET', 'EVENTS_QUEUE_URL'],
  due: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN', 'DUE_WORK_QUEUE_URL'],
  'due-sender': ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN', 'SURVEY_TOKEN_SECRET_ARN', 'TOKEN_ENCRYPTION_KEY_ARN', 'SES_CONFIGURATION_SET', 'PUBLIC_API_URL', 'EVENTS_QUEUE_URL', 'DUE_SENDERS'],
  survey: ['TABLE_NAME', 'SURVEY_TOKEN_SECRET_ARN'],
  card: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN'],
  settings: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN', 'SURVEY_TOKEN_SECRET_ARN', 'TOKEN_ENCRYPTION_KEY_ARN', 'SES_CONFIGURATION_SET'],
  oauth: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN', 'TOKEN_ENCRYPTION_KEY_ARN', 'HUBSPOT_SCOPES', 'EVENTS_QUEUE_URL'],
  report: ['TABLE_NAME', 'HUBSPOT_APP_SECRET_ARN'],
  bounces: ['TABLE_NAME'],
};

const limitsByHandler: Record<HandlerName, { MemorySize: number; Timeout: number }> = {
  webhook: { MemorySize: 512, Timeout: 5 },
  events: { MemorySize: 1024, Timeout: 60 },
  due: { MemorySize: 512, Timeout: 60 },
  'due-sender': { MemorySize: 1024, Timeout: 60 },
  survey: { MemorySize: 512, Timeout: 10 },
  card: { MemorySize: 512, Timeout: 10 },
  settings: { MemorySize: 512, Timeout: 10 },
  oauth: { MemorySize: 512, Timeout: 10 },
  report: { MemorySize: 1024, Timeout: 29 },
  bounces: { MemorySize: 512, Timeout: 10 },
};

const routeKeysByHandler: Partial<Record<HandlerName, string[]>> = {
  webhook: ['POST /webhooks/hubspot'],
  survey: ['GET /s/{token}', 'POST /s/{token}', 'GET /s/{token}/check', 'GET /u/{token}', 'POST /u/{token}'],
  card: ['GET /card'],
  report: ['GET /report'],
  settings: ['GET /settings', 'PUT /settings/portal', 'PUT /settings/touchpoints/{id}', 'DELETE /settings/touchpoints/{id}', 'POST /settings/templates/{templateId}', 'POST /settings/test-survey', 'POST /settings/interviews', 'POST /settings/interviews/names', 'DELETE /settings/install'],
  oauth: ['GET /oauth/install', 'GET /oauth/callback'],
};

/** The settings page's calls, which `settingsRoutes` must keep containing. */
const settingsPageRouteKeys = [
  'GET /settings',
  'PUT /settings/portal',
  'PUT /settings/touchpoints/{id}',
  'DELETE /settings/touchpoints/{id}',
  'POST /settings/templates/{templateId}',
  'POST /settings/test-survey',
  'POST /settings/interviews',
  'POST /settings/interviews/names',
];

const dynamoReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'];

// Synthesised once for the file (bundling the seven handlers with esbuild takes a few seconds).
const app = new App();
const dataStack = new DataStack(app, 'TouchpointsData', { deletionProtection: true });
const stack = new ApiStack(app, 'TouchpointsApi', { table: dataStack.table });
const template = Template.fromStack(stack);
const resources: Json = template.toJSON().Resources;

const logicalId = (element: unknown) => stack.getLogicalId(element as CfnElement);
const functionId = (name: HandlerName) => logicalId(stack.functions[name].node.defaultChild);
const functionProperties = (name: HandlerName): Json => resources[functionId(name)].Properties;
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of the policies attached to the function's role. */
function statementsOf(name: HandlerName): Json[] {
  const roleId = functionProperties(name).Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((resource: Json) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement);
}
const actionsOf = (name: HandlerName) => statementsOf(name).flatMap((statement) => asArray<string>(statement.Action));

/** The logical IDs of the secrets the function may read. */
function readableSecretsOf(name: HandlerName): string[] {
  return statementsOf(name)
    .filter((statement) => asArray<string>(statement.Action).includes('secretsmanager:GetSecretValue'))
    .flatMap((statement) => asArray<Json>(statement.Resource).map((resource) => resource.Ref as string))
    .sort();
}

describe('the API stack', () => {
  describe('functions', () => {
    it('has one Node.js 24 arm64 function per handler, bundled as ESM with source maps', () => {
      template.resourceCountIs('AWS::Lambda::Function', handlerNames.length);
      for (const name of handlerNames) {
        expect(functionProperties(name), name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'touchpoints' } },
        });
      }
    });

    it('gives each function exactly the environment its handler reads', () => {
      for (const name of handlerNames) {
        const names = Object.keys(functionProperties(name).Environment.Variables).sort();
        expect(names, name).toEqual(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', ...environmentByHandler[name]].sort());
      }
    });

    it('gives the public API URL to the due sender only, as the API endpoint', () => {
      expect(functionProperties('due-sender').Environment.Variables.PUBLIC_API_URL).toEqual({ 'Fn::GetAtt': [logicalId(stack.api.node.defaultChild), 'ApiEndpoint'] });
      const others = handlerNames.filter((name) => name !== 'due-sender');
      expect(others.filter((name) => 'PUBLIC_API_URL' in functionProperties(name).Environment.Variables)).toEqual([]);
    });

    it('sizes memory and timeout per handler', () => {
      for (const name of handlerNames) expect(functionProperties(name), name).toMatchObject(limitsByHandler[name]);
    });

    it('ends a due or events run well before its claims lapse, so only a dead run’s claim is ever taken over', () => {
      for (const name of ['due-sender', 'events'] as const) expect(2 * functionProperties(name).Timeout * 1000, name).toBeLessThan(claimLeaseMs);
    });

    it('runs due one invocation at a time and drops ticks it could not run', () => {
      expect(functionProperties('due').ReservedConcurrentExecutions).toBe(1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId('due') },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
      });
    });

    it('logs each function to its own log group kept for a month', () => {
      for (const name of handlerNames) {
        const logGroupId = functionProperties(name).LoggingConfig.LogGroup.Ref;
        expect(resources[logGroupId], name).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
      }
    });

    it('uses roles without managed policies', () => {
      const roles = (Object.values(resources) as Json[]).filter((resource) => resource.Type === 'AWS::IAM::Role');
      expect(roles.length).toBeGreaterThanOrEqual(handlerNames.length);
      for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('least privilege', () => {
    it('gives the webhook function no table access', () => {
      expect(actionsOf('webhook').filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    });

    it('lets the card function only read the table', () => {
      const tableActions = actionsOf('card').filter((action) => action.startsWith('dynamodb:'));
      expect(tableActions).toContain('dynamodb:Query');
      expect(tableActions.filter((action) => !dynamoReadActions.includes(action))).toEqual([]);
    });

    it('lets the report function read the table and put and delete items only in the portals’ summary partitions', () => {
      const writes = statementsOf('report').filter((statement) => asArray<string>(statement.Action).some((action) => action.startsWith('dynamodb:') && !dynamoReadActions.includes(action)));
      expect(writes).toEqual([expect.objectContaining({ Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['P#*#SUMMARY'] } } })]);
      expect(actionsOf('report')).toContain('dynamodb:Query');
    });

    it('lets the other functions read and write the table', () => {
      for (const name of ['events', 'due', 'due-sender', 'survey', 'settings', 'oauth', 'bounces'] as const) {
        expect(actionsOf(name), name).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
      }
    });

    it('scopes table access to the table and its due index, with no wildcard', () => {
      const withTableAccess = handlerNames.filter((name) => name !== 'webhook');
      for (const name of withTableAccess) {
        const tableStatements = statementsOf(name).filter((statement) => asArray<string>(statement.Action).some((action) => action.startsWith('dynamodb:')));
        expect(tableStatements.length, name).toBeGreaterThan(0);
        for (const statement of tableStatements) expect(JSON.stringify(statement.Resource), name).not.toContain('*');
        expect(JSON.stringify(tableStatements), name).toContain('/index/GSI1');
      }
    });

    it('lets each function read exactly the secrets whose ARNs it is given', () => {
      for (const name of handlerNames) {
        const variables: Json = functionProperties(name).Environment.Variables;
        const given = Object.entries(variables)
          .filter(([variable]) => variable.endsWith('_SECRET_ARN') || variable.endsWith('_KEY_ARN'))
          .map(([, value]) => (value as Json).Ref as string)
          .sort();
        // Only the bounces function needs no secret: it reads SES's events and writes the table.
        if (name !== 'bounces') expect(given.length, name).toBeGreaterThan(0);
        expect(readableSecretsOf(name), name).toEqual(given);
      }
    });

    it('lets only events, the due sender and settings send mail, through the configuration set', () => {
      const senders = handlerNames.filter((name) => actionsOf(name).includes('ses:SendRawEmail'));
      expect(senders.sort()).toEqual(['due-sender', 'events', 'settings']);
      const configurationSetId = logicalId(stack.node.findChild('MailConfigurationSet').node.defaultChild);
      for (const name of senders) {
        expect(functionProperties(name).Environment.Variables.SES_CONFIGURATION_SET).toEqual({ Ref: configurationSetId });
        const mailStatement = statementsOf(name).find((statement) => asArray<string>(statement.Action).includes('ses:SendRawEmail'));
        expect(JSON.stringify(mailStatement?.Resource)).toContain(':configuration-set/');
      }
    });

    it('lets only due and settings check sender domains with SES, with the three identity calls and no others', () => {
      const identityActions = ['ses:GetIdentityDkimAttributes', 'ses:GetIdentityVerificationAttributes', 'ses:VerifyDomainDkim'];
      const checkers = handlerNames.filter((name) => actionsOf(name).some((action) => identityActions.includes(action)));
      expect(checkers.sort()).toEqual(['due', 'settings']);
      for (const name of checkers) {
        expect(actionsOf(name).filter((action) => action.startsWith('ses:') && action !== 'ses:GetSendQuota' && action !== 'ses:SendRawEmail').sort()).toEqual(identityActions);
      }
    });

    it('lets only the due run and its senders read SES’s sending rate', () => {
      expect(handlerNames.filter((name) => actionsOf(name).includes('ses:GetSendQuota')).sort()).toEqual(['due', 'due-sender']);
    });

    it('lets only webhook (HubSpot’s events), the due sender (settled answers), oauth (an install’s stage history) and events (its next page) send to the events queue', () => {
      const eventsQueueArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.eventsQueue.node.defaultChild), 'Arn'] });
      const sendsToEventsQueue = (name: HandlerName) =>
        statementsOf(name).some((statement) => asArray<string>(statement.Action).includes('sqs:SendMessage') && JSON.stringify(statement.Resource) === eventsQueueArn);
      expect(handlerNames.filter(sendsToEventsQueue).sort()).toEqual(['due-sender', 'events', 'oauth', 'webhook']);
    });

    it('lets only the events λ invoke itself through its queue (the stage history’s pages), every other function keeps Lambda’s loop detection', () => {
      const allowed = Object.entries(template.findResources('AWS::Lambda::Function'))
        .filter(([, resource]) => (resource as Json).Properties.RecursiveLoop === 'Allow')
        .map(([, resource]) => (resource as Json).Properties.Description);
      expect(allowed).toEqual(['Touchpoints events handler']);
    });
  });

  describe('secrets', () => {
    const text = JSON.stringify(template.toJSON());

    it('has three secrets, every one generated by Secrets Manager', () => {
      template.resourceCountIs('AWS::SecretsManager::Secret', 3);
      template.allResourcesProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({}), SecretString: Match.absent() });
    });

    it('creates the HubSpot app secret as a placeholder of the right shape for the operator to fill', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ clientId: 'set-me' }), GenerateStringKey: 'clientSecret' }),
      });
    });

    it('puts no secret value in the template', () => {
      expect(text).toContain('"GenerateStringKey":"clientSecret"');
      // `clientSecret` is named (as the key to generate, and in descriptions) but never given a value.
      expect(text).not.toMatch(/clientSecret\\*"\s*:/);
      expect(text).not.toContain('local-');
      expect(text).not.toContain('not-for-production');
    });
  });

  describe('events queue', () => {
    const queueId = logicalId(stack.eventsQueue.node.defaultChild);
    const deadLetterQueueId = logicalId(stack.deadLetterQueue.node.defaultChild);

    it('feeds the events function in batches of ten with partial batch failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId('events') },
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('keeps a message invisible for six times the events timeout', () => {
      expect(resources[queueId].Properties.VisibilityTimeout).toBe(6 * limitsByHandler.events.Timeout);
    });

    it('redelivers a dead invocation’s message only after its claims have lapsed, so the retry takes them over', () => {
      expect(resources[queueId].Properties.VisibilityTimeout * 1000).toBeGreaterThan(claimLeaseMs);
    });

    it('moves a message to the dead-letter queue after three receives', () => {
      expect(resources[queueId].Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] }, maxReceiveCount: 3 });
    });

    it('keeps dead letters for fourteen days', () => {
      expect(resources[deadLetterQueueId].Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('encrypts every queue and refuses plain HTTP', () => {
      const otherQueueIds = [stack.mailFeedbackDeadLetterQueue, stack.dueWorkQueue, stack.dueWorkDeadLetterQueue].map((queue) => logicalId(queue.node.defaultChild));
      for (const id of [queueId, deadLetterQueueId, ...otherQueueIds]) expect(resources[id].Properties.SqsManagedSseEnabled).toBe(true);
      template.resourceCountIs('AWS::SQS::QueuePolicy', 5);
      template.allResourcesProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });
  });

  describe('due work queue', () => {
    const queueId = logicalId(stack.dueWorkQueue.node.defaultChild);
    const deadLetterQueueId = logicalId(stack.dueWorkDeadLetterQueue.node.defaultChild);

    it('feeds the due sender in batches of ten, at most the set number of senders at once, with partial batch failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId('due-sender') },
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: dueWorkBatchSize,
        ScalingConfig: { MaximumConcurrency: 4 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(functionProperties('due-sender').Environment.Variables.DUE_SENDERS).toBe('4');
    });

    it('takes the senders’ concurrency from -c dueSenders, and refuses one SQS would not', () => {
      // No bundling: only the event source's setting is looked at.
      const withSenders = (dueSenders: unknown) => touchpointsApp({ context: { dueSenders, 'aws:cdk:bundling-stacks': [] } }).api;
      const scaled = Template.fromStack(withSenders(16));
      scaled.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 16 } });
      expect(() => withSenders(1)).toThrow(/dueSenders/);
    });

    it('lets only the due run hand work to the senders', () => {
      const queueArn = JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] });
      const handsOut = (name: HandlerName) =>
        statementsOf(name).some((statement) => asArray<string>(statement.Action).includes('sqs:SendMessage') && JSON.stringify(statement.Resource) === queueArn);
      expect(handlerNames.filter(handsOut)).toEqual(['due']);
    });

    it('brings a timer a sender gave back round again before its lease lapses, and not before the sender’s timeout', () => {
      const visibilityMs = resources[queueId].Properties.VisibilityTimeout * 1000;
      expect(visibilityMs).toBeGreaterThanOrEqual(limitsByHandler['due-sender'].Timeout * 1000);
      expect(visibilityMs).toBeLessThan(dueWorkLeaseMs);
    });

    it('moves a message to its dead-letter queue after three receives, and alarms on the first there', () => {
      expect(resources[queueId].Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] }, maxReceiveCount: 3 });
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Json);
      const onDeadLetters = alarms.filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(alarm.Dimensions).includes(deadLetterQueueId));
      expect(onDeadLetters).toHaveLength(1);
      expect(onDeadLetters[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    });

    it('alarms when due work waits past its lease: the senders fall behind', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Json);
      const onAge = alarms.filter((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage' && JSON.stringify(alarm.Dimensions).includes(queueId));
      expect(onAge).toHaveLength(1);
      expect(onAge[0]).toMatchObject({ Threshold: dueWorkLeaseMs / 1000, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    });
  });

  it('runs due every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('due'), 'Arn'] } })],
    });
  });

  it('has an SES configuration set', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
  });

  describe('bounces and complaints', () => {
    const configurationSetId = logicalId(stack.node.findChild('MailConfigurationSet').node.defaultChild);
    const topicId = logicalId(stack.node.findChild('MailFeedbackTopic').node.defaultChild);

    it('publishes the configuration set’s bounces and complaints, and nothing else, to their own topic', () => {
      template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: configurationSetId },
        EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: { TopicARN: { Ref: topicId } } },
      });
    });

    it('encrypts the topic with a rotating key SES may use for this configuration set only, and refuses plain HTTP', () => {
      const topic = resources[topicId].Properties;
      const keyId = topic.KmsMasterKeyId['Fn::GetAtt'][0];
      expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
      const sesStatement = resources[keyId].Properties.KeyPolicy.Statement.find((statement: Json) => statement.Principal?.Service === 'ses.amazonaws.com');
      expect(sesStatement).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
      expect(JSON.stringify(sesStatement.Condition)).toContain(':configuration-set/');
      const topicPolicy = (Object.values(template.findResources('AWS::SNS::TopicPolicy')) as Json[]).find((policy) => policy.Properties.Topics.some((topicRef: Json) => topicRef.Ref === topicId));
      const statements: Json[] = topicPolicy!.Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } }));
    });

    it('delivers the topic to the bounces function, which only the topic may invoke', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [functionId('bounces'), 'Arn'] } });
      template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [functionId('bounces'), 'Arn'] }, Principal: 'sns.amazonaws.com', SourceArn: { Ref: topicId } });
    });

    it('keeps an event the bounces function failed on in its dead-letter queue for fourteen days, and alarms at once', () => {
      const queueId = logicalId(stack.mailFeedbackDeadLetterQueue.node.defaultChild);
      expect(functionProperties('bounces').DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
      expect(actionsOf('bounces')).toContain('sqs:SendMessage');
      expect(resources[queueId].Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      const alarm = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[]).find(
        (candidate) => candidate.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(candidate.Properties.Dimensions).includes(queueId),
      );
      expect(alarm?.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    });
  });

  describe('dashboard', () => {
    it('shows every metric the functions publish, from their namespace and service', () => {
      const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Json[];
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
      for (const name of metricNames) expect(body, name).toContain(`\\"${name}\\"`);
      expect(body).toContain('\\"Touchpoints\\"');
      expect(body).toContain('\\"service\\",\\"touchpoints\\"');
    });
  });

  describe('HTTP API', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties as Json);
    const integrations: Json = template.findResources('AWS::ApiGatewayV2::Integration');

    it('has every route the handlers serve and no other', () => {
      const expected = Object.values(routeKeysByHandler).flat().sort();
      expect(routes.map((route) => route.RouteKey).sort()).toEqual(expected);
    });

    it('serves every call of the settings page', () => {
      expect(routes.map((route) => route.RouteKey)).toEqual(expect.arrayContaining(settingsPageRouteKeys));
    });

    it('sends each route to the function that handles it', () => {
      for (const [name, routeKeys] of Object.entries(routeKeysByHandler) as [HandlerName, string[]][]) {
        for (const routeKey of routeKeys) {
          const route = routes.find((candidate) => candidate.RouteKey === routeKey);
          const integrationId: string = route?.Target['Fn::Join'][1][1].Ref;
          expect(integrations[integrationId]?.Properties.IntegrationUri, routeKey).toEqual({ 'Fn::GetAtt': [functionId(name), 'Arn'] });
        }
      }
    });

    it('throttles and access-logs the default stage, by route key rather than path', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      const stage: Json = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
      expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true });
      expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
      expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
      expect(resources[stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]].Type).toBe('AWS::Logs::LogGroup');
      expect(stage.AccessLogSettings.Format).toContain('$context.routeKey');
      // Survey paths carry signed tokens: they stay out of the logs.
      expect(stage.AccessLogSettings.Format).not.toContain('$context.path');
    });
  });

  describe('alarms', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Json);
    const alarmsOn = (metricName: string, dimension: Json) =>
      alarms.filter((alarm) => alarm.MetricName === metricName && JSON.stringify(alarm.Dimensions).includes(JSON.stringify(dimension)));

    it('alarms as soon as a message is in the dead-letter queue', () => {
      const deadLetterQueueName = { 'Fn::GetAtt': [logicalId(stack.deadLetterQueue.node.defaultChild), 'QueueName'] };
      const [alarm] = alarmsOn('ApproximateNumberOfMessagesVisible', deadLetterQueueName);
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    });

    it('alarms on any error or throttle of each function', () => {
      for (const name of handlerNames) {
        for (const metricName of ['Errors', 'Throttles']) {
          const matching = alarmsOn(metricName, { Ref: functionId(name) });
          expect(matching, `${name} ${metricName}`).toHaveLength(1);
          expect(matching[0], `${name} ${metricName}`).toMatchObject({ Threshold: 1, Period: 300, Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
        }
      }
    });

    it('notifies an encrypted topic from every alarm', () => {
      const topicId = logicalId(stack.node.findChild('AlarmTopic').node.defaultChild);
      expect(resources[topicId].Properties.KmsMasterKeyId).toBeDefined();
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    });
  });

  it('outputs what the HubSpot app and the operator need', () => {
    const apiEndpoint = { 'Fn::GetAtt': [logicalId(stack.api.node.defaultChild), 'ApiEndpoint'] };
    const outputs: Json = template.toJSON().Outputs;
    expect(outputs.PermittedFetchUrl.Value).toEqual(apiEndpoint);
    expect(outputs.WebhookTargetUrl.Value).toEqual({ 'Fn::Join': ['', [apiEndpoint, '/webhooks/hubspot']] });
    expect(outputs.OAuthRedirectUrl.Value).toEqual({ 'Fn::Join': ['', [apiEndpoint, '/oauth/callback']] });
    expect(JSON.stringify(outputs.HubSpotAppSecretName.Value)).toContain(logicalId(stack.node.findChild('HubSpotAppSecret').node.defaultChild));
    expect(JSON.stringify(outputs.TableName.Value)).toContain('Fn::ImportValue');
  });

  it('passes the AWS Solutions checks, every exception acknowledged with a reason', () => {
    const { violations } = new AwsSolutionsChecks(app).validateScope(stack);
    expect(violations.map((violation) => `${violation.ruleName} ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`)).toEqual([]);
  });

  it('leaves the data stack passing the AWS Solutions checks too', () => {
    const { violations } = new AwsSolutionsChecks(app).validateScope(dataStack);
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('the CDK app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'touchpoints-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // The handlers were bundled above; here the app is synthesised as `cdk synth` does it, minus
  // bundling, with cdk-nag as a validation plugin that fails the synth on any finding.
  const synth = (context: Record<string, unknown> = {}) =>
    touchpointsApp({ outdir: mkdtempSync(join(outdir, 'assembly-')), context: { 'aws:cdk:bundling-stacks': [], ...context } }).app.synth();

  it('synthesises both stacks with cdk-nag passing', () => {
    const assembly = synth();
    expect(assembly.stacks.map((artifact) => artifact.stackName).sort()).toEqual(['TouchpointsApi', 'TouchpointsData']);
    const apiTemplate = JSON.stringify(assembly.getStackByName('TouchpointsApi').template);
    expect(apiTemplate).toContain('Fn::ImportValue'); // the table comes from the data stack
  });

  describe('the operator’s sender domain', () => {
    const identitiesOf = (assembly: ReturnType<typeof synth>) =>
      Object.values(assembly.getStackByName('TouchpointsApi').template.Resources as Json).filter((resource: Json) => resource.Type === 'AWS::SES::EmailIdentity');

    it('makes no SES identity when the operator names no sender domain', () => {
      expect(identitiesOf(synth())).toEqual([]);
    });

    it('sets the custom MAIL FROM domain the operator gives on the sender domain’s identity, with Easy DKIM', () => {
      const assembly = synth({ senderDomain: 'touchpoints.example', mailFromDomain: 'bounce.touchpoints.example' });
      expect(identitiesOf(assembly)).toEqual([
        expect.objectContaining({
          Properties: expect.objectContaining({
            EmailIdentity: 'touchpoints.example',
            MailFromAttributes: { MailFromDomain: 'bounce.touchpoints.example', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
          }),
        }),
      ]);
      const outputs = Object.keys(assembly.getStackByName('TouchpointsApi').template.Outputs as Json);
      expect(outputs).toEqual(expect.arrayContaining(['SenderDkimRecord1', 'SenderDkimRecord2', 'SenderDkimRecord3', 'SenderMailFromRecords']));
    });

    it('makes the identity without a MAIL FROM domain when only the sender domain is given', () => {
      const [identity] = identitiesOf(synth({ senderDomain: 'touchpoints.example' }));
      expect(identity?.Properties.EmailIdentity).toBe('touchpoints.example');
      expect(identity?.Properties.MailFromAttributes).toBeUndefined();
    });

    it('lets every portal send from the operator’s domain: the functions that check senders are told it, and only with one', () => {
      const sharedOf = (assembly: ReturnType<typeof synth>) =>
        Object.values(assembly.getStackByName('TouchpointsApi').template.Resources as Json)
          .filter((resource: Json) => resource.Type === 'AWS::Lambda::Function')
          .flatMap((resource: Json) => (resource.Properties.Environment?.Variables?.SHARED_SENDER_DOMAINS === undefined ? [] : [resource.Properties.Environment.Variables.SHARED_SENDER_DOMAINS]));
      expect(sharedOf(synth({ senderDomain: 'Touchpoints.example' }))).toEqual(['touchpoints.example', 'touchpoints.example']);
      expect(sharedOf(synth())).toEqual([]);
    });

    it('refuses a MAIL FROM domain outside the sender domain, or without one', () => {
      expect(() => synth({ senderDomain: 'touchpoints.example', mailFromDomain: 'bounce.elsewhere.example' })).toThrow('mailFromDomain bounce.elsewhere.example must be a subdomain of the sender domain touchpoints.example');
      expect(() => synth({ mailFromDomain: 'bounce.touchpoints.example' })).toThrow('mailFromDomain needs senderDomain');
    });
  });

  it('keeps the table by default and lets the deletionProtection context turn that off', () => {
    const tableOf = (assembly: ReturnType<typeof synth>) =>
      Object.values(assembly.getStackByName('TouchpointsData').template.Resources as Json).find((resource: Json) => resource.Type === 'AWS::DynamoDB::Table');
    expect(tableOf(synth())).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(tableOf(synth({ deletionProtection: 'false' }))).toMatchObject({ DeletionPolicy: 'Delete' });
  });
});
