/**
 * The sandbox's HTTP plumbing: HubSpot's error shapes, a small route table
 * matcher, and body parsing. Handlers return data or throw HubSpotApiError;
 * this file alone turns either into a response. Hooks may step in before
 * routing (fault injection) and hear of every answer (the request log).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { z } from 'zod';

/** One entry of an error's `errors` list, as HubSpot details a refused property. */
export interface ErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
}

/** An error HubSpot would answer with, in HubSpot's JSON shape. */
export class HubSpotApiError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly context?: Record<string, string[]>,
    readonly errors?: readonly ErrorDetail[],
  ) {
    super(message);
  }

  toBody(correlationId: string): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId,
      ...(this.errors && { errors: this.errors }),
      category: this.category,
      ...(this.context && { context: this.context }),
    };
  }

  /** Headers that go with the answer (a rate limit's `Retry-After`, say). */
  responseHeaders(): Record<string, string> {
    return {};
  }
}

/** The OAuth endpoints answer errors with a code in `status` instead of a category. */
export class OAuthError extends HubSpotApiError {
  constructor(readonly code: string, message: string) {
    super(400, code, message);
  }

  override toBody(correlationId: string): Record<string, unknown> {
    return { status: this.code, message: this.message, correlationId };
  }
}

export const notFound = (message: string, context?: Record<string, string[]>) =>
  new HubSpotApiError(404, 'OBJECT_NOT_FOUND', message, context);
export const validationError = (message: string, context?: Record<string, string[]>, errors?: readonly ErrorDetail[]) =>
  new HubSpotApiError(400, 'VALIDATION_ERROR', message, context, errors);
export const conflict = (message: string) => new HubSpotApiError(409, 'OBJECT_ALREADY_EXISTS', message);

/** Parses a request body with a zod schema; a bad body is HubSpot's 400 VALIDATION_ERROR. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw validationError(`Invalid input: ${problems.join('; ')}`);
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as it is with its own Content-Type, instead of `body` as JSON (S3's XML errors, say). */
  raw?: { contentType: string; text: string };
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Segments starting with ':' are parameters, e.g. `/crm/v3/objects/:objectType/:objectId`. */
  path: string;
  handle(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/** What the listener knows of a request before routing it. */
export interface IncomingRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  authorization: string | undefined;
}

/** Ways for the rest of the sandbox to watch and bend the request flow. */
export interface RequestHooks {
  /**
   * Consulted before routing. Throwing HubSpotApiError answers with that error
   * instead of running the route; 'held' means the hook has taken the exchange
   * over and will end it itself.
   */
  intercept?(request: IncomingRequest, exchange: { request: IncomingMessage; response: ServerResponse }): 'held' | undefined;
  /** Told the status of every answer the listener sends. */
  answered?(request: IncomingRequest, status: number): void;
}

export const json = (body: unknown, status = 200): RouteResponse => ({ status, body });
export const noContent = (): RouteResponse => ({ status: 204 });

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** First route whose method and segments match; literal segments must be listed before parameters that would also match. */
function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const actual = segments(path);
  for (const route of routes) {
    if (route.method !== method) continue;
    const expected = segments(route.path);
    if (expected.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const matches = expected.every((segment, index) => {
      const value = actual[index] ?? '';
      if (segment.startsWith(':')) {
        const decoded = safelyDecoded(value);
        if (decoded === undefined) return false;
        params[segment.slice(1)] = decoded;
        return true;
      }
      return segment === value;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

function safelyDecoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // a malformed escape matches no route
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError('Invalid input JSON: the body is not valid JSON');
  }
}

function send(response: ServerResponse, { status, body, headers, raw }: RouteResponse): void {
  if (raw) {
    response.writeHead(status, { 'Content-Type': raw.contentType, ...headers }).end(raw.text);
    return;
  }
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', ...headers }).end(JSON.stringify(body));
}

export function requestListener(routes: readonly Route[], hooks: RequestHooks = {}): RequestListener {
  return (request, response) => {
    void (async () => {
      const correlationId = randomUUID();
      let incoming: IncomingRequest | undefined;
      const answer = (result: RouteResponse) => {
        if (incoming) hooks.answered?.(incoming, result.status);
        send(response, result);
      };
      try {
        const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
        incoming = { method: request.method ?? 'GET', path: url.pathname, authorization: request.headers.authorization };
        if (hooks.intercept?.(incoming, { request, response }) === 'held') return;
        const match = matchRoute(routes, incoming.method, url.pathname);
        if (!match) throw notFound(`The HubSpot sandbox has no route for ${request.method} ${url.pathname}`);
        const result = await match.route.handle({
          params: match.params,
          query: url.searchParams,
          body: await readBody(request),
          authorization: request.headers.authorization,
        });
        answer(result);
      } catch (error) {
        if (error instanceof HubSpotApiError) {
          answer({ status: error.status, body: error.toBody(correlationId), headers: error.responseHeaders() });
          return;
        }
        console.error('hubspot-sandbox: unexpected error', error);
        answer({ status: 500, body: { status: 'error', message: 'Internal sandbox error', correlationId, category: 'INTERNAL_ERROR' } });
      }
    })();
  };
}
