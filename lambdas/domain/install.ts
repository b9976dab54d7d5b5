/** A portal's OAuth grant: what the app needs to call HubSpot for that portal. */
export interface PortalInstall {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}
