/** Associations between records: each stored once in the portal, read from either end. */
import type { CrmObjectType } from '../model.js';
import type { PortalState } from './state.js';

export interface ObjectRef {
  type: CrmObjectType;
  id: string;
}

export const sameRef = (a: ObjectRef, b: ObjectRef) => a.type === b.type && a.id === b.id;

export function link(portal: PortalState, a: ObjectRef, b: ObjectRef): void {
  const known = portal.associations.some(([x, y]) => (sameRef(x, a) && sameRef(y, b)) || (sameRef(x, b) && sameRef(y, a)));
  if (!known) portal.associations.push([a, b]);
}

/** Whatever `from` is associated with, live or not. */
export function associated(portal: PortalState, from: ObjectRef): ObjectRef[] {
  return portal.associations.flatMap(([a, b]) => (sameRef(a, from) ? [b] : sameRef(b, from) ? [a] : []));
}

/** Drops every association of `ref`; what it was associated with. */
export function unlinkAll(portal: PortalState, ref: ObjectRef): ObjectRef[] {
  const unlinked = associated(portal, ref);
  portal.associations = portal.associations.filter(([a, b]) => !sameRef(a, ref) && !sameRef(b, ref));
  return unlinked;
}
