import { Client } from '@hubspot/api-client';
import { optionalEnv } from '../config.js';
import type { PortalInstall } from '../domain/install.js';
import { hubspotAppFromEnvironment, secretFromEnvironment, type HubSpotApp } from '../secrets.js';
import { withBackoff } from './backoff.js';
import { defaultSilenceTimeoutMs, silenceTimeoutAgent } from './silence-timeout.js';
import { TokenSealer } from './token-sealer.js';
import { PortalNotInstalledError } from '../errors.js';

/** Where grants live: the store, holding the tokens sealed. */
export interface GrantStore {
  getInstall(portalId: number): Promise<PortalInstall | undefined>;
  saveInstall(portalId: number, install: PortalInstall): Promise<void>;
  /** One container at a time refreshes a portal's token. */
  claimTokenRefresh(portalId: number, until: Date): Promise<boolean>;
}

export interface HubSpotClientsOptions {
  /** Locally the HubSpot sandbox; unset on AWS (api.hubapi.com). */
  basePath?: string | undefined;
  app: HubSpotApp;
  sealer: TokenSealer;
  now?: () => Date;
  /** A call silent this long is given up and retried (default 10 s; tests shorten it). */
  silenceTimeoutMs?: number;
}

/** Tokens are refreshed this long before they expire (HubSpot's last 30 minutes). */
const refreshAheadMs = 5 * 60_000;
const refreshLeaseMs = 30_000;

/**
 * Hands out an @hubspot/api-client Client per portal from the portal's stored
 * grant, refreshing the access token before it expires. Two containers never
 * refresh at once (a lease in the store); the one that loses keeps using the
 * still-valid token. Clients are kept per access token for the container's
 * life: the client's rate limiter must see every call for its portal.
 */
export class HubSpotClients {
  private readonly byToken = new Map<string, Client>();
  /** Portals whose token HubSpot refused (401): the next client for them comes with a fresh token. */
  private readonly refused = new Set<number>();
  private readonly now: () => Date;
  /** One agent for every client: its kept-alive connections serve every portal. */
  private readonly httpAgent;

  constructor(
    private readonly grants: GrantStore,
    private readonly options: HubSpotClientsOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.httpAgent = silenceTimeoutAgent(options.basePath, options.silenceTimeoutMs ?? defaultSilenceTimeoutMs);
  }

  async forPortal(portalId: number): Promise<Client> {
    const install = await this.grants.getInstall(portalId);
    if (!install) throw new PortalNotInstalledError(portalId);
    let accessToken = this.options.sealer.open(install.accessToken);
    const refusedBefore = this.refused.delete(portalId);
    if (refusedBefore || install.expiresAt.getTime() - this.now().getTime() < refreshAheadMs) {
      accessToken = (await this.refresh(portalId, install)) ?? accessToken;
    }
    return this.clientFor(portalId, accessToken);
  }

  /** Stores a grant from HubSpot's token endpoint, sealed; `installedAt` when it comes from an install, not a refresh. */
  async saveGrant(portalId: number, grant: { accessToken: string; refreshToken: string; expiresIn: number }, installedAt?: Date): Promise<void> {
    const { sealer } = this.options;
    await this.grants.saveInstall(portalId, {
      accessToken: sealer.seal(grant.accessToken),
      refreshToken: sealer.seal(grant.refreshToken),
      expiresAt: new Date(this.now().getTime() + grant.expiresIn * 1000),
      ...(installedAt ? { installedAt } : {}),
    });
  }

  /** A client that talks to HubSpot's OAuth endpoints (no portal token). */
  oauthClient(): Client {
    return new Client({ httpAgent: this.httpAgent, ...(this.options.basePath ? { basePath: this.options.basePath } : {}) });
  }

  private async refresh(portalId: number, install: PortalInstall): Promise<string | undefined> {
    if (!(await this.grants.claimTokenRefresh(portalId, new Date(this.now().getTime() + refreshLeaseMs)))) return undefined;
    const { clientId, clientSecret } = this.options.app;
    const tokens = await withBackoff(() =>
      this.oauthClient().oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, this.options.sealer.open(install.refreshToken)),
    );
    await this.saveGrant(portalId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn });
    return tokens.accessToken;
  }

  private clientFor(portalId: number, accessToken: string): Client {
    let client = this.byToken.get(accessToken);
    if (!client) {
      const noteRefusal = { pre: (context: unknown) => context, post: (context: unknown) => {
        // The call itself fails and is retried by its caller (SQS, the next due run); by then the token is new.
        if ((context as { httpStatusCode?: number }).httpStatusCode === 401) this.refused.add(portalId);
        return context;
      } };
      client = new Client({ accessToken, middleware: [noteRefusal], httpAgent: this.httpAgent, ...(this.options.basePath ? { basePath: this.options.basePath } : {}) });
      this.byToken.set(accessToken, client);
    }
    return client;
  }
}

/** `app` when the caller has read it already: the secret is then not read a second time at cold start. */
export async function hubspotClientsFromEnvironment(grants: GrantStore, knownApp?: HubSpotApp): Promise<HubSpotClients> {
  const [app, key] = await Promise.all([knownApp ?? hubspotAppFromEnvironment(), secretFromEnvironment('TOKEN_ENCRYPTION_KEY')]);
  return new HubSpotClients(grants, { basePath: optionalEnv('HUBSPOT_API_BASE_PATH'), app, sealer: new TokenSealer(key) });
}
