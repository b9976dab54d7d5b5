import { logger } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { CardData, type CardRequest } from '../card-data.js';
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
  const [state, setState] = useState<CardState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const { objectType, objectId } = request;

  useEffect(() => {
    // The record can change while a request is in flight (the card re-rendered for another record,
    // or a retry), so an earlier request can answer after a later one; only the latest may set state.
    let isLatest = true;
    const current: CardRequest = { objectType, objectId };
    setState((previous) => (previous.status === 'loading' ? previous : { status: 'loading' }));
    // async turns a loader that throws before returning its promise into a rejection.
    const load = async () => loadCard(current);
    load().then(
      (payload) => {
        if (isLatest) setState(stateFromPayload(payload, current));
      },
      (error: unknown) => {
        if (isLatest) setState({ status: 'error', message: messageFor(error) });
      },
    );
    return () => {
      isLatest = false;
    };
  }, [objectType, objectId, attempt, loadCard]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return { state, retry };
}
