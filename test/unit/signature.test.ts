import { Signature } from '@hubspot/api-client';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uriAsHubSpotSignsIt, verifyHubSpotSignatureV3 } from '../../lambdas/hubspot/signature.js';

const clientSecret = 'local-client-secret';
const now = 1_764_000_000_000;
const url = 'https://api.touchpoints.example/webhooks/hubspot';
const body = '[{"eventId":1,"portalId":24681357}]';

function sign(method: string, signedUrl: string, signedBody: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${signedUrl}${signedBody}${timestamp}`).digest('base64');
}

const request = (change: Partial<Parameters<typeof verifyHubSpotSignatureV3>[0]> = {}) => ({
  method: 'POST',
  url,
  body,
  timestamp: String(now),
  signature: sign('POST', url, body, now),
  ...change,
});

describe('verifyHubSpotSignatureV3', () => {
  it('accepts a request signed as HubSpot signs it', () => {
    expect(verifyHubSpotSignatureV3(request(), clientSecret, now)).toEqual({ valid: true });
  });

  it('agrees with @hubspot/api-client’s Signature.isValid on a fresh request', () => {
    const fresh = Date.now();
    const signed = request({ timestamp: String(fresh), signature: sign('POST', url, body, fresh) });
    const libraryVerdict = Signature.isValid({
      signatureVersion: 'v3',
      signature: signed.signature,
      clientSecret,
      requestBody: body,
      url,
      method: 'POST',
      timestamp: fresh,
    });
    expect(libraryVerdict).toBe(true);
    expect(verifyHubSpotSignatureV3(signed, clientSecret).valid).toBe(true);
  });

  it.each([
    ['the body', { body: body.replace('24681357', '11111111') }],
    ['the URL', { url: `${url}?portalId=1` }],
    ['the method', { method: 'PUT' }],
    ['the timestamp', { timestamp: String(now + 1) }],
    ['the signature', { signature: sign('POST', url, body, now).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }],
  ])('refuses a request whose %s was changed', (_, change) => {
    expect(verifyHubSpotSignatureV3(request(change), clientSecret, now)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('refuses a request signed with another secret', () => {
    expect(verifyHubSpotSignatureV3(request(), 'another-secret', now).valid).toBe(false);
  });

  it.each([
    ['no signature', { signature: undefined }],
    ['no timestamp', { timestamp: undefined }],
    ['a timestamp that is not a number', { timestamp: '17640e9' }],
  ])('refuses %s without throwing', (_, change) => {
    expect(verifyHubSpotSignatureV3(request(change), clientSecret, now)).toEqual({ valid: false, reason: 'missing' });
  });

  it('accepts a request signed exactly five minutes ago and refuses one a millisecond older', () => {
    expect(verifyHubSpotSignatureV3(request(), clientSecret, now + 300_000).valid).toBe(true);
    expect(verifyHubSpotSignatureV3(request(), clientSecret, now + 300_001)).toEqual({ valid: false, reason: 'stale' });
  });

  it('refuses a timestamp more than a minute in the future', () => {
    expect(verifyHubSpotSignatureV3(request(), clientSecret, now - 60_001)).toEqual({ valid: false, reason: 'stale' });
  });

  it('refuses a signature of a different length without comparing it', () => {
    expect(verifyHubSpotSignatureV3(request({ signature: 'short' }), clientSecret, now)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('verifies a URL whose query HubSpot signed with reserved characters decoded', () => {
    const sent = 'https://api.touchpoints.example/card?userEmail=mette%40bilhuset.example&note=a%2Cb%20c';
    const signedAs = 'https://api.touchpoints.example/card?userEmail=mette@bilhuset.example&note=a,b%20c';
    expect(uriAsHubSpotSignsIt(sent)).toBe(signedAs);
    const signature = sign('GET', signedAs, '', now);
    expect(verifyHubSpotSignatureV3({ method: 'GET', url: sent, body: '', timestamp: String(now), signature }, clientSecret, now).valid).toBe(true);
  });
});
