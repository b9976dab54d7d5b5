import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './services/loopback.js';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** One HTTP API route as the CDK stack declares it: `GET /s/{token}`. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Function name, as the CDK stack names it; shows up in the Lambda context. */
  functionName: string;
  handler: HttpHandler;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  parameterNames: string[];
}

const textBodyTypes = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript))/i;
const maxBodyBytes = 6 * 1024 * 1024; // API Gateway → Lambda payload limit

function compile(route: Route): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)(\\\+)?\}/g, (_, name: string, greedy?: string) => {
    parameterNames.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), parameterNames };
}

/** Turns a Node request into the API Gateway HTTP API (payload 2.0) event AWS would deliver. */
export function toApiGatewayEvent(
  request: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer; sourceIp: string },
  route: CompiledRoute,
  pathParameters: Record<string, string>,
  now: Date,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  delete headers.cookie; // payload 2.0 moves cookies into their own field
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const isText = request.body.length === 0 || textBodyTypes.test(headers['content-type'] ?? 'text/plain');
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    ...(route.parameterNames.length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length ? { body: request.body.toString(isText ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: !isText,
  };
}

function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The local stand-in for API Gateway: matches the route, builds the payload 2.0
 * event, invokes the handler, writes its result. `GET /healthz` is its own.
 */
export async function startGateway({ routes = [], port = 0, now = () => new Date() }: { routes?: Route[]; port?: number; now?: () => Date }) {
  const compiled = routes.map(compile);
  // Invocations still running when the gateway closes; close() lets them finish before the stores go.
  const inFlight = new Set<Promise<unknown>>();

  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/healthz') return send(response, json(200, { status: 'ok' }));

    const matches = compiled.filter((route) => route.pattern.test(path));
    const route = matches.find((candidate) => candidate.method === request.method);
    if (!route) {
      return send(response, matches.length ? json(405, { message: 'Method Not Allowed' }) : json(404, { message: 'Not Found' }));
    }
    const body = await readBody(request);
    if (!body) return send(response, json(413, { message: 'Request Entity Too Large' }));

    const values = route.pattern.exec(path)?.slice(1) ?? [];
    const pathParameters = Object.fromEntries(route.parameterNames.map((name, index) => [name, decodeURIComponent(values[index] ?? '')]));
    const event = toApiGatewayEvent(
      { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body, sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
      route,
      pathParameters,
      now(),
    );
    const invocation = route.handler(event, lambdaContext(route.functionName, event.requestContext.requestId));
    inFlight.add(invocation);
    try {
      send(response, await invocation);
    } catch (error) {
      // What API Gateway answers when a function throws: no detail leaks to the caller.
      console.error(`${route.functionName} failed`, error);
      send(response, json(500, { message: 'Internal Server Error' }));
    } finally {
      inFlight.delete(invocation);
    }
  });

  const listening = await listenOnLoopback(server, port);
  return {
    ...listening,
    /** Handlers whose configuration needs the gateway's own URL are added once it listens. */
    addRoutes: (more: Route[]) => compiled.push(...more.map(compile)),
    /** What it serves, as "METHOD /path → function". */
    routes: () => compiled.map(({ method, path, functionName }) => `${method} ${path} → ${functionName}`),
    async close() {
      await closeServer(server);
      await Promise.allSettled([...inFlight]);
    },
  };
}
