import { html, type Html } from '../../lambdas/survey-pages/html.js';
import type { HostBootstrap } from './bootstrap.js';
import type { RecordSummary } from './sandbox-context.js';

/** Scripts and styles only from the host itself; the extension's context is data on an element, never script. */
export const hostPageCsp =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const assetPaths = { styles: '/ui/assets/host.css', bundle: (extension: string) => `/ui/assets/${extension}.js` };

interface Frame {
  title: string;
  portalId: number;
  body: Html;
  /** The extension's bundle, when the page runs one. */
  bundle?: string;
}

function page({ title, portalId, body, bundle }: Frame): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} | HubSpot (local)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetPaths.styles}">
${bundle ? html`<script type="module" src="${assetPaths.bundle(bundle)}"></script>` : ''}
</head><body>
<header class="hs-nav"><span class="hs-nav__brand">HubSpot</span><nav aria-label="Local HubSpot"><a href="/ui/settings">Touchpoints settings</a></nav>
<span class="hs-nav__portal">Local UI host · portal ${portalId}</span></header>
${body}
</body></html>`.toString();
}

const extensionRoot = (bootstrap: HostBootstrap) => html`<div id="extension-root" data-hubspot-extension="${JSON.stringify(bootstrap)}"></div>`;

/** A record page: the record's name and properties on the left, the app's card (a record tab) beside them. */
export function recordPage({ typeLabel, record, cardTitle, bootstrap }: { typeLabel: string; record: RecordSummary; cardTitle: string; bootstrap: HostBootstrap }): string {
  return page({
    title: `${record.name} | ${typeLabel}`,
    portalId: bootstrap.context.portal.id,
    bundle: 'touchpoints-card',
    body: html`<div class="hs-record">
<aside class="hs-record__sidebar" aria-label="About this ${typeLabel.toLowerCase()}"><p class="hs-record__type">${typeLabel}</p><h1 class="hs-record__name">${record.name}</h1>
<dl class="hs-record__properties">${record.properties.map(({ label, value }) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl></aside>
<main class="hs-frame"><h2 class="hs-frame__title">${cardTitle}</h2>${extensionRoot(bootstrap)}</main>
</div>`,
  });
}

/** The app's settings page, under HubSpot's "Connected apps" crumb. */
export function settingsPage({ appName, bootstrap }: { appName: string; bootstrap: HostBootstrap }): string {
  return page({
    title: `${appName} settings`,
    portalId: bootstrap.context.portal.id,
    bundle: 'settings',
    body: html`<main class="hs-settings"><p class="hs-settings__crumb">Settings › Integrations › Connected apps</p>
<h1 class="hs-settings__title">${appName}</h1><div class="hs-frame">${extensionRoot(bootstrap)}</div></main>`,
  });
}

/** HubSpot's page for a record that is not there (deleted, or never was), or a host failure with its cause. */
export function errorPage({ portalId, title, message, detail }: { portalId: number; title: string; message: string; detail?: string }): string {
  return page({
    title,
    portalId,
    body: html`<main class="hs-page-error"><svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true" class="hs-illustration hs-illustration--error"><circle cx="32" cy="32" r="30"/><path d="M32 16v22M32 44v4"/></svg>
<h1>${title}</h1><p>${message}</p>${detail ? html`<pre>${detail}</pre>` : ''}</main>`,
  });
}
