import { logger } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { CardData, type CardRequest } from '@touchpoints/contracts';
import { CardLoadError, type CardLoader } from './card-api.js';

export type CardState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'loaded'; card: CardData };

export interface CardDataResult {
  state: CardState;
  /** Asks again for the same record (the error state's "Try again"). */
  retry: () => void;
}

const unreachableMessage = 'Could not reach Touchpoints. Check your connection and try again.';
const unreadableMessage = 'Touchpoints sent data this card does not understand.';
const otherRecordMessage = 'Touchpoints answered for a different record.';

function stateFromPayload(payload: unknown, request: CardRequest): CardState {
  const parsed = CardData.safeParse(payload);
  if (!parsed.success) {
    // A card older or newer than the API: the rep gets an error state, the developer the details.
    logger.warn(`Touchpoints card payload failed validation: ${z.prettifyError(parsed.error)}`);
    return { status: 'error', message: unreadableMessage };
  }
  const { record } = parsed.data;
  if (record.objectType !== request.objectType || record.objectId !== request.objectId) {
    return { status: 'error', message: otherRecordMessage };
  }
  return { status: 'loaded', card: parsed.data };
}

function messageFor(error: unknown): string {
  return error instanceof CardLoadError ? error.message : unreachableMessage;
}

/**
 * The card's data for one record. `loadCard` should keep its identity between renders:
 * a new function asks again.
 */
export function useCardData(request: CardRequest, loadCard: CardLoader): CardDataResult {
  const [attempt, setAttempt] = useState(0);
  const { objectType, objectId } = request;
  // One object per ask: an answer shows only while it belongs to the current ask, so a new record,
  // loader or retry shows the spinner at once without setting state inside the effect.
  const ask = useMemo(() => ({ request: { objectType, objectId }, loadCard, attempt }), [objectType, objectId, loadCard, attempt]);
  const [answer, setAnswer] = useState<{ ask: typeof ask; state: CardState }>();

  useEffect(() => {
    // An earlier ask can answer after a later one (the card re-rendered for another record, or a
    // retry); only the latest may set state.
    let isLatest = true;
    // async turns a loader that throws before returning its promise into a rejection.
    const load = async () => ask.loadCard(ask.request);
    load().then(
      (payload) => {
        if (isLatest) setAnswer({ ask, state: stateFromPayload(payload, ask.request) });
      },
      (error: unknown) => {
        if (isLatest) setAnswer({ ask, state: { status: 'error', message: messageFor(error) } });
      },
    );
    return () => {
      isLatest = false;
    };
  }, [ask]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return { state: answer?.ask === ask ? answer.state : loading, retry };
}

const loading: CardState = { status: 'loading' };
