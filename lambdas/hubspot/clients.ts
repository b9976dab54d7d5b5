import { Client } from '@hubspot/api-client';
import type { PortalInstall } from '../domain/install.js';

export class PortalNotInstalledError extends Error {
  override readonly name = 'PortalNotInstalledError';
  constructor(readonly portalId: number) {
    super(`portal ${portalId} has not installed the app`);
  }
}

export interface InstallSource {
  getInstall(portalId: number): Promise<PortalInstall | undefined>;
}

/**
 * Hands out an @hubspot/api-client Client per portal, built from the portal's
 * stored grant. Clients are kept per access token for the life of the Lambda
 * container: the client's rate limiter must see every call for its portal.
 */
export class HubSpotClients {
  private readonly byToken = new Map<string, Client>();

  constructor(
    private readonly installs: InstallSource,
    /** Locally the HubSpot sandbox; unset on AWS (api.hubapi.com). */
    private readonly basePath?: string,
  ) {}

  async forPortal(portalId: number): Promise<Client> {
    const install = await this.installs.getInstall(portalId);
    if (!install) throw new PortalNotInstalledError(portalId);
    let client = this.byToken.get(install.accessToken);
    if (!client) {
      client = new Client({ accessToken: install.accessToken, ...(this.basePath ? { basePath: this.basePath } : {}) });
      this.byToken.set(install.accessToken, client);
    }
    return client;
  }
}
