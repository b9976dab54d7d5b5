/** Where the card and the settings page reach the back end through `hubspot.fetch`; app-hsmeta.json must permit it. */
export const API_BASE_URL = 'https://api.touchpoints.example';

/** Where an admin connects (or reconnects) the app: the OAuth install, which leads to HubSpot's consent screen. */
export const CONNECT_URL = `${API_BASE_URL}/oauth/install`;

/**
 * The back end's answer (404, `{"message": …}`) to a card, settings or report request for a
 * portal that never installed Touchpoints or has uninstalled it: nothing is read or written for it.
 */
export const notConnectedMessage = 'Touchpoints is not connected to this HubSpot account';
