/** Properties v3: property definitions and groups, read and created. */
import { z } from 'zod';
import { type Route, json, notFound, parseBody } from '../http.js';
import { type CrmObjectType, type PropertyDefinition, propertyDefinition } from '../model.js';
import type { RouteDependencies } from '../routes.js';
import type { PortalState } from '../store.js';
import { forPortal, iso, objectType } from './support.js';

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

export function propertyRoutes({ store, now }: RouteDependencies): Route[] {
  const findProperty = (portal: PortalState, type: CrmObjectType, name: string): PropertyDefinition => {
    const definition = portal.properties[type].find((candidate) => candidate.name === name);
    if (!definition) throw notFound(`Unable to find property ${name} of ${type}`);
    return definition;
  };
  return [
    // Group routes come before /:propertyName, which would also match them.
    forPortal(store, 'GET', '/crm/v3/properties/:objectType/groups', (portal, { params }) =>
      json({ results: portal.propertyGroups[objectType(params.objectType)] })),
    forPortal(store, 'POST', '/crm/v3/properties/:objectType/groups', (portal, { params, body }) =>
      json(store.properties.createGroup(portal, objectType(params.objectType), { ...parseBody(PropertyGroupCreateInput, body), archived: false }), 201)),
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
      return json(store.properties.create(portal, type, definition), 201);
    }),
  ];
}
