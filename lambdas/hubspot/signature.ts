// The helper's own module: importing the package root would bundle the whole API client (4.5 MB) into every function that checks a signature.
import { Signature } from '@hubspot/api-client/lib/src/utils/signature.js';
import { timingSafeEqual } from 'node:crypto';

/** HubSpot rejects nothing older; neither do we (request-validation docs, v3). */
export const maxSignatureAgeMs = 5 * 60_000;
/** Clocks drift: a timestamp slightly ahead of ours is fine, one far ahead is forged. */
const maxClockSkewMs = 60_000;

/**
 * HubSpot signs the URI with these characters decoded (request-validation docs,
 * "Validate the v3 request signature"); every other escape stays as sent.
 */
const decodedInSignedUri: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function uriAsHubSpotSignsIt(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => decodedInSignedUri[escape.toUpperCase()] ?? escape);
}

export interface SignedRequest {
  method: string;
  /** The full public URL HubSpot called, with protocol, host and query string. */
  url: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SignatureVerdict = { valid: true } | { valid: false; reason: 'missing' | 'stale' | 'mismatch' };

/**
 * Checks `X-HubSpot-Signature-v3`. The hash comes from @hubspot/api-client's
 * own helper; around it we add what `Signature.isValid` lacks: a verdict
 * instead of a throw on a stale or missing timestamp, a bound on future
 * timestamps, the URI decoding HubSpot's docs require, and a constant-time compare.
 */
export function verifyHubSpotSignatureV3(request: SignedRequest, clientSecret: string, now: number = Date.now()): SignatureVerdict {
  const { signature, timestamp } = request;
  if (!signature || !timestamp || !/^\d{1,15}$/.test(timestamp)) return { valid: false, reason: 'missing' };
  const signedAt = Number(timestamp);
  if (now - signedAt > maxSignatureAgeMs || signedAt - now > maxClockSkewMs) return { valid: false, reason: 'stale' };

  const expected = Signature.getSignature(request.method.toUpperCase(), 'v3', {
    signature,
    clientSecret,
    requestBody: request.body,
    url: uriAsHubSpotSignsIt(request.url),
    timestamp: signedAt,
  });
  const given = Buffer.from(signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? { valid: true } : { valid: false, reason: 'mismatch' };
}
