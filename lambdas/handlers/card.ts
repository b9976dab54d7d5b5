import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CardData, CardRequest, parseOrThrow } from '@touchpoints/contracts';
import { type Clock, entryPoint, optionalEnv, systemClock } from '../config.js';
import { hubspotAppFromEnvironment } from '../secrets.js';
import { RecordCards, type RecordCardPorts } from '../journeys/record-cards.js';
import { storeFromEnvironment } from '../store/from-environment.js';
import { errorResponse, json } from '../http/responses.js';
import { requireConnected, verifiedHubSpotFetch } from '../http/hubspot-requests.js';
import type { TouchpointsStore } from '../store/store.js';

export interface CardDependencies extends RecordCardPorts {
  store: RecordCardPorts['store'] & Pick<TouchpointsStore, 'getInstall'>;
  clientSecret: string;
  /** Unset on AWS: the URL comes from the request's host. */
  publicApiUrl?: string;
}

/**
 * `GET /card?objectType=deal&objectId=…` from the CRM card, through
 * `hubspot.fetch`: HubSpot signs the request (v3) and appends the portal and
 * user; the portal comes only from there.
 */
export function createCardHandler(dependencies: CardDependencies) {
  const cards = new RecordCards(dependencies);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const { portalId, query } = verifiedHubSpotFetch(event, { ...dependencies, now: () => dependencies.now().getTime() });
      const request = parseOrThrow(CardRequest, { objectType: query.objectType, objectId: query.objectId }, 'card request');
      // Read side by side (the card's one Query is harmless for a portal that turns out not connected);
      // "not connected" wins over a failed read.
      const [data, connected] = await Promise.allSettled([cards.card(portalId, request), requireConnected(dependencies.store, portalId)]);
      if (connected.status === 'rejected') throw connected.reason;
      if (data.status === 'rejected') throw data.reason;
      return json(200, CardData.parse(data.value), { 'cache-control': 'no-store' });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function cardHandlerFromEnvironment(now: Clock = systemClock) {
  const publicApiUrl = optionalEnv('PUBLIC_API_URL');
  return createCardHandler({
    store: storeFromEnvironment(),
    now,
    clientSecret: (await hubspotAppFromEnvironment()).clientSecret,
    ...(publicApiUrl ? { publicApiUrl } : {}),
  });
}

export const handler = entryPoint(cardHandlerFromEnvironment);
