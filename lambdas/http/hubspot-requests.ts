import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseOrThrow } from '@touchpoints/contracts';
import { ForbiddenError, PortalNotInstalledError, UnauthenticatedError } from '../errors.js';
import type { GrantStore } from '../hubspot/clients.js';
import { verifyHubSpotSignatureV3 } from '../hubspot/signature.js';
import { header, publicUrl, rawBody } from './responses.js';

/** Proof that HubSpot sent the request: its v3 signature over method, full URL, body and timestamp; 401 otherwise. */
export function requireHubSpotSignature(
  event: APIGatewayProxyEventV2,
  { clientSecret, publicApiUrl, now = Date.now }: { clientSecret: string; publicApiUrl?: string | undefined; now?: () => number },
): void {
  const verdict = verifyHubSpotSignatureV3(
    {
      method: event.requestContext.http.method,
      url: publicUrl(event, publicApiUrl),
      body: rawBody(event),
      signature: header(event, 'x-hubspot-signature-v3'),
      timestamp: header(event, 'x-hubspot-request-timestamp'),
    },
    clientSecret,
    now(),
  );
  if (!verdict.valid) throw new UnauthenticatedError(`HubSpot signature ${verdict.reason}`);
}

/** The identity HubSpot appends to every `hubspot.fetch` URL before signing it. */
const HubSpotIdentity = z.object({
  portalId: z.string({ error: 'is missing' }).regex(/^\d{1,15}$/, { error: 'must be one portal id' }).transform(Number),
  userId: z.string().regex(/^\d{1,15}$/).optional(),
  userEmail: z.string().optional(),
  appId: z.string().regex(/^\d{1,15}$/).optional(),
});

/**
 * A request from a card or the settings page, proven to come from HubSpot:
 * the v3 signature covers the whole URL, including the identity HubSpot
 * appended. The card's code runs in the user's browser, so a portal id it put
 * in the URL itself is trusted only if it is HubSpot's too: two different
 * `portalId` values (API Gateway joins repeats with a comma) are refused.
 */
export function verifiedHubSpotFetch(
  event: APIGatewayProxyEventV2,
  { clientSecret, publicApiUrl, now = Date.now }: { clientSecret: string; publicApiUrl?: string | undefined; now?: () => number },
) {
  requireHubSpotSignature(event, { clientSecret, publicApiUrl, now });

  const query = event.queryStringParameters ?? {};
  const portalIds = new Set((query.portalId ?? '').split(','));
  if (portalIds.size > 1) throw new ForbiddenError('the request names a portal HubSpot did not vouch for');
  // The same id twice (the card repeating HubSpot's own) names one portal.
  const identity = parseOrThrow(HubSpotIdentity, { ...query, portalId: [...portalIds][0] }, 'HubSpot identity');
  return { portalId: identity.portalId, userId: identity.userId, userEmail: identity.userEmail, query };
}

/**
 * A portal that never installed Touchpoints, or has uninstalled it, gets nothing read or written
 * for it: the caller answers 404 "not connected" (errorResponse), so a page left open after an
 * uninstall cannot bring the deleted data back.
 */
export async function requireConnected(installs: Pick<GrantStore, 'getInstall'>, portalId: number): Promise<void> {
  if (!(await installs.getInstall(portalId))) throw new PortalNotInstalledError(portalId);
}
