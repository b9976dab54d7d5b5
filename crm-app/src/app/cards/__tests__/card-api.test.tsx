import { ErrorState, Table } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { API_BASE_URL, notConnectedMessage } from '@touchpoints/contracts';
import { cardLoaderOver, type HubSpotFetch } from '../hooks/card-api.js';
import { cardFixture, dealRecord, portal } from '../test-utils/mocks.js';
import { renderCard, visibleText } from '../test-utils/render.js';

/** Stands in for HubSpot's proxy: answers every request with `response`. */
function hubSpotProxyAnswering(response: () => Response) {
  return vi.fn<HubSpotFetch>(async () => response());
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the card talking to the Touchpoints API', () => {
  it('asks the API for the record with a GET and a timeout, and no portal id', async () => {
    const fetch = hubSpotProxyAnswering(() => json(cardFixture()));
    const { find, waitFor } = renderCard(cardLoaderOver(fetch), dealRecord);
    await waitFor(() => find(Table));

    expect(fetch).toHaveBeenCalledExactlyOnceWith(`${API_BASE_URL}/card?objectType=deal&objectId=4711`, {
      method: 'GET',
      timeout: 10_000,
    });
    expect(String(fetch.mock.calls[0]?.[0])).not.toContain(String(portal.id));
  });

  it('shows an error the rep can act on when the API answers with a server error', async () => {
    const fetch = hubSpotProxyAnswering(() => json({ message: 'internal' }, 503));
    const { find, waitFor } = renderCard(cardLoaderOver(fetch));
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain('Touchpoints could not load this record right now.');
  });

  it('says Touchpoints is not connected when the API says the portal has not installed it', async () => {
    const fetch = hubSpotProxyAnswering(() => json({ message: notConnectedMessage }, 404));
    const { find, waitFor } = renderCard(cardLoaderOver(fetch));
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain("Touchpoints is not connected to this HubSpot account. An admin can connect it from the app's settings.");
  });

  it('shows an error when the API answers with something that is not JSON', async () => {
    const fetch = hubSpotProxyAnswering(() => new Response('<html>Bad gateway</html>', { status: 200 }));
    const { find, waitFor } = renderCard(cardLoaderOver(fetch));
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain('Touchpoints sent an answer this card cannot read.');
  });
});
