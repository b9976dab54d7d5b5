/**
 * The route table: HubSpot's real paths and response shapes for the subset
 * the app calls (CRM objects v3 with batch read and update and the contacts'
 * GDPR delete; tasks and notes are objects like the rest; associations
 * v4, pipelines, owners, properties, OAuth, the webhooks journal's app
 * lifecycle events in journal.ts), plus the sandbox's own admin surface under
 * /_sandbox (seeding help, a user uninstalling the app, faults to inject, the
 * request log).
 */
import { z } from 'zod';
import type { FaultInjector, RequestLog } from './faults.js';
import { journalRoutes } from './journal.js';
import {
  type Route,
  type RouteRequest,
  type RouteResponse,
  OAuthError,
  json,
  noContent,
  notFound,
  parseBody,
  validationError,
} from './http.js';
import {
  type CrmObjectType,
  type PropertyDefinition,
  associationTarget,
  associationTypes,
  defaultReadProperties,
  objectTypeFrom,
  propertyDefinition,
  timestampProperties,
} from './model.js';
import { type ChangeSource, type CrmRecord, type DealPipeline, type Owner, type PortalState, type SandboxStore, salesActivityTypes } from './store.js';
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

const iso = (ms: number) => new Date(ms).toISOString();

export function sandboxRoutes(dependencies: RouteDependencies): Route[] {
  return [
    ...crmObjectRoutes(dependencies),
    ...crmMetadataRoutes(dependencies),
    ...oauthRoutes(dependencies),
    ...journalRoutes(dependencies),
    ...adminRoutes(dependencies),
  ];
}

// ---- Request helpers ----

/** A route that needs `Authorization: Bearer`, answered for the token's portal only. */
function forPortal(
  store: SandboxStore,
  method: Route['method'],
  path: string,
  handle: (portal: PortalState, request: RouteRequest) => RouteResponse,
): Route {
  return { method, path, handle: (request) => handle(store.authenticate(request.authorization), request) };
}

function objectType(name: string | undefined): CrmObjectType {
  const type = objectTypeFrom(name ?? '');
  if (!type) throw validationError(`Unable to infer object type from: ${name}`);
  return type;
}

/** `?properties=a,b` and `?properties=a&properties=b` both work, as on HubSpot. */
function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name).flatMap((value) => value.split(',')).filter((value) => value !== '');
  return values.length > 0 ? values : undefined;
}

/** Offset paging with HubSpot's `paging.next.after` cursor. */
function page<T>(items: T[], query: URLSearchParams, defaultLimit: number): { results: T[]; paging?: { next: { after: string } } } {
  const limit = Math.max(1, Number(query.get('limit') ?? defaultLimit) || defaultLimit);
  const offset = Math.max(0, Number(query.get('after') ?? 0) || 0);
  const results = items.slice(offset, offset + limit);
  return offset + limit < items.length ? { results, paging: { next: { after: String(offset + limit) } } } : { results };
}

function batchTimes(startedAt: number, now: () => number) {
  return { startedAt: iso(startedAt), completedAt: iso(now()) };
}

/** A batch answer: 200 when every input was found, else 207 with HubSpot's OBJECT_NOT_FOUND error for the rest. */
function batchAnswer(type: CrmObjectType, results: unknown[], missing: string[], startedAt: number, now: () => number): RouteResponse {
  if (missing.length === 0) return json({ status: 'COMPLETE', results, ...batchTimes(startedAt, now) });
  const errors = [{
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${type.slice(0, -1).toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: missing },
  }];
  return json({ status: 'COMPLETE', results, numErrors: errors.length, errors, ...batchTimes(startedAt, now) }, 207);
}

// ---- Presenting records as HubSpot does ----

interface ReadRequest {
  properties?: readonly string[];
  propertiesWithHistory?: readonly string[];
}

function publicObject(portal: PortalState, type: CrmObjectType, record: CrmRecord, read: ReadRequest = {}) {
  const stamps = timestampProperties[type];
  const names = new Set([...(read.properties ?? defaultReadProperties[type]), 'hs_object_id', stamps.created, stamps.modified]);
  const properties: Record<string, string | null> = {};
  for (const name of names) {
    const value = Object.hasOwn(record.properties, name) ? record.properties[name] : undefined;
    // A requested property that exists but was never set comes back as null; an unknown one is left out.
    if (value !== undefined) properties[name] = value;
    else if (portal.properties[type].some((definition) => definition.name === name)) properties[name] = null;
  }
  const withHistory = read.propertiesWithHistory?.length
    ? {
        propertiesWithHistory: Object.fromEntries(read.propertiesWithHistory.map((name) => [
          name,
          (Object.hasOwn(record.history, name) ? record.history[name] ?? [] : []).map((change) => ({ ...change, timestamp: iso(change.timestamp) })),
        ])),
      }
    : {};
  return {
    id: record.id,
    properties,
    ...withHistory,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
    ...(record.archivedAt !== undefined && { archivedAt: iso(record.archivedAt) }),
  };
}

function publicPipeline(pipeline: DealPipeline) {
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    stages: pipeline.stages.map((stage) => publicStage(pipeline, stage)),
    createdAt: iso(pipeline.createdAt),
    updatedAt: iso(pipeline.updatedAt),
    archived: false,
  };
}

function publicStage(pipeline: DealPipeline, stage: DealPipeline['stages'][number]) {
  return {
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    // HubSpot serves stage metadata as strings ("1.0", "true").
    metadata: { isClosed: String(stage.isClosed), probability: Number.isInteger(stage.probability) ? stage.probability.toFixed(1) : String(stage.probability) },
    createdAt: iso(pipeline.createdAt),
    updatedAt: iso(pipeline.updatedAt),
    archived: false,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

function publicOwner(owner: Owner) {
  return {
    id: owner.id,
    email: owner.email,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: iso(owner.createdAt),
    updatedAt: iso(owner.updatedAt),
    archived: false,
    teams: [],
  };
}

// ---- CRM objects and associations ----

const PropertyValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const ObjectInput = z.object({ properties: PropertyValues });

const ObjectCreateInput = z.object({
  properties: PropertyValues,
  associations: z.array(z.object({
    to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
    types: z.array(z.object({
      associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
      associationTypeId: z.number().int(),
    })).min(1),
  })).default([]),
});

const BatchReadInput = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })).max(100),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.literal('hs_object_id').optional(),
});

const RecordId = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1));

const BatchUpdateInput = z.object({
  inputs: z.array(z.object({
    id: RecordId,
    properties: PropertyValues,
    idProperty: z.undefined({ error: 'the sandbox batch-updates by record id only, without idProperty' }).optional(),
  })).max(100),
});

const GdprDeleteInput = z.object({
  objectId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1)),
  /** A unique property (usually `email`) whose value `objectId` is, instead of the record id. */
  idProperty: z.string().min(1).optional(),
});

const AssociationBatchReadInput = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().optional() })).max(1000),
});

function crmObjectRoutes({ store, app, now }: RouteDependencies): Route[] {
  // Writes through the API are the app's own, as HubSpot attributes them.
  const integration: ChangeSource = { sourceType: 'INTEGRATION', sourceId: String(app.appId) };
  return [
    forPortal(store, 'GET', '/crm/v3/objects/:objectType', (portal, { params, query }) => {
      const type = objectType(params.objectType);
      const read = { properties: listParam(query, 'properties') };
      const { results, paging } = page(store.records(portal, type), query, 10);
      return json({ results: results.map((record) => publicObject(portal, type, record, read)), ...(paging && { paging }) });
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType', (portal, { params, body }) => {
      const type = objectType(params.objectType);
      const input = parseBody(ObjectCreateInput, body);
      const targets = input.associations.flatMap(({ to, types }) => types.map((spec) => {
        const toType = associationTarget(type, spec.associationTypeId);
        if (!toType) throw validationError(`Association type ${spec.associationTypeId} is not defined from ${type}`);
        return { type: toType, id: to.id };
      }));
      const record = store.createRecord(portal, type, input.properties, targets, integration);
      return json(publicObject(portal, type, record, { properties: Object.keys(input.properties) }), 201);
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType/gdpr-delete', (portal, { params, body }) => {
      if (objectType(params.objectType) !== 'contacts') throw validationError(`GDPR delete is for contacts only, not ${params.objectType}`);
      const { objectId, idProperty } = parseBody(GdprDeleteInput, body);
      if (idProperty === undefined || idProperty === 'hs_object_id') {
        store.purgeContact(portal, objectId, integration);
        return noContent();
      }
      const contact = store.contactByUniqueProperty(portal, idProperty, objectId);
      if (contact) store.purgeContact(portal, contact.id, integration);
      // An email that matches no contact is blocklisted by HubSpot and answered 204 all the same.
      else if (idProperty !== 'email') throw notFound(`No contact has ${idProperty} ${objectId}`);
      return noContent();
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType/batch/read', (portal, { params, body }) => {
      const startedAt = now();
      const type = objectType(params.objectType);
      const input = parseBody(BatchReadInput, body);
      const found = input.inputs.map(({ id }) => ({ id, record: store.record(portal, type, id) }));
      const results = found.flatMap(({ record }) => (record ? [publicObject(portal, type, record, input)] : []));
      return batchAnswer(type, results, found.filter(({ record }) => !record).map(({ id }) => id), startedAt, now);
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType/batch/update', (portal, { params, body }) => {
      const startedAt = now();
      const type = objectType(params.objectType);
      const { inputs } = parseBody(BatchUpdateInput, body);
      const { updated, missing } = store.updateRecords(portal, type, inputs, integration);
      const written = new Map(inputs.map(({ id, properties }) => [id, Object.keys(properties)]));
      const results = updated.map((record) => publicObject(portal, type, record, { properties: [...defaultReadProperties[type], ...(written.get(record.id) ?? [])] }));
      return batchAnswer(type, results, missing, startedAt, now);
    }),
    forPortal(store, 'GET', '/crm/v3/objects/:objectType/:objectId', (portal, { params, query }) => {
      const type = objectType(params.objectType);
      const record = store.requireRecord(portal, type, params.objectId ?? '');
      return json(publicObject(portal, type, record, {
        properties: listParam(query, 'properties'),
        propertiesWithHistory: listParam(query, 'propertiesWithHistory'),
      }));
    }),
    forPortal(store, 'PATCH', '/crm/v3/objects/:objectType/:objectId', (portal, { params, body }) => {
      const type = objectType(params.objectType);
      const { properties } = parseBody(ObjectInput, body);
      const record = store.updateRecord(portal, type, params.objectId ?? '', properties, integration);
      return json(publicObject(portal, type, record, { properties: [...defaultReadProperties[type], ...Object.keys(properties)] }));
    }),
    forPortal(store, 'DELETE', '/crm/v3/objects/:objectType/:objectId', (portal, { params }) => {
      store.archiveRecord(portal, objectType(params.objectType), params.objectId ?? '', integration);
      return noContent();
    }),
    forPortal(store, 'GET', '/crm/v4/objects/:fromType/:objectId/associations/:toType', (portal, { params, query }) => {
      const from = { type: objectType(params.fromType), id: params.objectId ?? '' };
      const toType = objectType(params.toType);
      const types = associationTypes(from.type, toType) ?? [];
      const associated = store.associatedIds(portal, from, toType).map((id) => ({ toObjectId: Number(id), associationTypes: types }));
      return json(page(associated, query, 500));
    }),
    forPortal(store, 'POST', '/crm/v4/associations/:fromType/:toType/batch/read', (portal, { params, body }) => {
      const startedAt = now();
      const fromType = objectType(params.fromType);
      const toType = objectType(params.toType);
      const types = associationTypes(fromType, toType) ?? [];
      const answers = parseBody(AssociationBatchReadInput, body).inputs.map(({ id }) => ({
        id,
        to: store.associatedIds(portal, { type: fromType, id }, toType).map((toId) => ({ toObjectId: Number(toId), associationTypes: types })),
      }));
      const results = answers.filter(({ to }) => to.length > 0).map(({ id, to }) => ({ from: { id }, to }));
      // HubSpot reports a record with nothing associated (or no such record) as an error of the batch.
      const errors = answers.filter(({ to }) => to.length === 0).map(({ id }) => ({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: `No ${toType} is associated with ${fromType.slice(0, -1)} ${id}.`,
        context: { fromObjectId: [id] },
      }));
      if (errors.length === 0) return json({ status: 'COMPLETE', results, ...batchTimes(startedAt, now) });
      return json({ status: 'COMPLETE', results, numErrors: errors.length, errors, ...batchTimes(startedAt, now) }, 207);
    }),
  ];
}

// ---- Pipelines, owners, properties ----

const PropertyCreateInput = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores, starting with a letter'),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']),
  fieldType: z.enum(['textarea', 'text', 'date', 'file', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation', 'html', 'phonenumber']),
  groupName: z.string().min(1),
  description: z.string().default(''),
  options: z.array(z.object({
    label: z.string(),
    value: z.string(),
    displayOrder: z.number().int().default(-1),
    hidden: z.boolean().default(false),
    description: z.string().optional(),
  })).default([]),
  displayOrder: z.number().int().default(-1),
  hasUniqueValue: z.boolean().default(false),
  hidden: z.boolean().default(false),
  formField: z.boolean().default(false),
  externalOptions: z.boolean().default(false),
});

const PropertyGroupCreateInput = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  displayOrder: z.number().int().default(-1),
});

/** HubSpot's PipelineStageInput: stage metadata values are strings ("0.4", "false"). */
const StageInput = z.object({
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
  metadata: z.object({ probability: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/), isClosed: z.enum(['true', 'false']).default('false') }),
});

function dealsOnly(name: string | undefined): void {
  if (objectTypeFrom(name ?? '') !== 'deals') throw validationError(`The HubSpot sandbox keeps pipelines for deals only, not ${name}`);
}

function crmMetadataRoutes({ store, now }: RouteDependencies): Route[] {
  const findProperty = (portal: PortalState, type: CrmObjectType, name: string): PropertyDefinition => {
    const definition = portal.properties[type].find((candidate) => candidate.name === name);
    if (!definition) throw notFound(`Unable to find property ${name} of ${type}`);
    return definition;
  };
  return [
    // The app uninstalls itself from the portal whose token it presents: "The app is uninstalled from the account
    // associated with the access token you provide", 204 (app uninstalls API, v3 and 2026-03 paths,
    // https://developers.hubspot.com/docs/api-reference/latest/app-management/app-uninstalls/guide). It is journaled
    // like an uninstall a user starts (an assumption: HubSpot does not say).
    ...['/appinstalls/v3/external-install', '/appinstalls/2026-03/external-install'].map((path): Route => ({
      method: 'DELETE',
      path,
      handle: ({ authorization }) => {
        const portal = store.authenticate(authorization);
        store.uninstallApp(portal.portalId, store.userIdOf(authorization));
        return noContent();
      },
    })),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType', (portal, { params }) => {
      dealsOnly(params.objectType);
      return json({ results: portal.dealPipelines.map(publicPipeline) });
    }),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType/:pipelineId', (portal, { params }) => {
      dealsOnly(params.objectType);
      return json(publicPipeline(store.dealPipeline(portal, params.pipelineId ?? '')));
    }),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType/:pipelineId/stages', (portal, { params }) => {
      dealsOnly(params.objectType);
      const pipeline = store.dealPipeline(portal, params.pipelineId ?? '');
      return json({ results: pipeline.stages.map((stage) => publicStage(pipeline, stage)) });
    }),
    forPortal(store, 'POST', '/crm/v3/pipelines/:objectType/:pipelineId/stages', (portal, { params, body }) => {
      dealsOnly(params.objectType);
      const input = parseBody(StageInput, body);
      const stage = store.addDealStage(portal, params.pipelineId ?? '', {
        label: input.label,
        displayOrder: input.displayOrder,
        probability: Number(input.metadata.probability),
        isClosed: input.metadata.isClosed === 'true',
      });
      return json(publicStage(store.dealPipeline(portal, params.pipelineId ?? ''), stage), 201);
    }),
    forPortal(store, 'DELETE', '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (portal, { params }) => {
      dealsOnly(params.objectType);
      store.deleteDealStage(portal, params.pipelineId ?? '', params.stageId ?? '');
      return noContent();
    }),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (portal, { params }) => {
      dealsOnly(params.objectType);
      const pipeline = store.dealPipeline(portal, params.pipelineId ?? '');
      const stage = pipeline.stages.find((candidate) => candidate.id === params.stageId);
      if (!stage) throw notFound(`Unable to find stage ${params.stageId} in pipeline ${pipeline.id}`);
      return json(publicStage(pipeline, stage));
    }),
    forPortal(store, 'GET', '/crm/v3/owners', (portal, { query }) => {
      const email = query.get('email')?.toLowerCase();
      const owners = portal.owners.filter((owner) => !email || owner.email.toLowerCase() === email);
      return json(page(owners.map(publicOwner), query, 100));
    }),
    forPortal(store, 'GET', '/crm/v3/owners/:ownerId', (portal, { params, query }) => {
      const byUserId = query.get('idProperty') === 'userId';
      const owner = portal.owners.find((candidate) => (byUserId ? String(candidate.userId) : candidate.id) === params.ownerId);
      if (!owner) throw notFound(`Owner ${params.ownerId} not found`);
      return json(publicOwner(owner));
    }),
    // Group routes come before /:propertyName, which would also match them.
    forPortal(store, 'GET', '/crm/v3/properties/:objectType/groups', (portal, { params }) =>
      json({ results: portal.propertyGroups[objectType(params.objectType)] })),
    forPortal(store, 'POST', '/crm/v3/properties/:objectType/groups', (portal, { params, body }) =>
      json(store.createPropertyGroup(portal, objectType(params.objectType), { ...parseBody(PropertyGroupCreateInput, body), archived: false }), 201)),
    forPortal(store, 'GET', '/crm/v3/properties/:objectType/groups/:groupName', (portal, { params }) => {
      const group = portal.propertyGroups[objectType(params.objectType)].find((candidate) => candidate.name === params.groupName);
      if (!group) throw notFound(`Unable to find property group ${params.groupName}`);
      return json(group);
    }),
    forPortal(store, 'GET', '/crm/v3/properties/:objectType', (portal, { params }) =>
      json({ results: portal.properties[objectType(params.objectType)] })),
    forPortal(store, 'GET', '/crm/v3/properties/:objectType/:propertyName', (portal, { params }) =>
      json(findProperty(portal, objectType(params.objectType), params.propertyName ?? ''))),
    forPortal(store, 'POST', '/crm/v3/properties/:objectType', (portal, { params, body }) => {
      const type = objectType(params.objectType);
      const input = parseBody(PropertyCreateInput, body);
      const at = iso(now());
      const { name, label, type: valueType, fieldType, groupName, ...details } = input;
      const definition = propertyDefinition([name, label, valueType, fieldType], groupName, at, {
        ...details,
        hubspotDefined: false,
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      });
      return json(store.createProperty(portal, type, definition), 201);
    }),
  ];
}

// ---- OAuth ----

const TokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: z.string(), redirect_uri: z.string().optional(), client_id: z.string(), client_secret: z.string() }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), client_id: z.string(), client_secret: z.string() }),
  // The app's own token for the webhooks journal: "If you're using the webhooks journal API, you can also generate
  // access tokens using the client_credentials grant type"; `scope` is space-separated
  // (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens).
  z.object({ grant_type: z.literal('client_credentials'), client_id: z.string(), client_secret: z.string(), scope: z.string().optional() }),
]);

/**
 * The token endpoint, at its v1 path and the date-versioned 2026-03 one, which
 * take the same form fields and answer TokenResponseIF = AccessTokenResponse |
 * ClientCredentialsTokenResponse
 * (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token).
 */
function tokenRoute(path: string, { store, app }: RouteDependencies): Route {
  return {
    method: 'POST',
    path,
    handle: ({ body }) => {
      const parsed = TokenRequest.safeParse(body);
      if (!parsed.success) throw new OAuthError('BAD_REQUEST', `invalid token request: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
      const request = parsed.data;
      if (request.client_id !== app.clientId) throw new OAuthError('BAD_CLIENT_ID', 'missing or unknown client id');
      if (request.client_secret !== app.clientSecret) throw new OAuthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
      switch (request.grant_type) {
        case 'authorization_code':
          return json(store.redeemInstallCode(request.code, request.redirect_uri));
        case 'refresh_token':
          return json(store.refreshAccessToken(request.refresh_token));
        case 'client_credentials':
          return json(store.issueAppToken((request.scope ?? '').split(/\s+/).filter((scope) => scope !== '')));
      }
    },
  };
}

function oauthRoutes(dependencies: RouteDependencies): Route[] {
  const { store, app } = dependencies;
  return [
    tokenRoute('/oauth/v1/token', dependencies),
    tokenRoute('/oauth/2026-03/token', dependencies),
    {
      method: 'GET',
      path: '/oauth/v1/access-tokens/:token',
      handle: ({ params }) => {
        const { grant, portal, expiresInSeconds } = store.describeAccessToken(params.token ?? '');
        const user = portal.owners.find((owner) => owner.userId === grant.userId);
        return json({
          token: params.token,
          user: user?.email,
          hub_domain: portal.hubDomain,
          scopes: grant.scopes,
          hub_id: portal.portalId,
          app_id: app.appId,
          expires_in: expiresInSeconds,
          user_id: grant.userId,
          token_type: 'access',
        });
      },
    },
    {
      // There is no HubSpot login here: the install is consented at once, for the
      // portal named by `portalId` (not a HubSpot parameter) or the first one.
      method: 'GET',
      path: '/oauth/authorize',
      handle: ({ query }) => {
        const redirectUri = query.get('redirect_uri');
        if (query.get('client_id') !== app.clientId || !redirectUri) throw new OAuthError('BAD_CLIENT_ID', 'missing or unknown client id, or no redirect_uri');
        const portalId = Number(query.get('portalId') ?? store.portalIds()[0]);
        const target = new URL(redirectUri);
        target.searchParams.set('code', store.issueInstallCode(portalId, redirectUri));
        const state = query.get('state');
        if (state !== null) target.searchParams.set('state', state);
        return { status: 302, headers: { Location: target.toString() } };
      },
    },
  ];
}

// ---- The sandbox's own admin surface (not HubSpot paths) ----

const PortalParams = z.object({ portalId: z.coerce.number().int().positive() });
const InstallCodeInput = z.object({ redirectUri: z.string().optional(), scopes: z.array(z.string()).optional() }).default({});
const MoveDealInput = z.object({ stageId: z.string().min(1) });
const LogActivityInput = z.object({ type: z.enum(salesActivityTypes), at: z.number().int().nonnegative().optional() });
const WebhookTargetInput = z.object({ url: z.url().nullable() });

function adminRoutes({ store, webhooks, faults, requestLog }: RouteDependencies): Route[] {
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
      handle: ({ params }) => json(store.uninstallApp(parseBody(PortalParams, params).portalId)),
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/install-code',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        const { redirectUri, scopes } = parseBody(InstallCodeInput, body);
        return json({ portalId, code: store.issueInstallCode(portalId, redirectUri ?? null, scopes) }, 201);
      },
    },
    {
      method: 'GET',
      path: '/_sandbox/portals/:portalId/deals',
      handle: ({ params }) => {
        const portal = store.portal(parseBody(PortalParams, params).portalId);
        const deals = store.records(portal, 'deals').map(({ id, properties }) => {
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
      method: 'POST',
      path: '/_sandbox/portals/:portalId/deals/:dealId/stage',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        return json(store.moveDeal(portalId, params.dealId ?? '', parseBody(MoveDealInput, body).stageId));
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/deals/:dealId/log-activity',
      handle: ({ params, body }) => {
        const { portalId } = parseBody(PortalParams, params);
        const { type, at } = parseBody(LogActivityInput, body);
        return json(store.logSalesActivity(portalId, params.dealId ?? '', type, at));
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/portals/:portalId/contacts/:contactId/privacy-delete',
      handle: ({ params }) => json(store.privacyDeleteContact(parseBody(PortalParams, params).portalId, params.contactId ?? '')),
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
