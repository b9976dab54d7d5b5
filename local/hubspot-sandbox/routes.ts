/**
 * The route table: HubSpot's real paths and response shapes for the subset
 * the app calls, plus the sandbox's own admin surface under /_sandbox. Each
 * family lives in its own file under routes/ and is assembled here:
 *
 * - crm-objects.ts: CRM objects v3 with batch read and update and the
 *   contacts' GDPR delete; tasks and notes are objects like the rest
 * - associations.ts: associations v4
 * - oauth.ts: OAuth (tokens, introspection, the install screen) and the app
 *   uninstalling itself
 * - pipelines.ts, owners.ts, properties.ts: pipelines, owners, properties
 * - journal.ts (with journal-files.ts): the webhooks journal's app lifecycle events
 * - admin.ts: /_sandbox (seeding help, a user uninstalling the app, faults to
 *   inject, the request log)
 * - support.ts: what they share
 *
 * Routes match first come, first served, so the order below is kept as it is.
 */
import type { FaultInjector, RequestLog } from './faults.js';
import type { Route } from './http.js';
import { adminRoutes } from './routes/admin.js';
import { associationRoutes } from './routes/associations.js';
import { crmObjectRoutes } from './routes/crm-objects.js';
import { journalRoutes } from './routes/journal.js';
import { appUninstallRoutes, oauthRoutes } from './routes/oauth.js';
import { ownerRoutes } from './routes/owners.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { propertyRoutes } from './routes/properties.js';
import type { SandboxStore } from './store.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface RouteDependencies {
  store: SandboxStore;
  webhooks: WebhookDispatcher;
  faults: FaultInjector;
  requestLog: RequestLog;
  app: { clientId: string; clientSecret: string; appId: number };
  now: () => number;
  /** The sandbox's own URL (known once it listens), for links it hands out. */
  baseUrl: () => string;
}

export function sandboxRoutes(dependencies: RouteDependencies): Route[] {
  return [
    ...crmObjectRoutes(dependencies),
    ...associationRoutes(dependencies),
    ...appUninstallRoutes(dependencies),
    ...pipelineRoutes(dependencies),
    ...ownerRoutes(dependencies),
    ...propertyRoutes(dependencies),
    ...oauthRoutes(dependencies),
    ...journalRoutes(dependencies),
    ...adminRoutes(dependencies),
  ];
}
