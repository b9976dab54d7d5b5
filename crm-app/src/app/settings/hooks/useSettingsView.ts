import { useCallback, useEffect, useRef, useState } from 'react';
import type { SettingsView } from '../settings-api.js';
import { SettingsApiError, type SettingsApi } from './settings-api-client.js';

export type SettingsState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
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
  const [state, setState] = useState<SettingsState>({ status: 'loading' });
  // Saves reload while an earlier load may still be on its way; only the latest request may set state.
  const latestRequest = useRef(0);

  const load = useCallback(
    (showSpinner: boolean) => {
      const request = ++latestRequest.current;
      if (showSpinner) setState({ status: 'loading' });
      // async turns a client that throws before returning its promise into a rejection.
      const fetchView = async () => api.loadSettings();
      fetchView().then(
        (view) => {
          if (request === latestRequest.current) setState({ status: 'loaded', view });
        },
        (error: unknown) => {
          if (request === latestRequest.current) setState({ status: 'error', message: messageFor(error) });
        },
      );
    },
    [api],
  );

  useEffect(() => {
    load(true);
    return () => {
      latestRequest.current += 1; // an answer after unmounting has nowhere to go
    };
  }, [load]);

  const retry = useCallback(() => load(true), [load]);
  const reload = useCallback(() => load(false), [load]);
  return { state, retry, reload };
}
