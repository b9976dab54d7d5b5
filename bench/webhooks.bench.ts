import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHmac, randomUUID } from 'node:crypto';
import { createWebhookHandler } from '../lambdas/handlers/webhook.js';
import { createDocumentClient, createDynamoClient } from '../lambdas/store/client.js';
import { keys } from '../lambdas/store/keys.js';
import { demoApp, demoPortalId } from '../local/demo/car-dealer.js';
import { startLocalSqs } from '../local/services/sqs-queue.js';
import { startTestStack } from '../test/support/local-stack.js';
import { createBenchDeals } from './bench-deals.js';
import { timeSequential, type BenchmarkRow } from './measure.js';

const secret = demoApp.clientSecret;
const publicApiUrl = 'https://api.touchpoints.example';
let nextEventId = 1;

function stageEvents(dealIds: readonly string[], stageId: string) {
  return dealIds.map((dealId) => ({
    eventId: nextEventId++,
    subscriptionId: 4_100_001,
    portalId: demoPortalId,
    appId: demoApp.appId,
    occurredAt: Date.now(),
    subscriptionType: 'object.propertyChange',
    attemptNumber: 0,
    objectId: Number(dealId),
    objectTypeId: '0-3',
    propertyName: 'dealstage',
    propertyValue: stageId,
    changeSource: 'CRM_UI',
  }));
}

function sign(url: string, body: string) {
  const timestamp = String(Date.now());
  return { timestamp, signature: createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64') };
}

/** The webhook λ alone: verify, parse and queue a 100-event batch (to the local SQS, consumer idle). */
async function webhookLatency(): Promise<BenchmarkRow> {
  const queue = await startLocalSqs({ consumer: async () => undefined });
  const sqs = new SQSClient({ endpoint: queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const handler = createWebhookHandler({ clientSecret: secret, publicApiUrl, queueUrl: queue.queueUrl, sqs });
  try {
    const dealIds = Array.from({ length: 100 }, (_, index) => String(10_000 + index));
    const summary = await timeSequential(200, async () => {
      const body = JSON.stringify(stageEvents(dealIds, 'offersent'));
      const { timestamp, signature } = sign(`${publicApiUrl}/webhooks/hubspot`, body);
      const response = await handler({
        rawPath: '/webhooks/hubspot',
        rawQueryString: '',
        headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
        requestContext: { http: { method: 'POST' } },
        body,
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2);
      if (response.statusCode !== 204) throw new Error(`webhook answered ${response.statusCode}`);
    });
    return { benchmark: 'webhooks', measure: 'webhook λ, 100-event batch (verify, parse, 10× SendMessageBatch)', p50Ms: summary.p50, p99Ms: summary.p99, perSecond: summary.perSecond * 100 };
  } finally {
    sqs.destroy();
    await queue.close();
  }
}

/** Webhook → gateway → queue → events λ → invitations, on the local stack, beside raw BatchWriteItem. */
async function endToEnd(): Promise<BenchmarkRow[]> {
  const stack = await startTestStack();
  try {
    const deals = 300;
    const dealIds = (await createBenchDeals(stack.info, deals)).map(({ dealId }) => dealId);

    const started = performance.now();
    for (let start = 0; start < deals; start += 100) {
      const body = JSON.stringify(stageEvents(dealIds.slice(start, start + 100), 'offersent'));
      const { timestamp, signature } = sign(stack.info.webhookUrl, body);
      const response = await fetch(stack.info.webhookUrl, { method: 'POST', headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body });
      if (response.status !== 204) throw new Error(`webhook answered ${response.status}`);
    }
    await stack.settled();
    const elapsedMs = performance.now() - started;
    const invited = (await Promise.all(dealIds.map((dealId) => stack.store.listInvitations(demoPortalId, dealId)))).flat().length;
    if (invited !== deals || stack.queue.dlq().length) throw new Error(`expected ${deals} invitations, got ${invited}; dead letters ${stack.queue.dlq().length}`);
    const eventsPerSecond = (deals / elapsedMs) * 1000;

    const rawClient = createDynamoClient({ endpoint: stack.info.dynamoEndpoint });
    const raw = createDocumentClient(rawClient);
    const rawStarted = performance.now();
    for (let batch = 0; batch < 100; batch += 1) {
      await raw.send(
        new BatchWriteCommand({
          RequestItems: { [stack.info.tableName]: Array.from({ length: 25 }, () => ({ PutRequest: { Item: { ...keys.invitation(1, 'raw', 'offer', randomUUID()) } } })) },
        }),
      );
    }
    const rawItemsPerSecond = (2500 / (performance.now() - rawStarted)) * 1000;
    const singlePuts = await timeSequential(1000, () => raw.send(new PutCommand({ TableName: stack.info.tableName, Item: keys.invitation(1, 'raw', 'offer', randomUUID()) })));
    rawClient.destroy();

    return [
      {
        benchmark: 'webhooks',
        measure: `end to end, ${deals} stage changes → stored invitations (local stack)`,
        perSecond: eventsPerSecond,
        baseline: `raw BatchWriteItem ${rawItemsPerSecond.toFixed(0)} items/s; ratio ${(eventsPerSecond / rawItemsPerSecond).toFixed(3)}`,
      },
      {
        benchmark: 'webhooks',
        measure: 'raw PutItem, one at a time (same dynalite)',
        p50Ms: singlePuts.p50,
        p99Ms: singlePuts.p99,
        perSecond: singlePuts.perSecond,
        baseline: `end to end is ${(eventsPerSecond / singlePuts.perSecond).toFixed(3)} of this: ~9 store calls per event`,
      },
    ];
  } finally {
    await stack.close();
  }
}

export async function webhooksBenchmark(): Promise<BenchmarkRow[]> {
  return [await webhookLatency(), ...(await endToEnd())];
}
