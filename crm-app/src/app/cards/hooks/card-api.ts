import { hubspot, type CrmRecordContext } from '@hubspot/ui-extensions';
import { API_BASE_URL, type CardRequest, notConnectedMessage } from '@touchpoints/contracts';

/**
 * HubSpot cuts every `hubspot.fetch` off at 15 s and retries a failed connection once inside
 * that window; asking for less leaves the rep a spinner of at most 10 s.
 */
export const CARD_REQUEST_TIMEOUT_MS = 10_000;

/** What the card calls to get its data; tests hand the card their own. */
export type CardLoader = (request: CardRequest) => Promise<unknown>;

/** The part of `hubspot.fetch` the card uses, so a test can stand in for HubSpot's proxy. */
export type HubSpotFetch = typeof hubspot.fetch;

/** A failure the rep can act on, worded for them (the error state shows `message`). */
export class CardLoadError extends Error {
  override readonly name = 'CardLoadError';
}

const objectTypesById: Record<string, CardRequest['objectType']> = {
  '0-1': 'contact',
  '0-2': 'company',
  '0-3': 'deal',
};

/** The request for the record the card is on, or null on an object the card does not serve. */
export function cardRequestFor(record: CrmRecordContext): CardRequest | null {
  const objectType = objectTypesById[record.objectTypeId];
  return objectType ? { objectType, objectId: String(record.objectId) } : null;
}

export function cardUrl(request: CardRequest): string {
  // No portal or user id here: HubSpot appends the verified ones and signs the request.
  const query = new URLSearchParams({ objectType: request.objectType, objectId: request.objectId });
  return `${API_BASE_URL}/card?${query.toString()}`;
}

/** "Not connected" when the API says so (the portal has not installed Touchpoints), else by status. */
async function refusalMessage(response: Response): Promise<string> {
  const body: unknown = response.status === 404 ? await response.json().catch(() => null) : null;
  const notConnected = typeof body === 'object' && body !== null && 'message' in body && body.message === notConnectedMessage;
  return notConnected ? `${notConnectedMessage}. An admin can connect it from the app's settings.` : messageForStatus(response.status);
}

function messageForStatus(status: number): string {
  if (status === 429) return 'Touchpoints is busy right now. Try again in a moment.';
  if (status >= 500) return 'Touchpoints could not load this record right now.';
  return `Touchpoints refused to load this record (HTTP ${status}).`;
}

/** A loader that asks the Touchpoints API through `fetch` (HubSpot's proxy in production). */
export function cardLoaderOver(fetch: HubSpotFetch): CardLoader {
  return async (request) => {
    const response = await fetch(cardUrl(request), { method: 'GET', timeout: CARD_REQUEST_TIMEOUT_MS });
    if (!response.ok) throw new CardLoadError(await refusalMessage(response));
    try {
      return await response.json();
    } catch {
      throw new CardLoadError('Touchpoints sent an answer this card cannot read.');
    }
  };
}

/** The card's loader in HubSpot. `hubspot.fetch` is looked up per call: it exists only in HubSpot's worker. */
export const loadCardFromApi: CardLoader = cardLoaderOver((url, options) => hubspot.fetch(url, options));
