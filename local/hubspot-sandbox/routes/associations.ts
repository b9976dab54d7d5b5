/** Associations v4: a record's associations of one type, and the same for a batch of records. */
import { z } from 'zod';
import { type Route, json, parseBody } from '../http.js';
import { associationTypes } from '../model.js';
import type { RouteDependencies } from '../routes.js';
import { batchTimes, forPortal, objectType, page } from './support.js';

const AssociationBatchReadInput = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().optional() })).max(1000),
});

export function associationRoutes({ store, now }: RouteDependencies): Route[] {
  return [
    forPortal(store, 'GET', '/crm/v4/objects/:fromType/:objectId/associations/:toType', (portal, { params, query }) => {
      const from = { type: objectType(params.fromType), id: params.objectId ?? '' };
      const toType = objectType(params.toType);
      const types = associationTypes(from.type, toType) ?? [];
      const associated = store.records.associatedIds(portal, from, toType).map((id) => ({ toObjectId: Number(id), associationTypes: types }));
      return json(page(associated, query, 500));
    }),
    forPortal(store, 'POST', '/crm/v4/associations/:fromType/:toType/batch/read', (portal, { params, body }) => {
      const startedAt = now();
      const fromType = objectType(params.fromType);
      const toType = objectType(params.toType);
      const types = associationTypes(fromType, toType) ?? [];
      const answers = parseBody(AssociationBatchReadInput, body).inputs.map(({ id }) => ({
        id,
        to: store.records.associatedIds(portal, { type: fromType, id }, toType).map((toId) => ({ toObjectId: Number(toId), associationTypes: types })),
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
