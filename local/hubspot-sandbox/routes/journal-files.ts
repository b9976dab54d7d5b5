/**
 * The files behind the webhooks journal's pre-signed URLs: the sandbox signs
 * the links it hands out and serves the files itself, as S3 would.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Route, type RouteResponse, json } from '../http.js';
import type { JournalDependencies } from './journal.js';

/** Stands for the S3 bucket HubSpot's pre-signed URLs point into (not a HubSpot path). */
export const journalFilesPath = '/_journal/files';
/** How long a file link works after the read that handed it out (HubSpot does not say; 5 minutes here). */
export const journalUrlLifetimeSeconds = 300;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Signs and checks file links the way a pre-signed S3 URL works: the query
 * carries when it was signed, for how long, and a signature over both and the
 * key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html).
 */
export function fileSigner(secret: string) {
  const signature = (offset: string, amzDate: string, expires: string) =>
    createHmac('sha256', secret).update(`journal-file\n${offset}\n${amzDate}\n${expires}`).digest('hex');
  return {
    sign(baseUrl: string, offset: string, at: number): { url: string; expiresAt: string; currentOffset: string } {
      const signedAt = Math.floor(at / 1000) * 1000;
      const amzDate = iso(signedAt).replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const expires = String(journalUrlLifetimeSeconds);
      const url = new URL(`${baseUrl}${journalFilesPath}/${encodeURIComponent(offset)}`);
      url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
      url.searchParams.set('X-Amz-Date', amzDate);
      url.searchParams.set('X-Amz-Expires', expires);
      url.searchParams.set('X-Amz-SignedHeaders', 'host');
      url.searchParams.set('X-Amz-Signature', signature(offset, amzDate, expires));
      return { url: url.toString(), expiresAt: iso(signedAt + journalUrlLifetimeSeconds * 1000), currentOffset: offset };
    },
    /** When the link stops working (ms), or undefined if it was not signed here. */
    verify(offset: string, query: URLSearchParams): number | undefined {
      const amzDate = query.get('X-Amz-Date') ?? '';
      const expires = query.get('X-Amz-Expires') ?? '';
      const given = Buffer.from(query.get('X-Amz-Signature') ?? '');
      const expected = Buffer.from(signature(offset, amzDate, expires));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const parts = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate)?.slice(1).map(Number);
      if (!parts || !/^\d+$/.test(expires)) return undefined;
      const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts;
      return Date.UTC(year, month - 1, day, hour, minute, second) + Number(expires) * 1000;
    },
  };
}

/** An S3 error as S3 answers it: XML (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}): RouteResponse {
  const fields = Object.entries({ Code: code, Message: message, ...extra, RequestId: randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase() })
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
  return { status, raw: { contentType: 'application/xml', text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>` } };
}

/**
 * A journal entry's file, `{offset, journalEvents, publishedAt}` (the shape
 * third-party code found on the live API; HubSpot's "Event data format"
 * section could not be read, research notes §2). Fetched "without an
 * Authorization header"
 * (https://developers.hubspot.com/docs/api-reference/2027-03-beta/webhooks-journal/journal-entries/local/get-journal-local-earliest):
 * S3 refuses a second way of authenticating, an expired link and a bad
 * signature with its own XML errors.
 */
export function journalFileRoute({ store, app, now }: JournalDependencies): Route {
  const signer = fileSigner(app.clientSecret);
  return {
    method: 'GET',
    path: `${journalFilesPath}/:offset`,
    handle: ({ params, query, authorization }) => {
      const offset = params.offset ?? '';
      if (authorization !== undefined) {
        return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', {
          ArgumentName: 'Authorization',
          ArgumentValue: authorization.split(' ')[0] ?? '',
        });
      }
      const expiresAt = signer.verify(offset, query);
      if (expiresAt === undefined) {
        return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      }
      const at = now();
      if (at > expiresAt) {
        return s3Error(403, 'AccessDenied', 'Request has expired', {
          'X-Amz-Expires': query.get('X-Amz-Expires') ?? '',
          Expires: iso(expiresAt),
          ServerTime: iso(at),
        });
      }
      const entry = store.journal.entries().find((candidate) => candidate.offset === offset);
      if (!entry) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: offset });
      return json({ offset: entry.offset, journalEvents: entry.journalEvents, publishedAt: iso(entry.publishedAt) });
    },
  };
}
