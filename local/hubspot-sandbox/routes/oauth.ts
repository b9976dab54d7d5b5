/** OAuth: the token endpoint, token introspection, the install screen, and the app uninstalling itself. */
import { z } from 'zod';
import { type Route, OAuthError, json, noContent } from '../http.js';
import type { RouteDependencies } from '../routes.js';

const TokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: z.string(), redirect_uri: z.string().optional(), client_id: z.string(), client_secret: z.string() }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), client_id: z.string(), client_secret: z.string() }),
  // The app's own token for the webhooks journal: "If you're using the webhooks journal API, you can also generate
  // access tokens using the client_credentials grant type"; `scope` is space-separated
  // (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens).
  z.object({ grant_type: z.literal('client_credentials'), client_id: z.string(), client_secret: z.string(), scope: z.string().optional() }),
]);

/**
 * The token endpoint, at its v1 path and the date-versioned 2026-03 one, which
 * take the same form fields and answer TokenResponseIF = AccessTokenResponse |
 * ClientCredentialsTokenResponse
 * (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token).
 */
function tokenRoute(path: string, { store, app }: RouteDependencies): Route {
  return {
    method: 'POST',
    path,
    handle: ({ body }) => {
      const parsed = TokenRequest.safeParse(body);
      if (!parsed.success) throw new OAuthError('BAD_REQUEST', `invalid token request: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
      const request = parsed.data;
      if (request.client_id !== app.clientId) throw new OAuthError('BAD_CLIENT_ID', 'missing or unknown client id');
      if (request.client_secret !== app.clientSecret) throw new OAuthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
      switch (request.grant_type) {
        case 'authorization_code':
          return json(store.oauth.redeemInstallCode(request.code, request.redirect_uri));
        case 'refresh_token':
          return json(store.oauth.refreshAccessToken(request.refresh_token));
        case 'client_credentials':
          return json(store.oauth.issueAppToken((request.scope ?? '').split(/\s+/).filter((scope) => scope !== '')));
      }
    },
  };
}

export function oauthRoutes(dependencies: RouteDependencies): Route[] {
  const { store, app } = dependencies;
  return [
    tokenRoute('/oauth/v1/token', dependencies),
    tokenRoute('/oauth/2026-03/token', dependencies),
    {
      method: 'GET',
      path: '/oauth/v1/access-tokens/:token',
      handle: ({ params }) => {
        const { grant, portal, expiresInSeconds } = store.oauth.describeAccessToken(params.token ?? '');
        const user = portal.owners.find((owner) => owner.userId === grant.userId);
        return json({
          token: params.token,
          user: user?.email,
          hub_domain: portal.hubDomain,
          scopes: grant.scopes,
          hub_id: portal.portalId,
          app_id: app.appId,
          expires_in: expiresInSeconds,
          user_id: grant.userId,
          token_type: 'access',
        });
      },
    },
    {
      // There is no HubSpot login here: the install is consented at once, for the
      // portal named by `portalId` (not a HubSpot parameter) or the first one.
      method: 'GET',
      path: '/oauth/authorize',
      handle: ({ query }) => {
        const redirectUri = query.get('redirect_uri');
        if (query.get('client_id') !== app.clientId || !redirectUri) throw new OAuthError('BAD_CLIENT_ID', 'missing or unknown client id, or no redirect_uri');
        const portalId = Number(query.get('portalId') ?? store.portalIds()[0]);
        const target = new URL(redirectUri);
        target.searchParams.set('code', store.oauth.issueInstallCode(portalId, redirectUri));
        const state = query.get('state');
        if (state !== null) target.searchParams.set('state', state);
        return { status: 302, headers: { Location: target.toString() } };
      },
    },
  ];
}

export function appUninstallRoutes({ store }: RouteDependencies): Route[] {
  return [
    // The app uninstalls itself from the portal whose token it presents: "The app is uninstalled from the account
    // associated with the access token you provide", 204 (app uninstalls API, v3 and 2026-03 paths,
    // https://developers.hubspot.com/docs/api-reference/latest/app-management/app-uninstalls/guide). It is journaled
    // like an uninstall a user starts (an assumption: HubSpot does not say).
    ...['/appinstalls/v3/external-install', '/appinstalls/2026-03/external-install'].map((path): Route => ({
      method: 'DELETE',
      path,
      handle: ({ authorization }) => {
        const portal = store.oauth.authenticate(authorization);
        store.oauth.uninstallApp(portal.portalId, store.oauth.userIdOf(authorization));
        return noContent();
      },
    })),
  ];
}
