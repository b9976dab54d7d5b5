import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SurveyLanguage } from '@touchpoints/contracts';

/**
 * What a survey link names: the invitation (portal, deal, touchpoint, contact),
 * the language to answer in and when the link stops working. Signed with
 * HMAC-SHA256, so it cannot be guessed or altered; it is not encrypted, and
 * carries ids only, no personal data.
 */
export interface SurveyTokenClaims {
  portalId: number;
  dealId: string;
  touchpointId: string;
  contactId: string;
  language: SurveyLanguage;
  expiresAt: Date;
}

const Claims = z
  .object({
    p: z.int().positive(),
    d: z.string().regex(/^\d{1,30}$/),
    t: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    c: z.string().regex(/^\d{1,30}$/),
    l: SurveyLanguage,
    e: z.int().positive(),
  })
  .strict();

/** Survey links stay valid this long after the survey is sent (the reminder reuses them). */
export const surveyLinkLifetimeDays = 30;
const maxTokenLength = 512;

function signature(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signSurveyToken(claims: SurveyTokenClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ p: claims.portalId, d: claims.dealId, t: claims.touchpointId, c: claims.contactId, l: claims.language, e: Math.floor(claims.expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return `${payload}.${signature(payload, secret)}`;
}

export type SurveyTokenReading =
  | { status: 'valid'; claims: SurveyTokenClaims }
  | { status: 'expired'; claims: SurveyTokenClaims }
  | { status: 'invalid' };

/** Checks the signature in constant time before reading anything in the token. */
export function readSurveyToken(token: string, secret: string, now: Date): SurveyTokenReading {
  if (token.length > maxTokenLength) return { status: 'invalid' };
  const [payload, given, ...rest] = token.split('.');
  if (!payload || !given || rest.length) return { status: 'invalid' };
  const expected = Buffer.from(signature(payload, secret));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { status: 'invalid' };

  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { status: 'invalid' };
  }
  const parsed = Claims.safeParse(decoded);
  if (!parsed.success) return { status: 'invalid' };
  const { p, d, t, c, l, e } = parsed.data;
  const claims: SurveyTokenClaims = { portalId: p, dealId: d, touchpointId: t, contactId: c, language: l, expiresAt: new Date(e * 1000) };
  return claims.expiresAt.getTime() <= now.getTime() ? { status: 'expired', claims } : { status: 'valid', claims };
}
