/** A portal's OAuth grant: what the app needs to call HubSpot for that portal. */
export interface PortalInstall {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** When the portal (last) installed the app; the store keeps it across token refreshes. */
  installedAt?: Date;
}

/**
 * Whether an uninstall HubSpot reported still stands: not when the portal installed the app again
 * after it (a journal read late, or replayed from its start, must not delete a new install).
 */
export function uninstallStands(install: Pick<PortalInstall, 'installedAt'> | undefined, uninstalledAt: Date): boolean {
  return !install?.installedAt || install.installedAt.getTime() <= uninstalledAt.getTime();
}
