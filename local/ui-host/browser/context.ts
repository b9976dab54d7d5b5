import type { AddAlertAction } from '@hubspot/ui-extensions';
import type { HostBootstrap } from '../bootstrap.js';

export type { HostBootstrap };

/** Read once: the page writes it as JSON (data, never script) in `#extension-root`'s `data-hubspot-extension`. */
export function readBootstrap(): HostBootstrap {
  const json = document.getElementById('extension-root')?.dataset.hubspotExtension;
  if (!json) throw new Error('The page carries no extension context (#extension-root data-hubspot-extension).');
  return JSON.parse(json) as HostBootstrap;
}

/** The actions the host implements; the extensions use `closeOverlay` (settings) and may use the rest. */
export interface HostActions {
  addAlert: AddAlertAction;
  closeOverlay: (id: string) => void;
  reloadPage: () => void;
  copyTextToClipboard: (text: string) => Promise<void>;
}
