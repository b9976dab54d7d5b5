/** Owners v3: the portal's users, listed or by id (or user id). */
import { type Route, json, notFound } from '../http.js';
import type { RouteDependencies } from '../routes.js';
import type { Owner } from '../store.js';
import { forPortal, iso, page } from './support.js';

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

export function ownerRoutes({ store }: RouteDependencies): Route[] {
  return [
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
  ];
}
