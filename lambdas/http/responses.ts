import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { logger } from '../logger.js';
import { httpAnswerFor, InvalidInputError } from '../errors.js';

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Every error becomes its HTTP answer here: typed errors as errors.ts maps them, outages 503, the rest a 500 that says nothing about why. */
export function errorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  const answer = httpAnswerFor(error);
  if (answer) return json(answer.status, answer.body, answer.headers);
  if (isAwsOutage(error)) {
    logger.error('a dependency is unavailable', error as Error);
    return json(503, { message: 'Touchpoints is briefly unavailable; try again in a minute' }, { 'retry-after': '60' });
  }
  logger.error('unhandled error', error as Error);
  return json(500, { message: 'Internal error' });
}

/** The body as JSON, or a 400 saying what is wrong with it. */
export function jsonBody(event: APIGatewayProxyEventV2, what: string): unknown {
  const body = rawBody(event);
  if (!body.trim()) throw new InvalidInputError(what, ['body: is required, as a JSON object']);
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidInputError(what, ['body: is not valid JSON']);
  }
}

/** The body as the client sent it; API Gateway base64-encodes bodies it considers binary. */
export function rawBody(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/**
 * The API's public base URL: the configured one (a custom domain, or the
 * local gateway), else the host API Gateway was called on, always HTTPS.
 */
export function publicBaseUrl(event: APIGatewayProxyEventV2, publicApiUrl: string | undefined): string {
  return (publicApiUrl ?? `https://${event.requestContext.domainName}`).replace(/\/$/, '');
}

/** The full public URL of the request, as the caller (HubSpot) signed it. */
export function publicUrl(event: APIGatewayProxyEventV2, publicApiUrl: string | undefined): string {
  return `${publicBaseUrl(event, publicApiUrl)}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers[name.toLowerCase()];
}

/** The table, the queue or SES throttling us or failing on its side, or any dependency out of reach, after the retries. */
function isAwsOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return isTransientError(sdkError) || isThrottlingError(sdkError) || isServerError(sdkError);
}
