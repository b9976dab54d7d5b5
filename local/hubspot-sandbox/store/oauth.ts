/**
 * OAuth: install codes, portals' access and refresh tokens, the app's own
 * client-credentials tokens, and the app being installed in and uninstalled
 * from portals (journaled in journal.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { HubSpotApiError, OAuthError, notFound } from '../http.js';
import { appInstallEventTypeId, appUninstallEventTypeId, grantedScopes, webhooksJournalScopes } from '../model.js';
import type { JournalStore } from './journal.js';
import type { PersistentState } from './persistence.js';
import { type PortalState, type StoreOptions, iso, own } from './state.js';

export interface Grant {
  portalId: number;
  userId: number;
  scopes: string[];
}

export interface AccessGrant extends Grant {
  /** null: a seeded long-lived token. */
  expiresAt: number | null;
}

export interface InstallCode extends Grant {
  redirectUri: string | null;
  expiresAt: number;
}

/** A client-credentials token: the app itself, no portal, no user. */
export interface AppGrant {
  scopes: string[];
  expiresAt: number;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
  hub_id: number;
}

/** What uninstalling the app from a portal did. */
export interface AppUninstall {
  portalId: number;
  /** False when the app was not installed there: nothing changed and nothing was journaled. */
  changed: boolean;
  /** Access, refresh and static tokens of the portal that stopped working. */
  revokedTokens: number;
  /** The APP_UNINSTALL journal entry's offset; null without an uninstall subscription (or a change). */
  journalOffset: string | null;
  uninstalledAt: string;
}

/** HubSpot's ClientCredentialsTokenResponse (no refresh token). */
export interface ClientCredentialsToken {
  access_token: string;
  expires_in: number;
  token_type: 'bearer';
  token_use: 'client_credentials';
  scopes: string[];
}

/** HubSpot's access tokens live 30 minutes. */
export const accessTokenLifetimeSeconds = 1800;
const installCodeLifetimeMs = 10 * 60_000;

const unauthenticatedMessage =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

const bearerToken = (authorization: string | undefined) => /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];

export class OAuthStore {
  constructor(private readonly db: PersistentState, private readonly journal: JournalStore, private readonly options: StoreOptions) {}

  // ---- Portals' tokens ----

  issueInstallCode(portalId: number, redirectUri: string | null, scopes: string[] = grantedScopes): string {
    const portal = this.db.portal(portalId);
    const code = randomUUID();
    this.db.state.installCodes[code] = {
      portalId,
      userId: portal.owners[0]?.userId ?? 0,
      scopes,
      redirectUri,
      expiresAt: this.options.now() + installCodeLifetimeMs,
    };
    this.db.save();
    return code;
  }

  redeemInstallCode(code: string, redirectUri: string | undefined): TokenPair {
    const grant = own(this.db.state.installCodes, code);
    if (!grant || grant.expiresAt < this.options.now()) throw new OAuthError('BAD_AUTH_CODE', 'missing or unknown auth code');
    if (grant.redirectUri !== null && grant.redirectUri !== redirectUri) {
      throw new OAuthError('BAD_REDIRECT_URI', 'redirect_uri does not match initial auth code URL');
    }
    delete this.db.state.installCodes[code]; // codes are single-use
    const refreshToken = `na1-${randomUUID()}`;
    this.db.state.refreshTokens[refreshToken] = { portalId: grant.portalId, userId: grant.userId, scopes: grant.scopes };
    if (!this.isAppInstalled(grant.portalId)) this.reinstallApp(grant.portalId, grant.userId);
    return this.tokenPair(refreshToken);
  }

  /** HubSpot keeps the refresh token and hands out a new access token. */
  refreshAccessToken(refreshToken: string): TokenPair {
    return this.tokenPair(refreshToken);
  }

  private tokenPair(refreshToken: string): TokenPair {
    const grant = own(this.db.state.refreshTokens, refreshToken);
    if (!grant) throw new OAuthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    const accessToken = this.issueAccessToken(grant.portalId, grant);
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: accessTokenLifetimeSeconds, token_type: 'bearer', hub_id: grant.portalId };
  }

  /** A fresh 30-minute access token for a portal, as an install would get. */
  issueAccessToken(portalId: number, grant?: Omit<Grant, 'portalId'>): string {
    const portal = this.db.portal(portalId);
    const token = `sbx-${randomBytes(24).toString('base64url')}`;
    this.db.state.accessTokens[token] = {
      portalId,
      userId: grant?.userId ?? portal.owners[0]?.userId ?? 0,
      scopes: grant?.scopes ?? grantedScopes,
      expiresAt: this.options.now() + accessTokenLifetimeSeconds * 1000,
    };
    this.db.save();
    return token;
  }

  /** The portal a `Bearer` token belongs to; 401 in HubSpot's words otherwise. */
  authenticate(authorization: string | undefined): PortalState {
    const token = bearerToken(authorization);
    const grant = token === undefined ? undefined : own(this.db.state.accessTokens, token);
    if (!grant) throw new HubSpotApiError(401, 'INVALID_AUTHENTICATION', unauthenticatedMessage);
    const now = this.options.now();
    if (grant.expiresAt !== null && grant.expiresAt <= now) {
      const seconds = Math.max(1, Math.round((now - grant.expiresAt) / 1000));
      throw new HubSpotApiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${seconds} second(s) ago.`, {
        'expire time': [iso(grant.expiresAt)],
      });
    }
    return this.db.portal(grant.portalId);
  }

  /** The portal a `Bearer` token was issued for, expired or not; undefined for anything else. */
  portalIdOf(authorization: string | undefined): number | undefined {
    const token = bearerToken(authorization);
    return token === undefined ? undefined : own(this.db.state.accessTokens, token)?.portalId;
  }

  /** The user a portal's `Bearer` token was issued to. */
  userIdOf(authorization: string | undefined): number | undefined {
    const token = bearerToken(authorization);
    return token === undefined ? undefined : own(this.db.state.accessTokens, token)?.userId;
  }

  /** What `GET /oauth/v1/access-tokens/{token}` tells about a live token. */
  describeAccessToken(token: string): { grant: AccessGrant; portal: PortalState; expiresInSeconds: number } {
    const grant = own(this.db.state.accessTokens, token);
    const now = this.options.now();
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= now)) throw notFound('Token not found or expired');
    const expiresInSeconds = grant.expiresAt === null ? accessTokenLifetimeSeconds : Math.round((grant.expiresAt - now) / 1000);
    return { grant, portal: this.db.portal(grant.portalId), expiresInSeconds };
  }

  // ---- The app's own tokens ----

  /**
   * A client-credentials token: it authenticates as the app, not a portal, for
   * the webhooks journal only ("The webhooks journal API uses a client
   * credentials token to authorize actions on behalf of your app",
   * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide),
   * living 30 minutes like other access tokens
   * (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens).
   */
  issueAppToken(scopes: readonly string[]): ClientCredentialsToken {
    const token = `sbx-app-${randomBytes(24).toString('base64url')}`;
    const granted = scopes.length > 0 ? [...new Set(scopes)] : Object.values(webhooksJournalScopes);
    this.db.state.appTokens[token] = { scopes: granted, expiresAt: this.options.now() + accessTokenLifetimeSeconds * 1000 };
    this.db.save();
    return { access_token: token, expires_in: accessTokenLifetimeSeconds, token_type: 'bearer', token_use: 'client_credentials', scopes: granted };
  }

  /** The app's client-credentials grant behind a `Bearer` token; a portal's token is as unknown here as any other. */
  authenticateApp(authorization: string | undefined): { scopes: readonly string[] } {
    const token = bearerToken(authorization);
    const grant = token === undefined ? undefined : own(this.db.state.appTokens, token);
    if (!grant) throw new HubSpotApiError(401, 'INVALID_AUTHENTICATION', unauthenticatedMessage);
    const now = this.options.now();
    if (grant.expiresAt <= now) {
      const seconds = Math.max(1, Math.round((now - grant.expiresAt) / 1000));
      throw new HubSpotApiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${seconds} second(s) ago.`, {
        'expire time': [iso(grant.expiresAt)],
      });
    }
    return grant;
  }

  // ---- Installs and uninstalls ----

  isAppInstalled(portalId: number): boolean {
    return !this.db.state.uninstalledPortalIds.includes(portalId);
  }

  /**
   * An OAuth install in a portal the app was uninstalled from: it is installed
   * again, its static local token (if the seed has one) works again, and
   * APP_INSTALL is journaled if the app subscribes to it.
   */
  private reinstallApp(portalId: number, userId: number): void {
    const state = this.db.state;
    state.uninstalledPortalIds = state.uninstalledPortalIds.filter((id) => id !== portalId);
    const staticToken = this.db.seeds.find((seed) => seed.portalId === portalId)?.staticAccessToken;
    if (staticToken) state.accessTokens[staticToken] = { portalId, userId: this.db.portal(portalId).owners[0]?.userId ?? 0, scopes: grantedScopes, expiresAt: null };
    this.journal.recordLifecycleEvent(appInstallEventTypeId, portalId, userId);
  }

  /**
   * The app leaves the portal, by its own API call or a user's click in
   * HubSpot: every token issued for the portal stops working (the seed's
   * static one too), and APP_UNINSTALL is journaled if the app subscribes to
   * it. A portal the app is not installed in is left as it is.
   * `userId` (who uninstalled) defaults to the portal's first owner.
   */
  uninstallApp(portalId: number, userId?: number): AppUninstall {
    const portal = this.db.portal(portalId);
    const at = this.options.now();
    let revokedTokens = 0;
    for (const tokens of [this.db.state.accessTokens, this.db.state.refreshTokens] as Record<string, { portalId: number }>[]) {
      for (const [token, grant] of Object.entries(tokens)) {
        if (grant.portalId !== portalId) continue;
        delete tokens[token];
        revokedTokens++;
      }
    }
    if (!this.isAppInstalled(portalId)) {
      if (revokedTokens > 0) this.db.save(); // tokens handed out by accessTokenFor after the uninstall
      return { portalId, changed: false, revokedTokens, journalOffset: null, uninstalledAt: iso(at) };
    }
    this.db.state.uninstalledPortalIds.push(portalId);
    const journalOffset = this.journal.recordLifecycleEvent(appUninstallEventTypeId, portalId, userId ?? portal.owners[0]?.userId ?? 0);
    this.db.save();
    return { portalId, changed: true, revokedTokens, journalOffset, uninstalledAt: iso(at) };
  }
}
