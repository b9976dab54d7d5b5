import { fileURLToPath } from 'node:url';
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type RecursiveLoop, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { summaryPartitionsPattern } from '../lambdas/store/keys.js';
import { tableSchema } from '../lambdas/store/table.js';

/** DynamoDB item actions; no stream or table-management actions, which no handler uses. */
const dynamoActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};

/**
 * An SES ARN in the deploying account and region, always written with the pseudo parameters
 * (not the stack's env, which is concrete in some synths and not in others): the cdk-nag finding
 * id of the identity wildcard, and so its acknowledgement, stay the same everywhere.
 */
const sesArn = (resource: string) => `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

/** The Lambda entry points, one file each in `lambdas/handlers/`. */
/**
 * The API families of @hubspot/api-client the app never touches. Its Client
 * `require`s each family lazily in a getter, so leaving these out of the bundle
 * (external: esbuild keeps the `require`, nothing resolves it) cuts ~3.7 MB
 * from every function that talks to HubSpot; reading one of these getters
 * would throw MODULE_NOT_FOUND, which test/infra/hubspot-externals.test.ts
 * guards against. Paths as the client's own files require them.
 */
export const unusedHubSpotApiFamilies = [
  ...['automation/AutomationDiscovery', 'cms/CmsDiscovery', 'communicationPreferences/CommunicationPreferencesDiscovery', 'conversations/ConversationsDiscovery', 'events/EventsDiscovery', 'files/FilesDiscovery', 'marketing/MarketingDiscovery', 'settings/SettingsDiscovery', 'webhooks/WebhooksDiscovery'].map((path) => `./discovery/${path}`),
  // crm.*, crm.associations.* and crm.objects.*
  ...['commerce/CommerceDiscovery', 'exports/ExportsDiscovery', 'extensions/ExtensionsDiscovery', 'imports/ImportsDiscovery', 'line_items/LineItemsDiscovery', 'lists/ListsDiscovery', 'products/ProductsDiscovery', 'quotes/QuotesDiscovery', 'schemas/SchemasDiscovery', 'tickets/TicketsDiscovery', 'timeline/TimelineDiscovery', 'schema/SchemaDiscovery'].map((path) => `./${path}`),
  ...['calls/CallsDiscovery', 'communications/CommunicationsDiscovery', 'deal_splits/DealSplitsDiscovery', 'emails/EmailsDiscovery', 'feedback_submissions/FeedbackSubmissionsDiscovery', 'goals/GoalsDiscovery', 'leads/LeadsDiscovery', 'meetings/MeetingsDiscovery', 'postal_mail/PostalMailDiscovery', 'taxes/TaxesDiscovery'].map((path) => `./${path}`),
];

/** What the bundles leave out: the AWS SDK the runtime ships, and the HubSpot API families above. */
export const externalModules = ['@aws-sdk/*', ...unusedHubSpotApiFamilies];

export const handlerNames = ['webhook', 'events', 'due', 'due-sender', 'survey', 'card', 'settings', 'oauth', 'report', 'bounces'] as const;
export type HandlerName = (typeof handlerNames)[number];

/**
 * What a function may do with the table: least privilege per function, not per stack.
 * `readWriteSummaries`: read, and put and delete only in the portals' summary partitions.
 */
export type TableAccess = 'none' | 'read' | 'readWriteSummaries' | 'readWrite';

export interface TouchpointsFunctionProps {
  handler: HandlerName;
  table: ITable;
  tableAccess: TableAccess;
  timeout: Duration;
  /** @default 512 MB, enough for the HubSpot client; CPU scales with it. */
  memorySize?: number;
  reservedConcurrentExecutions?: number;
  /** Environment variable name → secret. The variable carries the ARN; the value never enters the template. */
  secrets?: Record<string, ISecret>;
  environment?: Record<string, string>;
  /** Where Lambda keeps an asynchronous invocation that failed every try. */
  deadLetterQueue?: IQueue;
  /** Whether Lambda may let the function's own messages invoke it again (@default RecursiveLoop.TERMINATE). */
  recursiveLoop?: RecursiveLoop;
}

/**
 * One Touchpoints handler as a Lambda function, with the defaults every handler shares:
 * Node 24 on arm64, an ESM bundle with source maps, its own log group with retention,
 * and a role that starts with nothing but writing to that log group.
 */
export class TouchpointsFunction extends NodejsFunction {
  private readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: TouchpointsFunctionProps) {
    // An explicit log group (instead of the one Lambda creates on first log) gets a
    // retention and is removed with the stack; the function's logs are not the system of record.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the default one, which would carry the AWSLambdaBasicExecutionRole
    // managed policy (creating and writing any log group in the account).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Touchpoints ${props.handler} function`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: fileURLToPath(new URL(`../lambdas/handlers/${props.handler}.ts`, import.meta.url)),
      handler: 'handler',
      description: `Touchpoints ${props.handler} handler`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      recursiveLoop: props.recursiveLoop,
      role,
      logGroup,
      environment: {
        // Stack traces point at the TypeScript source, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'touchpoints',
        TABLE_NAME: props.table.tableName,
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false, // the local esbuild: synth works without Docker or network
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'], // prefer packages' ESM builds, which tree-shake
        minify: true,
        keepNames: true, // error class names stay readable in logs
        sourceMap: true,
        sourcesContent: false, // the maps need positions, not a second copy of the code
        // The runtime ships the AWS SDK v3; bundling it, or HubSpot APIs never called, would only grow the cold start.
        externalModules,
        // CommonJS dependencies bundled into ESM still call `require` for Node built-ins.
        banner: "import { createRequire as touchpointsCreateRequire } from 'node:module'; const require = touchpointsCreateRequire(import.meta.url);",
      },
    });

    this.executionRole = role;

    if (props.tableAccess !== 'none') this.bindTable(props.table, props.tableAccess);
    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      this.addEnvironment(name, secret.secretArn);
      secret.grantRead(this);
    }
  }

  /**
   * Item actions on the table and on the one index the store queries, named rather than
   * `index/*` (what `grantReadData` would add): least privilege, and no wildcard to explain.
   */
  private bindTable(table: ITable, access: Exclude<TableAccess, 'none'>): void {
    const actions = access === 'readWrite' ? [...dynamoActions.read, ...dynamoActions.write] : dynamoActions.read;
    this.addToRolePolicy(
      new PolicyStatement({ actions, resources: [table.tableArn, `${table.tableArn}/index/${tableSchema.dueIndex.name}`] }),
    );
    if (access === 'readWriteSummaries') {
      this.addToRolePolicy(
        new PolicyStatement({
          // Put a month's items; delete a deleted touchpoint's item of an earlier computation.
          actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [summaryPartitionsPattern] } },
        }),
      );
    }
  }

  /** Sends to the events queue: its URL in `EVENTS_QUEUE_URL` and permission to send, nothing more. */
  sendsTo(queue: IQueue): this {
    this.addEnvironment('EVENTS_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * Hands due work to the senders' queue: its URL in `DUE_WORK_QUEUE_URL`, permission to send
   * and to read its depth (the run tops the queue up to a minute of sending).
   */
  handsDueWorkTo(queue: IQueue): this {
    this.addEnvironment('DUE_WORK_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * Reads SES's account sending rate (GetSendQuota), which the due run and its senders keep under.
   * The call takes no resource ARN, so its statement names only that one action.
   */
  readsSendQuota(): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }));
    Validations.of(this.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'SES v1\'s GetSendQuota (and, where granted, its identity calls VerifyDomainDkim, GetIdentityDkimAttributes, GetIdentityVerificationAttributes) take no resource ARN; each statement is limited to those actions, none of which sends mail or deletes an identity.',
    });
    return this;
  }

  /**
   * Checks portals' sender domains with SES (lambdas/mail/sender-identities.ts): starts Easy DKIM
   * for a new domain and reads where it stands. The domains are the portals' own, not known at
   * deploy time; the operator's `sharedDomains` (`SHARED_SENDER_DOMAINS`) every portal may send from.
   */
  checksSenderDomains(sharedDomains: readonly string[]): this {
    if (sharedDomains.length) this.addEnvironment('SHARED_SENDER_DOMAINS', sharedDomains.join(','));
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:VerifyDomainDkim', 'ses:GetIdentityDkimAttributes', 'ses:GetIdentityVerificationAttributes'],
        resources: ['*'],
      }),
    );
    Validations.of(this.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'SES v1\'s identity calls (VerifyDomainDkim, GetIdentityDkimAttributes, GetIdentityVerificationAttributes) and GetSendQuota take no resource ARN; each statement is limited to those actions, none of which sends mail or deletes an identity.',
    });
    return this;
  }

  /**
   * Sends mail through SES with the given configuration set (`SES_CONFIGURATION_SET`). The senders
   * are the identities verified in this account and region; the configuration set must be named
   * in the policy too, because SES authorises the send against both.
   */
  sendsMailWith(configurationSet: IConfigurationSet): this {
    this.addEnvironment('SES_CONFIGURATION_SET', configurationSet.configurationSetName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [sesArn(`configuration-set/${configurationSet.configurationSetName}`), sesArn('identity/*')],
      }),
    );
    // The statement is built here, so it is acknowledged here, on the role that carries it.
    Validations.of(this.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]`,
      reason: 'Mail goes out from each portal\'s own sender address or domain, verified in SES by the operator; the set is not known at deploy time. SES refuses any sender not verified in this account and region, and the statement is limited to those and to our configuration set.',
    });
    return this;
  }
}
