import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSurveyToken, signSurveyToken, type SurveyTokenClaims } from '../../../lambdas/domain/survey-token.js';

const secret = 'survey-signing-secret';
const now = new Date('2026-11-25T10:00:00.000Z');
const claims: SurveyTokenClaims = { portalId: 24681357, dealId: '301', touchpointId: 'sales-meeting', contactId: '101', language: 'da', expiresAt: new Date('2026-12-25T10:00:00.000Z') };
const token = signSurveyToken(claims, secret);

function flipCharacter(text: string, at: number): string {
  return `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
}

describe('survey tokens', () => {
  it('reads back the claims it was signed with', () => {
    expect(readSurveyToken(token, secret, now)).toEqual({ status: 'valid', claims });
  });

  it('is URL-safe and short enough for a link', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(200);
  });

  it('is expired from its expiry second on, with the claims still readable for a page in the right language', () => {
    expect(readSurveyToken(token, secret, claims.expiresAt)).toEqual({ status: 'expired', claims });
  });

  it.each([
    ['a changed payload', () => flipCharacter(token, 5)],
    ['a changed signature', () => flipCharacter(token, token.length - 3)],
    ['another secret', () => signSurveyToken(claims, 'another-secret')],
    ['no signature', () => token.split('.')[0]!],
    ['an extra part', () => `${token}.x`],
    ['an empty string', () => ''],
    ['a very long string', () => 'a'.repeat(5000)],
    ['a signed payload that is not JSON', () => signed(Buffer.from('not json').toString('base64url'))],
    ['a signed payload with claims of the wrong shape', () => signed(Buffer.from(JSON.stringify({ p: -1 })).toString('base64url'))],
  ])('refuses %s as invalid', (_, tampered) => {
    expect(readSurveyToken(tampered(), secret, now)).toEqual({ status: 'invalid' });
  });
});

/** A payload signed with the right key, to show the claims are still checked after the signature. */
function signed(payload: string): string {
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}
