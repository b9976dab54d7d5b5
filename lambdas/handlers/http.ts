import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { InvalidInputError, notConnectedMessage } from '@touchpoints/contracts';
import { PortalNotInstalledError } from '../hubspot/clients.js';
import { logger } from '../logger.js';
import { VersionConflictError } from '../store/errors.js';

/** The request could not be proven to come from HubSpot. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** Proven caller, but not allowed this (e.g. another portal's data). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** A dependency is down for now; the caller should retry (HubSpot does, on 5xx). */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Every error becomes its HTTP status here, and only here; a 500 says nothing about why. */
export function errorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof InvalidInputError) return json(400, { message: `Invalid ${error.what}`, problems: error.problems });
  if (error instanceof UnauthenticatedError) return json(401, { message: error.message });
  if (error instanceof ForbiddenError) return json(403, { message: error.message });
  if (error instanceof PortalNotInstalledError) return json(404, { message: notConnectedMessage });
  if (error instanceof VersionConflictError) return json(409, { message: error.message });
  if (error instanceof ServiceUnavailableError) return json(503, { message: error.message }, { 'retry-after': '5' });
  if (isAwsOutage(error)) {
    logger.error('a dependency is unavailable', error as Error);
    return json(503, { message: 'Touchpoints is briefly unavailable; try again in a minute' }, { 'retry-after': '60' });
  }
  logger.error('unhandled error', error as Error);
  return json(500, { message: 'Internal error' });
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
