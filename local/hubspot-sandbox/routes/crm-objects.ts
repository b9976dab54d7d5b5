/** CRM objects v3: records read, created, updated (one or a batch) and archived, and the contacts' GDPR delete; tasks and notes are objects like the rest. */
import { z } from 'zod';
import { type Route, json, noContent, notFound, parseBody, validationError } from '../http.js';
import { type CrmObjectType, associationTarget, defaultReadProperties, timestampProperties } from '../model.js';
import type { RouteDependencies } from '../routes.js';
import type { ChangeSource, CrmRecord, PortalState } from '../store.js';
import { batchAnswer, forPortal, iso, listParam, objectType, page } from './support.js';

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

/**
 * Records a list page holds at most when a property's history is asked for. HubSpot: "Usage of
 * this parameter [propertiesWithHistory] will reduce the maximum number of objects that can be
 * read by a single request" (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/get-objects):
 * 50, and a larger `limit` gets 400 (https://github.com/HubSpot/hubspot-api-python/issues/143).
 */
const maxListedWithHistory = 50;

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

export function crmObjectRoutes({ store, app, now }: RouteDependencies): Route[] {
  // Writes through the API are the app's own, as HubSpot attributes them.
  const integration: ChangeSource = { sourceType: 'INTEGRATION', sourceId: String(app.appId) };
  return [
    forPortal(store, 'GET', '/crm/v3/objects/:objectType', (portal, { params, query }) => {
      const type = objectType(params.objectType);
      const read = { properties: listParam(query, 'properties'), propertiesWithHistory: listParam(query, 'propertiesWithHistory') };
      if (read.propertiesWithHistory && Number(query.get('limit') ?? 10) > maxListedWithHistory) {
        throw validationError(`limit must be at most ${maxListedWithHistory} when propertiesWithHistory is requested`);
      }
      const { results, paging } = page(store.records.list(portal, type), query, 10);
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
      const record = store.records.create(portal, type, input.properties, targets, integration);
      return json(publicObject(portal, type, record, { properties: Object.keys(input.properties) }), 201);
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType/gdpr-delete', (portal, { params, body }) => {
      if (objectType(params.objectType) !== 'contacts') throw validationError(`GDPR delete is for contacts only, not ${params.objectType}`);
      const { objectId, idProperty } = parseBody(GdprDeleteInput, body);
      if (idProperty === undefined || idProperty === 'hs_object_id') {
        store.records.purgeContact(portal, objectId, integration);
        return noContent();
      }
      const contact = store.records.contactByUniqueProperty(portal, idProperty, objectId);
      if (contact) store.records.purgeContact(portal, contact.id, integration);
      // An email that matches no contact is blocklisted by HubSpot and answered 204 all the same.
      else if (idProperty !== 'email') throw notFound(`No contact has ${idProperty} ${objectId}`);
      return noContent();
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType/batch/read', (portal, { params, body }) => {
      const startedAt = now();
      const type = objectType(params.objectType);
      const input = parseBody(BatchReadInput, body);
      const found = input.inputs.map(({ id }) => ({ id, record: store.records.find(portal, type, id) }));
      const results = found.flatMap(({ record }) => (record ? [publicObject(portal, type, record, input)] : []));
      return batchAnswer(type, results, found.filter(({ record }) => !record).map(({ id }) => id), startedAt, now);
    }),
    forPortal(store, 'POST', '/crm/v3/objects/:objectType/batch/update', (portal, { params, body }) => {
      const startedAt = now();
      const type = objectType(params.objectType);
      const { inputs } = parseBody(BatchUpdateInput, body);
      const { updated, missing } = store.records.updateMany(portal, type, inputs, integration);
      const written = new Map(inputs.map(({ id, properties }) => [id, Object.keys(properties)]));
      const results = updated.map((record) => publicObject(portal, type, record, { properties: [...defaultReadProperties[type], ...(written.get(record.id) ?? [])] }));
      return batchAnswer(type, results, missing, startedAt, now);
    }),
    forPortal(store, 'GET', '/crm/v3/objects/:objectType/:objectId', (portal, { params, query }) => {
      const type = objectType(params.objectType);
      const record = store.records.get(portal, type, params.objectId ?? '');
      return json(publicObject(portal, type, record, {
        properties: listParam(query, 'properties'),
        propertiesWithHistory: listParam(query, 'propertiesWithHistory'),
      }));
    }),
    forPortal(store, 'PATCH', '/crm/v3/objects/:objectType/:objectId', (portal, { params, body }) => {
      const type = objectType(params.objectType);
      const { properties } = parseBody(ObjectInput, body);
      const record = store.records.update(portal, type, params.objectId ?? '', properties, integration);
      return json(publicObject(portal, type, record, { properties: [...defaultReadProperties[type], ...Object.keys(properties)] }));
    }),
    forPortal(store, 'DELETE', '/crm/v3/objects/:objectType/:objectId', (portal, { params }) => {
      store.records.archive(portal, objectType(params.objectType), params.objectId ?? '', integration);
      return noContent();
    }),
  ];
}
