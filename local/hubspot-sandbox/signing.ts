/**
 * HubSpot's v3 request signature, computed the way HubSpot computes it for the
 * requests it sends (webhooks, hubspot.fetch). Written from HubSpot's
 * request-validation docs and independent of our own verifier in
 * lambdas/hubspot, so tests that pair the two prove something.
 */
import { createHmac } from 'node:crypto';

/** The escapes HubSpot's docs list as decoded in the URI that is signed; all others stay. */
const escapesDecodedBeforeSigning: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function uriForSignature(url: string): string {
  return url.replace(/%[0-9A-F]{2}/gi, (escape) => escapesDecodedBeforeSigning[escape.toUpperCase()] ?? escape);
}

export interface SignatureInput {
  clientSecret: string;
  method: string;
  /** The full URL as sent: protocol, host, path and query. */
  url: string;
  body: string;
  /** Milliseconds since the epoch, sent as `X-HubSpot-Request-Timestamp`. */
  timestamp: number;
}

/** base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)). */
export function signatureV3({ clientSecret, method, url, body, timestamp }: SignatureInput): string {
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${uriForSignature(url)}${body}${timestamp}`, 'utf8')
    .digest('base64');
}

export function signatureHeaders(input: SignatureInput): Record<string, string> {
  return {
    'X-HubSpot-Signature-v3': signatureV3(input),
    'X-HubSpot-Request-Timestamp': String(input.timestamp),
    'X-HubSpot-Signature-Version': 'v3',
  };
}

export interface FetchRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The URL the card passed to `hubspot.fetch`. */
  url: string;
  /** The card's `body` option; HubSpot sends it as JSON. */
  body?: unknown;
  /** Who is looking at the card: HubSpot vouches for these by appending them to the URL. */
  portalId: number;
  userId: number;
  userEmail: string;
}

export interface SignedFetchRequest {
  method: string;
  /** The URL HubSpot actually calls: the card's URL plus HubSpot's identity parameters. */
  url: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * What a request from a UI extension's `hubspot.fetch` looks like when it
 * reaches the back end: HubSpot appends `userId`, `userEmail`, `appId` and
 * `portalId` to the query (after any parameters the card set itself, which
 * are kept, even a forged `portalId`) and signs the final URL with v3.
 */
export function signFetchRequest(
  app: { appId: number; clientSecret: string },
  request: FetchRequest,
  timestamp: number,
): SignedFetchRequest {
  const method = request.method ?? 'GET';
  const url = new URL(request.url);
  url.searchParams.append('userId', String(request.userId));
  url.searchParams.append('userEmail', request.userEmail);
  url.searchParams.append('appId', String(app.appId));
  url.searchParams.append('portalId', String(request.portalId));
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  const headers = {
    ...(body !== '' && { 'Content-Type': 'application/json' }),
    ...signatureHeaders({ clientSecret: app.clientSecret, method, url: url.toString(), body, timestamp }),
  };
  return { method, url: url.toString(), body, headers };
}
