import dynalite from 'dynalite';
import { randomBytes } from 'node:crypto';
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { closeServer, listenOnLoopback } from './loopback.js';

/** A DynamoDB API request as it reached the server: `PutItem`, `Query`…, with its JSON body (marshalled: `{ PK: { S: '…' } }`). */
export interface DynamoRequest {
  operation: string;
  body: Record<string, unknown>;
}

/** An error DynamoDB answers with instead of doing the request: `{ status: 500, type: 'InternalServerError' }`, say. */
export interface DynamoFault {
  status: number;
  type: string;
  message?: string;
}

export interface RunningDynamo {
  endpoint: string;
  /**
   * DynamoDB gone unreachable: stops listening (new connections are refused)
   * and drops every open connection, so requests in flight get no answer.
   * The data stays. A request dropped before dynalite had it (see
   * `onRequest`) was not applied; one it already had may have been.
   */
  pause(): Promise<void>;
  /** Listens again on the same port, with the data as it was. */
  resume(): Promise<void>;
  readonly paused: boolean;
  /**
   * Calls `listener` with each request once its body is in, before dynalite
   * has it. A listener that calls `pause()` drops that very request; one that
   * returns a fault has it answered with that error instead, nothing done.
   * Returns the unsubscribe.
   */
  onRequest(listener: (request: DynamoRequest) => DynamoFault | void): () => void;
  close(): Promise<void>;
}

const running = new Map<string, RunningDynamo>();

/** The dynalite this process runs at `endpoint`: how a test holding only a stack's endpoint takes it down. */
export function dynaliteAt(endpoint: string): RunningDynamo | undefined {
  return running.get(endpoint);
}

function parsedBody(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function answerWithFault(response: ServerResponse, { status, type, message = 'injected fault' }: DynamoFault) {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomBytes(39).toString('base64url').toUpperCase().slice(0, 52),
    'x-amz-crc32': String(crc32(body)),
  });
  response.end(body);
}

/**
 * A real DynamoDB API server on loopback. With `path` the data lives in a
 * LevelDB folder and survives restarts; without it, in memory.
 */
export interface DynaliteOptions {
  port?: number;
  path?: string;
  /** Each request is answered this much later (ms, drawn per request): DynamoDB's network round trip on AWS, for benchmarks. */
  latencyMs?: () => number;
}

export async function startDynalite({ port = 0, path, latencyMs }: DynaliteOptions = {}): Promise<RunningDynamo> {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // dynalite's own close also closes its database (and an in-memory one starts empty when it listens
  // again), so pause() works on the HTTP server alone, with dynalite's request handler in our hands.
  const [handleRequest] = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  const listeners = new Set<(request: DynamoRequest) => DynamoFault | void>();
  let paused = false;

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => undefined); // dropped half read by pause(): nobody waits for an answer
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = request.headers['x-amz-target'];
      const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
      let fault: DynamoFault | undefined;
      for (const listener of listeners) {
        try {
          fault = listener({ operation, body: parsedBody(body) }) ?? fault;
        } catch (error) {
          console.error('dynalite request listener failed', error);
        }
      }
      if (paused) return; // its connection is gone with the others
      if (fault) return answerWithFault(response, fault);
      // dynalite reads the body from the request as it came, headers and all.
      const replay = Object.assign(Readable.from([body], { objectMode: false }), { headers: request.headers, method: request.method, url: request.url });
      const delayMs = latencyMs?.() ?? 0;
      if (delayMs > 0) setTimeout(() => handleRequest!(replay as unknown as IncomingMessage, response), delayMs);
      else handleRequest!(replay as unknown as IncomingMessage, response);
    });
  });
  const { url, port: boundPort } = await listenOnLoopback(server, port);

  const dynamo: RunningDynamo = {
    endpoint: url,
    get paused() {
      return paused;
    },
    pause() {
      if (paused) return Promise.resolve();
      paused = true;
      return new Promise<void>((resolve, reject) => {
        Server.prototype.close.call(server, (error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    async resume() {
      if (!paused) return;
      await listenOnLoopback(server, boundPort);
      paused = false; // no connection can come in before this: the listen callback runs first
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      running.delete(url);
      await dynamo.resume(); // dynalite closes its database only from a listening server
      await closeServer(server);
    },
  };
  running.set(url, dynamo);
  return dynamo;
}
