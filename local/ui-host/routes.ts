import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import appMeta from '../../crm-app/src/app/app-hsmeta.json' with { type: 'json' };
import cardMeta from '../../crm-app/src/app/cards/touchpoints-card-hsmeta.json' with { type: 'json' };
import settingsMeta from '../../crm-app/src/app/settings/settings-hsmeta.json' with { type: 'json' };
import type { HttpHandler, Route } from '../gateway.js';
import type { HubSpotSandbox } from '../hubspot-sandbox/server.js';
import { ExtensionBundles } from './bundle.js';
import type { HostBootstrap } from './bootstrap.js';
import { errorPage, hostPageCsp, recordPage, settingsPage } from './pages.js';
import { RecordNotFoundError, SandboxPortal, recordTypes, type RecordType } from './sandbox-context.js';

/** An entry point as the project's `*-hsmeta.json` names it (`/app/…`), as a file. */
const projectFile = (entrypoint: string) => fileURLToPath(new URL(`../../crm-app/src${entrypoint}`, import.meta.url));
const stylesFile = fileURLToPath(new URL('./host.css', import.meta.url));

/**
 * The sandbox keeps no account settings; the demo portal is a Danish dealer, so its pages show
 * Copenhagen time, as HubSpot shows each portal's own time zone.
 */
export const localPortalTimeZone = 'Europe/Copenhagen';

const permittedFetchOrigins = appMeta.config.permittedUrls.fetch.map((url) => new URL(url).origin);
const signingPath = '/ui/hubspot-fetch';

const FetchToSign = z.object({
  url: z.url(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  body: z.record(z.string(), z.unknown()).optional(),
});

export interface UiHostOptions {
  sandbox: HubSpotSandbox;
  portalId: number;
  appId: number;
  /** Where the API runs locally: what the app's permitted `https://api…` origin stands for here. */
  appUrl: () => string;
  /** The extensions' entry points; the project's, as its `*-hsmeta.json` name them, unless a test says otherwise. */
  entryPoints?: { card: string; settings: string };
}

const projectEntryPoints = { card: projectFile(cardMeta.config.entrypoint), settings: projectFile(settingsMeta.config.entrypoint) };

const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': hostPageCsp,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const htmlAnswer = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: htmlHeaders, body });
const textAnswer = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });
const jsonOrNull = (body: string | undefined): unknown => {
  try {
    return JSON.parse(body ?? 'null');
  } catch {
    return null;
  }
};
const redirect = (location: string): APIGatewayProxyStructuredResultV2 => ({ statusCode: 302, headers: { location, 'cache-control': 'no-store' } });

/**
 * The local HubSpot UI host: the app's real card and settings page, bundled from `crm-app/` with
 * the host's component set, on pages shaped like HubSpot's, with the context from the sandbox and
 * `hubspot.fetch` signed by the sandbox. Local only: none of these routes is in the deployed API.
 */
export function uiHostRoutes({ sandbox, portalId, appId, appUrl, entryPoints = projectEntryPoints }: UiHostOptions): Route[] {
  const portal = new SandboxPortal(sandbox, portalId);
  const bundles = new ExtensionBundles({ 'touchpoints-card': entryPoints.card, settings: entryPoints.settings });
  const extension = { appId, appName: appMeta.config.name };
  const bootstrapOf = (context: HostBootstrap['context'], headingLevel: 2 | 3): HostBootstrap => ({ context, permittedFetchOrigins, signingPath, headingLevel });

  /** The extension's bundle first: a build failure (a component the host lacks) is the page's answer, in full. */
  const withBundle = (name: string, render: () => Promise<APIGatewayProxyStructuredResultV2>): Promise<APIGatewayProxyStructuredResultV2> =>
    bundles.code(name).then(render, (error: unknown) =>
      htmlAnswer(500, errorPage({ portalId, title: 'The extension could not be built', message: `The local HubSpot UI host could not bundle ${name} from crm-app/.`, detail: error instanceof Error ? error.message : String(error) })),
    );

  const record: HttpHandler = async (event) => {
    const { objectType = '', objectId = '' } = event.pathParameters ?? {};
    const type = Object.hasOwn(recordTypes, objectType) ? (objectType as RecordType) : undefined;
    if (!type || !(cardMeta.config.objectTypes as readonly string[]).includes(recordTypes[type].path)) {
      return htmlAnswer(404, errorPage({ portalId, title: 'This page doesn’t exist', message: `The ${appMeta.config.name} card is on contacts, companies and deals: /ui/record/deal/303` }));
    }
    if (!/^\d{1,30}$/.test(objectId)) {
      return htmlAnswer(404, errorPage({ portalId, title: `This ${type} doesn’t exist`, message: `“${objectId}” is not a record id.` }));
    }
    return withBundle('touchpoints-card', async () => {
      const [summary, user] = await Promise.all([portal.record(type, objectId).catch((error: unknown) => error), portal.viewingUser()]);
      if (summary instanceof RecordNotFoundError) {
        return htmlAnswer(404, errorPage({ portalId, title: `This ${type} doesn’t exist`, message: `The ${type} you’re looking for (${objectId}) may have been deleted, or it was never in this account.` }));
      }
      if (summary instanceof Error) throw summary;
      const context: HostBootstrap['context'] = {
        location: 'crm.record.tab',
        crm: { objectId: Number(objectId), objectTypeId: recordTypes[type].objectTypeId },
        portal: { id: portalId, timezone: localPortalTimeZone },
        user,
        extension: { ...extension, cardTitle: cardMeta.config.name },
      };
      return htmlAnswer(200, recordPage({ typeLabel: recordTypes[type].label, record: summary as Awaited<ReturnType<SandboxPortal['record']>>, cardTitle: cardMeta.config.name, bootstrap: bootstrapOf(context, 3) }));
    });
  };

  const settings: HttpHandler = () =>
    withBundle('settings', async () => {
      const context: HostBootstrap['context'] = { location: 'settings', portal: { id: portalId, timezone: localPortalTimeZone }, user: await portal.viewingUser(), extension };
      return htmlAnswer(200, settingsPage({ appName: appMeta.config.name, bootstrap: bootstrapOf(context, 2) }));
    });

  /** What HubSpot's proxy does with a `hubspot.fetch`: a permitted URL, signed (v3) for this portal and user. */
  const signFetch: HttpHandler = async (event) => {
    const parsed = FetchToSign.safeParse(jsonOrNull(event.body));
    if (!parsed.success) return textAnswer(400, z.prettifyError(parsed.error));
    const target = new URL(parsed.data.url);
    if (!permittedFetchOrigins.includes(target.origin)) {
      return textAnswer(403, `${target.origin} is not in the app's permittedUrls.fetch`);
    }
    const user = await portal.viewingUser();
    const signed = sandbox.signFetchRequest({
      method: parsed.data.method,
      url: `${appUrl()}${target.pathname}${target.search}`,
      portalId,
      userId: user.id,
      userEmail: user.email,
      ...(parsed.data.body === undefined ? {} : { body: parsed.data.body }),
    });
    return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(signed) };
  };

  const bundle: HttpHandler = async (event) => {
    const name = event.pathParameters?.file?.replace(/\.js$/, '') ?? '';
    if (!['touchpoints-card', 'settings'].includes(name)) return textAnswer(404, 'No such asset');
    return { statusCode: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }, body: await bundles.code(name) };
  };

  const styles: HttpHandler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }, body: await readFile(stylesFile, 'utf8') });

  const route = (method: Route['method'], path: string, handler: HttpHandler): Route => ({ method, path, functionName: 'ui-host', handler });
  return [
    route('GET', '/ui/record/{objectType}/{objectId}', record),
    route('GET', '/ui/settings', settings),
    route('POST', signingPath, signFetch),
    route('GET', '/ui/assets/host.css', styles),
    route('GET', '/ui/assets/{file}', bundle),
    // The hand-made previews these pages replace: their old links lead to the real thing.
    route('GET', '/preview/report', async () => redirect('/ui/settings')),
    route('GET', '/preview/{objectType}/{objectId}', async (event) => redirect(`/ui/record/${encodeURIComponent(event.pathParameters?.objectType ?? '')}/${encodeURIComponent(event.pathParameters?.objectId ?? '')}`)),
  ];
}
