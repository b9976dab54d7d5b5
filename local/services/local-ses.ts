import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';
import { closeServer, listenOnLoopback } from './loopback.js';
import { answerXml, isIdentityAction, LocalSesIdentities, queryError, type LocalSesIdentitiesOptions } from './ses-identities.js';

// aws-ses-v2-local is CommonJS with `exports.default`.
const requireCommonJs = createRequire(import.meta.url);
const startSesServer = requireCommonJs('aws-ses-v2-local').default as (config: {
  host: string;
  port: number;
}) => Promise<Server>;
// Its mails live in one module-wide store, the one `GET /` and `GET /store` list.
const mailStore = requireCommonJs('aws-ses-v2-local/dist/store.js') as { getStoreReadonly(): { emails: KeptMail[] } };

/** A mail as aws-ses-v2-local keeps it; only what restoring it relies on is checked. */
const KeptMail = z.looseObject({ messageId: z.string(), at: z.number() });
type KeptMail = z.infer<typeof KeptMail>;

export interface LocalSesOptions extends Pick<LocalSesIdentitiesOptions, 'verifyDomainsAfterMs' | 'statePath'> {
  port?: number;
  /**
   * Kept across restarts in this file (npm start): the local SES starts with exactly its mails and
   * writes them back after every send or clear. Without it the mails are in memory only.
   */
  mailPath?: string;
  /**
   * The account's sending rate (GetSendQuota's MaxSendRate, mails per second). As SES does, a mail
   * beyond it within one second is refused with `Throttling` ("Maximum sending rate exceeded.").
   */
  maxSendRate?: number;
  /** Each mail is answered this much later (ms, drawn per mail): SES's latency on AWS, for benchmarks. */
  sendLatencyMs?: () => number;
}

/** The local account's rate unless set: generous, so tests sending bursts are not throttled. */
export const localMaxSendRate = 200;

function restoreMails(mailPath: string): void {
  const kept = existsSync(mailPath) ? z.array(KeptMail).parse(JSON.parse(readFileSync(mailPath, 'utf8'))) : [];
  mailStore.getStoreReadonly().emails.splice(0, Infinity, ...kept);
}

function keepMails(mailPath: string): void {
  mkdirSync(dirname(mailPath), { recursive: true });
  // Written aside and renamed, so a crash mid-write never leaves half a file to restore.
  writeFileSync(`${mailPath}.tmp`, JSON.stringify(mailStore.getStoreReadonly().emails));
  renameSync(`${mailPath}.tmp`, mailPath);
}

export interface RunningLocalSes {
  /** The SES API endpoint for the AWS SDK, and the web page listing every mail sent. */
  endpoint: string;
  /** The sender domains SES was asked to verify, and the tester's switch that verifies one. */
  identities: LocalSesIdentities;
  close(): Promise<void>;
}

/** The mail calls aws-ses-v2-local answers; any other SES v1 action it would leave unanswered. */
const mailActions = new Set(['SendEmail', 'SendRawEmail']);

/**
 * A local SES: the SES v1/v2 API on loopback, keeping every mail in memory (and in `mailPath`);
 * `GET /` shows them in a browser, `GET /store` as JSON. The mails are one store per process. A small front answers
 * the SES v1 identity calls (ses-identities.ts) and hands everything else to
 * aws-ses-v2-local. For testers: `GET /identities` lists the sender domains and
 * `POST /identities/{domain or address}/verify` verifies one (`npm run demo -- verify-sender`).
 */
export async function startLocalSes({ port = 0, mailPath, maxSendRate = localMaxSendRate, sendLatencyMs, ...identityOptions }: LocalSesOptions = {}): Promise<RunningLocalSes> {
  if (mailPath) restoreMails(mailPath);
  const mail = await startSesServer({ host: '127.0.0.1', port: 0 });
  const mailPort = (mail.address() as AddressInfo).port;
  const identities = new LocalSesIdentities(identityOptions);
  /** When the mails of the last second were taken: SES's rate is per second. */
  let sendsInLastSecond: number[] = [];
  const front = createServer((incoming, response) => {
    readBody(incoming).then(
      (body) => serve(incoming, body, response),
      () => response.destroy(),
    );
  });

  function serve(incoming: IncomingMessage, body: Buffer, response: ServerResponse) {
    const verify = incoming.method === 'POST' ? /^\/identities\/([^/]+)\/verify$/.exec(incoming.url ?? '') : null;
    if (verify) {
      const domain = decodeURIComponent(verify[1]!);
      const known = identities.verify(domain);
      response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(known ? { domain, status: 'Success' } : { message: `SES was never asked to verify ${domain}` }));
      return;
    }
    if (incoming.method === 'GET' && incoming.url === '/identities') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ identities: identities.list() }));
      return;
    }
    const isQuery = incoming.method === 'POST' && incoming.url === '/' && (incoming.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const parameters = isQuery ? new URLSearchParams(body.toString('utf8')) : undefined;
    const action = parameters?.get('Action') ?? null;
    if (action === 'GetSendQuota') {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(answerXml(action, `<Max24HourSend>${maxSendRate * 86_400}</Max24HourSend><MaxSendRate>${maxSendRate}</MaxSendRate><SentLast24Hours>0</SentLast24Hours>`).xml);
      return;
    }
    if (parameters && !mailActions.has(action ?? '')) {
      const answer = isIdentityAction(action) ? identities.answer(action, parameters) : queryError('InvalidAction', `The local SES does not implement ${action ?? 'a request without an Action'}.`);
      response.writeHead(answer.status, { 'content-type': 'text/xml' });
      response.end(answer.xml);
      return;
    }
    if (!action || !mailActions.has(action)) return forward(incoming, body, response);
    const now = Date.now();
    sendsInLastSecond = sendsInLastSecond.filter((at) => at > now - 1000);
    if (sendsInLastSecond.length >= maxSendRate) {
      const throttled = queryError('Throttling', 'Maximum sending rate exceeded.');
      response.writeHead(throttled.status, { 'content-type': 'text/xml' });
      response.end(throttled.xml);
      return;
    }
    sendsInLastSecond.push(now);
    const delayMs = sendLatencyMs?.() ?? 0;
    if (delayMs > 0) setTimeout(() => forward(incoming, body, response), delayMs);
    else forward(incoming, body, response);
  }

  function forward(incoming: IncomingMessage, body: Buffer, response: ServerResponse) {
    const upstream = request({ host: '127.0.0.1', port: mailPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      // A POST sends mail or clears the store; GETs only read it.
      if (mailPath && incoming.method === 'POST') answer.on('end', () => keepMails(mailPath));
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    upstream.end(body);
  }

  const { url } = await listenOnLoopback(front, port);
  return {
    endpoint: url,
    identities,
    async close() {
      await closeServer(front);
      await closeServer(mail);
    },
  };
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}
