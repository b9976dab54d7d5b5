import type { HubSpotFetchOptions, HubSpotFetchRequestURI } from '@hubspot/ui-extensions';
import { Component, createContext, useCallback, useContext, useMemo, useRef, useState, type ErrorInfo, type ReactElement, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { HeadingLevelContext } from './components/layout.js';
import { readBootstrap, type HostActions, type HostBootstrap } from './context.js';

/** HubSpot cuts every `hubspot.fetch` off at 15 s. */
const fetchTimeLimitMs = 15_000;

let bootstrap: HostBootstrap | undefined;
const pageBootstrap = () => (bootstrap ??= readBootstrap());

interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * `hubspot.fetch` as HubSpot's proxy does it: only to the app's permitted origins, signed with the
 * app's secret (v3) and with the viewer's portal and user appended. Here the sandbox signs it (the
 * host's signing route) and the browser sends it to the gateway serving this page, which is the
 * API's local deployment; the λ checks the signature against its public URL as on AWS.
 */
async function fetchThroughHubSpot(url: HubSpotFetchRequestURI, options: HubSpotFetchOptions = {}): Promise<Response> {
  const { permittedFetchOrigins, signingPath } = pageBootstrap();
  const target = new URL(String(url));
  if (!permittedFetchOrigins.includes(target.origin)) {
    throw new Error(`hubspot.fetch refused ${target.origin}: not in the app's permittedUrls.fetch (${permittedFetchOrigins.join(', ')})`);
  }
  const signing = await fetch(signingPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: target.href, method: options.method ?? 'GET', body: options.body }),
  });
  if (!signing.ok) throw new Error(`The local HubSpot host could not sign the request (HTTP ${signing.status}): ${await signing.text()}`);
  const signed = (await signing.json()) as SignedRequest;
  const signedUrl = new URL(signed.url);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('hubspot.fetch timed out')), Math.min(options.timeout ?? fetchTimeLimitMs, fetchTimeLimitMs));
  try {
    return await fetch(`${signedUrl.pathname}${signedUrl.search}`, {
      method: signed.method,
      headers: { ...Object.fromEntries(new Headers(options.headers ?? {})), ...signed.headers },
      ...(signed.body ? { body: signed.body } : {}),
      signal: timeout.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** What `hubspot.extend` hands the extension's render callback: HubSpot's `ExtensionPointApi`. */
interface ExtensionApi {
  context: HostBootstrap['context'];
  actions: HostActions;
  runServerlessFunction: () => Promise<never>;
}
type RenderExtension = (api: ExtensionApi) => ReactElement;

const ActionsContext = createContext<HostActions | null>(null);

interface Overlays {
  isOpen(id: string): boolean;
  open(id: string): void;
  close(id: string): void;
}
const OverlaysContext = createContext<Overlays | null>(null);

/** The modals the extension has opened (a Button's `overlay`), closed by id as HubSpot's `closeOverlay` does. */
export function useOverlays(): Overlays {
  const overlays = useContext(OverlaysContext);
  if (!overlays) throw new Error('An overlay was used outside hubspot.extend');
  return overlays;
}

/** HubSpot's `useExtensionActions`: the actions of the extension point the component runs in. */
export function useExtensionActions(): HostActions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('useExtensionActions was called outside hubspot.extend');
  return actions;
}

type AlertVariant = 'info' | 'warning' | 'success' | 'danger' | 'tip';
interface ShownAlert {
  id: number;
  type: AlertVariant;
  title?: string;
  message: string;
}

/** A failure in the extension's render: HubSpot shows the card as broken rather than a blank. */
class ExtensionErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('The extension failed to render', error, info.componentStack);
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="hs-alert hs-alert--danger" role="alert" data-extension-error="">
        <p className="hs-alert__title">This extension failed to render</p>
        <p>{this.state.error.message}</p>
      </div>
    );
  }
}

function ExtensionHost({ render, bootstrap: { context, headingLevel } }: { render: RenderExtension; bootstrap: HostBootstrap }) {
  const [openOverlays, setOpenOverlays] = useState<ReadonlySet<string>>(new Set());
  const [alerts, setAlerts] = useState<ShownAlert[]>([]);
  const alertsShown = useRef(0);
  const close = useCallback((id: string) => setOpenOverlays((open) => new Set([...open].filter((candidate) => candidate !== id))), []);
  const overlays = useMemo<Overlays>(
    () => ({ isOpen: (id) => openOverlays.has(id), open: (id) => setOpenOverlays((open) => new Set([...open, id])), close }),
    [openOverlays, close],
  );
  const actions = useMemo<HostActions>(
    () => ({
      addAlert: ({ type = 'info', title, message }) =>
        setAlerts((shown) => [...shown, { id: ++alertsShown.current, type, ...(title ? { title } : {}), message }]),
      closeOverlay: close,
      reloadPage: () => window.location.reload(),
      copyTextToClipboard: (text) => navigator.clipboard.writeText(text),
    }),
    [close],
  );
  // Called once, as HubSpot calls the callback once and renders what it returns.
  const [extension] = useState<ReactElement>(() =>
    render({
      context,
      actions,
      runServerlessFunction: () => Promise.reject(new Error('The local HubSpot host runs no serverless functions: use hubspot.fetch')),
    }),
  );
  return (
    <ActionsContext.Provider value={actions}>
      <OverlaysContext.Provider value={overlays}>
        <HeadingLevelContext.Provider value={headingLevel}>
          <ExtensionErrorBoundary>{extension}</ExtensionErrorBoundary>
        </HeadingLevelContext.Provider>
        {alerts.length > 0 && (
          <div className="hs-toasts" aria-live="polite">
            {alerts.map((alert) => (
              <div key={alert.id} className={`hs-alert hs-alert--${alert.type}`} role="status">
                {alert.title && <p className="hs-alert__title">{alert.title}</p>}
                <p>{alert.message}</p>
                <button type="button" className="hs-close" aria-label="Dismiss" onClick={() => setAlerts((shown) => shown.filter(({ id }) => id !== alert.id))}>
                  ×
                </button>
              </div>
            ))}
          </div>
        )}
      </OverlaysContext.Provider>
    </ActionsContext.Provider>
  );
}

/** `hubspot.extend`: renders the extension into the page's `#extension-root` with the context the page carries. */
function extend(render: RenderExtension): void {
  const root = document.getElementById('extension-root');
  if (!root) throw new Error('The page has no #extension-root');
  createRoot(root).render(<ExtensionHost render={render} bootstrap={pageBootstrap()} />);
}

export const hubspot = { extend, fetch: fetchThroughHubSpot };

/** HubSpot's `logger`: to the browser console, where HubSpot's local dev tools show it too. */
export const logger = {
  debug: (message: string) => console.debug(`[extension] ${message}`),
  info: (message: string) => console.info(`[extension] ${message}`),
  warn: (message: string) => console.warn(`[extension] ${message}`),
  error: (message: string) => console.error(`[extension] ${message}`),
};
