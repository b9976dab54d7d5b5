import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SettingsView } from '@touchpoints/contracts';
import { NotConnectedError, SettingsApiError, type SettingsApi } from './settings-api-client.js';

export type SettingsState =
  | { status: 'loading' }
  | { status: 'error'; message: string; notConnected: boolean }
  | { status: 'loaded'; view: SettingsView };

export interface SettingsViewResult {
  state: SettingsState;
  /** Asks again after a failure (the error state's "Try again"); shows the spinner meanwhile. */
  retry: () => void;
  /**
   * Fetches the settings again after a change, keeping the page (and any open editor) on screen
   * until the fresh view arrives.
   */
  reload: () => void;
}

const unreachableMessage = 'Could not reach Touchpoints. Check your connection and try again.';

function messageFor(error: unknown): string {
  return error instanceof SettingsApiError ? error.message : unreachableMessage;
}

/** The portal's touchpoint settings as the settings λ has them. `api` should keep its identity between renders. */
export function useSettingsView(api: SettingsApi): SettingsViewResult {
  const [attempt, setAttempt] = useState(0);
  // A new client or a retry is a new ask: until it answers, the spinner shows. A reload asks the
  // same again, so the page it answered before stays on screen meanwhile.
  const ask = useMemo(() => ({ api, attempt }), [api, attempt]);
  const [answer, setAnswer] = useState<{ ask: typeof ask; state: SettingsState }>();
  // Saves reload while an earlier load may still be on its way; only the latest request may set state.
  const latestRequest = useRef(0);

  const fetchView = useCallback((current: typeof ask) => {
    const request = ++latestRequest.current;
    // async turns a client that throws before returning its promise into a rejection.
    const load = async () => current.api.loadSettings();
    load().then(
      (view) => {
        if (request === latestRequest.current) setAnswer({ ask: current, state: { status: 'loaded', view } });
      },
      (error: unknown) => {
        if (request === latestRequest.current) setAnswer({ ask: current, state: { status: 'error', message: messageFor(error), notConnected: error instanceof NotConnectedError } });
      },
    );
  }, []);

  useEffect(() => {
    fetchView(ask);
    return () => {
      latestRequest.current += 1; // an answer after unmounting, or after a newer ask, has nowhere to go
    };
  }, [ask, fetchView]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  const reload = useCallback(() => fetchView(ask), [ask, fetchView]);
  return { state: answer?.ask === ask ? answer.state : loading, retry, reload };
}

const loading: SettingsState = { status: 'loading' };
