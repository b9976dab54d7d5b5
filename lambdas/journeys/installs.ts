import { createHmac, timingSafeEqual } from 'node:crypto';
import { PortalSettings } from '@touchpoints/contracts';
import type { StageHistoryRequested } from '../domain/webhook-event.js';
import { withBackoff } from '../hubspot/backoff.js';
import type { HubSpotClients } from '../hubspot/clients.js';
import { ensureTouchpointsProperties } from '../hubspot/writes.js';
import type { HubSpotApp } from '../secrets.js';
import type { TouchpointsStore } from '../store/store.js';
import { InstallRefusedError } from '../errors.js';
import { stageHistoryRequest } from './stage-visits.js';

export interface InstallPorts {
  store: Pick<TouchpointsStore, 'getSettings' | 'saveSettings'>;
  hubspot: HubSpotClients;
  app: HubSpotApp;
  /** HubSpot's consent screen (`https://app.hubspot.com/oauth/authorize`; locally the sandbox's). */
  authorizeUrl: string;
  scopes: readonly string[];
  /** Puts the ask for the portal's deal stage history on the events queue (stage-visits.ts). */
  requestStageHistory: (request: StageHistoryRequested) => Promise<void>;
  now: () => Date;
}

/** An install link is good for this long: HubSpot's consent screen is a few clicks. */
const stateLifetimeMs = 15 * 60_000;

/**
 * The OAuth install: a link to HubSpot's consent screen with a signed `state`
 * (so a callback we did not start is refused), then the code exchanged for a
 * grant, sealed in the store. A portal's first install gets default settings
 * and the "Touchpoints" properties in HubSpot; every install asks for the
 * portal's deal stage history, so the report's timing has a past on day one.
 */
export class PortalInstalls {
  constructor(private readonly ports: InstallPorts) {}

  installUrl(redirectUri: string): string {
    const url = new URL(this.ports.authorizeUrl);
    url.searchParams.set('client_id', this.ports.app.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', this.ports.scopes.join(' '));
    url.searchParams.set('state', this.state(this.ports.now().getTime()));
    return url.toString();
  }

  async complete(code: string, state: string, redirectUri: string): Promise<{ portalId: number; firstInstall: boolean }> {
    if (!this.stateIsOurs(state)) throw new InstallRefusedError('This install link is not ours or has expired; start the install again.');
    const { hubspot, app, store } = this.ports;
    const oauth = hubspot.oauthClient();
    const tokens = await withBackoff(() => oauth.oauth.tokensApi.create('authorization_code', code, redirectUri, app.clientId, app.clientSecret)).catch((error: unknown) => {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 400) throw new InstallRefusedError('HubSpot did not accept the install code; start the install again.');
      throw error;
    });
    const info = await withBackoff(() => oauth.oauth.accessTokensApi.get(tokens.accessToken));
    const portalId = info.hubId;
    await hubspot.saveGrant(portalId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn }, this.ports.now());

    const firstInstall = !(await store.getSettings(portalId));
    if (firstInstall) {
      const settings = PortalSettings.parse({ sender: { name: info.hubDomain?.split('.')[0] ?? 'Touchpoints', email: info.user ?? 'surveys@example.com' } });
      await store.saveSettings(portalId, settings, { expectedVersion: undefined, changedBy: info.user ?? 'install' }).catch(() => undefined); // a parallel install wrote them
    }
    await ensureTouchpointsProperties(await hubspot.forPortal(portalId));
    await this.ports.requestStageHistory(stageHistoryRequest(portalId, this.ports.now()));
    return { portalId, firstInstall };
  }

  private state(issuedAt: number): string {
    return `${issuedAt}.${createHmac('sha256', this.ports.app.clientSecret).update(`install:${issuedAt}`).digest('base64url')}`;
  }

  private stateIsOurs(state: string): boolean {
    const [issuedAt] = state.split('.');
    const issued = Number(issuedAt);
    if (!Number.isInteger(issued) || this.ports.now().getTime() - issued > stateLifetimeMs) return false;
    const expected = Buffer.from(this.state(issued));
    const given = Buffer.from(state);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
