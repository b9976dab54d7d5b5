import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../lambdas/http/responses.js';
import { createDocumentClient, createDynamoClient } from '../../lambdas/store/client.js';
import { TouchpointsStore } from '../../lambdas/store/store.js';
import { startTestTable } from '../support/dynamo.js';

// errorResponse turns every handler's failure (card, settings, report, OAuth) into its status.
describe('a request the table cannot serve', () => {
  it('answers 503 with Retry-After when the table is out of reach (a real connection refused)', async () => {
    const unreachable = createDynamoClient({ endpoint: 'http://127.0.0.1:9' });
    const error = await new TouchpointsStore(createDocumentClient(unreachable), 'touchpoints-test').getSettings(24681357).catch((failure: unknown) => failure);
    unreachable.destroy();
    const response = errorResponse(error);
    expect([response.statusCode, response.headers?.['retry-after']]).toEqual([503, '60']);
    expect(JSON.parse(String(response.body))).toEqual({ message: 'Touchpoints is briefly unavailable; try again in a minute' });
  });

  it('answers 503 when DynamoDB throttles', () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    expect(errorResponse(throttled).statusCode).toBe(503);
  });

  it('answers 500, saying nothing of why, for a request the table refuses as malformed (our bug, not an outage)', async () => {
    const table = await startTestTable();
    try {
      const error = await new TouchpointsStore(table.documents, 'no-such-table').getSettings(24681357).catch((failure: unknown) => failure);
      expect(errorResponse(error)).toMatchObject({ statusCode: 500, body: JSON.stringify({ message: 'Internal error' }) });
    } finally {
      await table.close();
    }
  });
});
