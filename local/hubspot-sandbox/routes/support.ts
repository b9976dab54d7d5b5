/** What the route families share: authenticating a portal, reading HubSpot's query parameters, paging and batch answers. */
import { type Route, type RouteRequest, type RouteResponse, json, validationError } from '../http.js';
import { type CrmObjectType, objectTypeFrom } from '../model.js';
import type { PortalState, SandboxStore } from '../store.js';

export const iso = (ms: number) => new Date(ms).toISOString();

/** A route that needs `Authorization: Bearer`, answered for the token's portal only. */
export function forPortal(
  store: SandboxStore,
  method: Route['method'],
  path: string,
  handle: (portal: PortalState, request: RouteRequest) => RouteResponse,
): Route {
  return { method, path, handle: (request) => handle(store.oauth.authenticate(request.authorization), request) };
}

export function objectType(name: string | undefined): CrmObjectType {
  const type = objectTypeFrom(name ?? '');
  if (!type) throw validationError(`Unable to infer object type from: ${name}`);
  return type;
}

/** `?properties=a,b` and `?properties=a&properties=b` both work, as on HubSpot. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name).flatMap((value) => value.split(',')).filter((value) => value !== '');
  return values.length > 0 ? values : undefined;
}

/** Offset paging with HubSpot's `paging.next.after` cursor. */
export function page<T>(items: T[], query: URLSearchParams, defaultLimit: number): { results: T[]; paging?: { next: { after: string } } } {
  const limit = Math.max(1, Number(query.get('limit') ?? defaultLimit) || defaultLimit);
  const offset = Math.max(0, Number(query.get('after') ?? 0) || 0);
  const results = items.slice(offset, offset + limit);
  return offset + limit < items.length ? { results, paging: { next: { after: String(offset + limit) } } } : { results };
}

export function batchTimes(startedAt: number, now: () => number) {
  return { startedAt: iso(startedAt), completedAt: iso(now()) };
}

/** A batch answer: 200 when every input was found, else 207 with HubSpot's OBJECT_NOT_FOUND error for the rest. */
export function batchAnswer(type: CrmObjectType, results: unknown[], missing: string[], startedAt: number, now: () => number): RouteResponse {
  if (missing.length === 0) return json({ status: 'COMPLETE', results, ...batchTimes(startedAt, now) });
  const errors = [{
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${type.slice(0, -1).toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: missing },
  }];
  return json({ status: 'COMPLETE', results, numErrors: errors.length, errors, ...batchTimes(startedAt, now) }, 207);
}
