/**
 * The sandbox's own admin surface under /_sandbox (not HubSpot paths): seeding
 * help, users acting in HubSpot's UI (uninstalling the app, moving deals,
 * logging activity, privacy deletes), faults to inject, the request log and
 * the webhook target.
 */
import { z } from 'zod';
import { type Route, json, noContent, parseBody } from '../http.js';
import type { RouteDependencies } from '../routes.js';
import { salesActivityTypes } from '../store.js';

const PortalParams = z.object({ portalId: z.coerce.number().int().positive() });
const InstallCodeInput = z.object({ redirectUri: z.string().optional(), scopes: z.array(z.string()).optional() }).default({});
const MoveDealInput = z.object({ stageId: z.string().min(1) });
const LogActivityInput = z.object({ type: z.enum(salesActivityTypes), at: z.number().int().nonnegative().optional() });
const WebhookTargetInput = z.object({ url: z.url().nullable() });
const TaskNotesInput = z.object({ text: z.string().trim().min(1) });

export function adminRoutes({ store, webhooks, faults, requestLog }: RouteDependencies): Route[] {
  return [
    { method: 'GET', path: '/_sandbox/health', handle: () => json({ status: 'ok', portals: store.portalIds(), webhookUrl: webhooks.targetUrl ?? null }) },
    {
      method: 'POST',
      path: '/_sandbox/reset',
      handle: () => {
        store.reset();
        webhooks.clearLog();
        faults.clear();
        requestLog.clear();
        return noContent();
      },
    },
    {
      // A user uninstalling the app in HubSpot's UI (Connected apps → Uninstall).
      method: 'POST',
      path: '/_sandbox/portals/:portalId/uninstall',
      handle: ({ params }) => json(store.oauth.uninstallApp(parseBody(PortalParams, params).portalId)),
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/install-code',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        const { redirectUri, scopes } = parseBody(InstallCodeInput, body);
        return json({ portalId, code: store.oauth.issueInstallCode(portalId, redirectUri ?? null, scopes) }, 201);
      },
    },
    {
      method: 'GET',
      path: '/_sandbox/portals/:portalId/deals',
      handle: ({ params }) => {
        const portal = store.portal(parseBody(PortalParams, params).portalId);
        const deals = store.records.list(portal, 'deals').map(({ id, properties }) => {
          const pipeline = portal.dealPipelines.find((candidate) => candidate.id === properties.pipeline);
          return {
            id,
            dealname: properties.dealname ?? null,
            amount: properties.amount ?? null,
            pipelineId: properties.pipeline ?? null,
            stageId: properties.dealstage ?? null,
            stageLabel: pipeline?.stages.find((stage) => stage.id === properties.dealstage)?.label ?? null,
            ownerId: properties.hubspot_owner_id ?? null,
          };
        });
        const pipelines = portal.dealPipelines.map(({ id, label, stages }) => ({ id, label, stages: stages.map((stage) => ({ id: stage.id, label: stage.label })) }));
        return json({ portalId: portal.portalId, pipelines, deals });
      },
    },
    {
      method: 'GET',
      path: '/_sandbox/portals/:portalId/contacts',
      handle: ({ params }) => {
        const portal = store.portal(parseBody(PortalParams, params).portalId);
        const contacts = store.records.list(portal, 'contacts').map(({ id, properties }) => ({
          id,
          name: [properties.firstname, properties.lastname].filter(Boolean).join(' ') || null,
          email: properties.email ?? null,
          language: properties.hs_language ?? null,
          companyIds: store.records.associatedIds(portal, { type: 'contacts', id }, 'companies'),
        }));
        return json({ portalId: portal.portalId, contacts });
      },
    },
    {
      method: 'GET',
      path: '/_sandbox/portals/:portalId/companies',
      handle: ({ params }) => {
        const portal = store.portal(parseBody(PortalParams, params).portalId);
        const companies = store.records.list(portal, 'companies').map(({ id, properties }) => ({
          id,
          name: properties.name ?? null,
          domain: properties.domain ?? null,
          city: properties.city ?? null,
          contactIds: store.records.associatedIds(portal, { type: 'companies', id }, 'contacts'),
        }));
        return json({ portalId: portal.portalId, companies });
      },
    },
    {
      method: 'GET',
      path: '/_sandbox/portals/:portalId/tasks',
      // What the deal owners find in their HubSpot task queue: the app's tasks and anyone else's.
      handle: ({ params }) => {
        const portal = store.portal(parseBody(PortalParams, params).portalId);
        const tasks = store.records.list(portal, 'tasks').map(({ id, properties }) => ({
          id,
          subject: properties.hs_task_subject ?? null,
          status: properties.hs_task_status ?? null,
          dueAt: properties.hs_timestamp ?? null,
          ownerId: properties.hubspot_owner_id ?? null,
          dealIds: store.records.associatedIds(portal, { type: 'tasks', id }, 'deals'),
        }));
        return json({ portalId: portal.portalId, tasks });
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/deals/:dealId/stage',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        return json(store.pipelines.moveDeal(portalId, params.dealId ?? '', parseBody(MoveDealInput, body).stageId));
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/deals/:dealId/log-activity',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        const { type, at } = parseBody(LogActivityInput, body);
        return json(store.activities.logSalesActivity(portalId, params.dealId ?? '', type, at));
      },
    },
    {
      // The task's owner writing what they learned in the task's notes, in HubSpot's UI.
      method: 'POST',
      path: '/_sandbox/portals/:portalId/tasks/:taskId/notes',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        const task = store.activities.writeTaskNotes(portalId, params.taskId ?? '', parseBody(TaskNotesInput, body).text);
        return json({ id: task.id, notes: task.properties.hs_task_body ?? '' });
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/contacts/:contactId/privacy-delete',
      handle: ({ params }) => json(store.records.privacyDeleteContact(parseBody(PortalParams, params).portalId, params.contactId ?? '')),
    },
    { method: 'POST', path: '/_sandbox/faults', handle: ({ body }) => json(faults.add(body), 201) },
    { method: 'GET', path: '/_sandbox/faults', handle: () => json({ fired: faults.fired(), faults: faults.pending() }) },
    {
      method: 'DELETE',
      path: '/_sandbox/faults',
      handle: () => {
        faults.clear();
        return noContent();
      },
    },
    { method: 'GET', path: '/_sandbox/requests', handle: () => json({ requests: requestLog.list() }) },
    {
      method: 'DELETE',
      path: '/_sandbox/requests',
      handle: () => {
        requestLog.clear();
        return noContent();
      },
    },
    { method: 'GET', path: '/_sandbox/webhooks', handle: () => json({ targetUrl: webhooks.targetUrl ?? null, deliveries: webhooks.deliveries() }) },
    {
      method: 'PUT',
      path: '/_sandbox/webhooks/target',
      handle: ({ body }) => {
        webhooks.targetUrl = parseBody(WebhookTargetInput, body).url ?? undefined;
        return json({ targetUrl: webhooks.targetUrl ?? null });
      },
    },
  ];
}
