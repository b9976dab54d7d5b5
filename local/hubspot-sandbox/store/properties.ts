/** Property definitions and groups, and HubSpot's checks of the values a write sets. */
import { type ErrorDetail, HubSpotApiError, conflict, validationError } from '../http.js';
import type { CrmObjectType, PropertyDefinition, PropertyGroup } from '../model.js';
import type { PersistentState } from './persistence.js';
import type { PortalState } from './state.js';

export interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

export class PropertyStore {
  constructor(private readonly db: PersistentState) {}

  create(portal: PortalState, type: CrmObjectType, definition: PropertyDefinition): PropertyDefinition {
    if (portal.properties[type].some((existing) => existing.name === definition.name)) {
      throw conflict(`Property named '${definition.name}' already exists.`);
    }
    if (!portal.propertyGroups[type].some((group) => group.name === definition.groupName)) {
      throw validationError(`Property group '${definition.groupName}' does not exist for ${type}`);
    }
    portal.properties[type].push(definition);
    this.db.save();
    return definition;
  }

  createGroup(portal: PortalState, type: CrmObjectType, group: PropertyGroup): PropertyGroup {
    if (portal.propertyGroups[type].some((existing) => existing.name === group.name)) {
      throw conflict(`Property group named '${group.name}' already exists.`);
    }
    portal.propertyGroups[type].push(group);
    this.db.save();
    return group;
  }
}

/** HubSpot refuses the whole write (a batch: all of it) if any property is unknown, read-only or not one of its options. */
export function checkWritable(portal: PortalState, type: CrmObjectType, writes: ReadonlyArray<Record<string, string>>): void {
  const problems = writes.flatMap((properties) => Object.entries(properties)).flatMap(([name, value]): PropertyProblem[] => {
    const definition = portal.properties[type].find((candidate) => candidate.name === name);
    if (!definition) return [{ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` }];
    if (definition.modificationMetadata.readOnlyValue) return [{ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` }];
    // dealstage's options span every pipeline; updating a deal also checks the deal's own pipeline.
    const closedOptions = (definition.type === 'enumeration' || definition.type === 'bool') && !definition.externalOptions;
    if (closedOptions && value !== '' && !definition.options.some((option) => option.value === value)) {
      return [{ name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options` }];
    }
    return [];
  });
  if (problems.length > 0) throw invalidProperties(problems);
}

/** HubSpot's 400 for refused property values: the problems in the message as JSON, and again in `errors`. */
export function invalidProperties(problems: readonly PropertyProblem[]): HubSpotApiError {
  const details: ErrorDetail[] = problems.map(({ name, error, message }) => ({ message, code: error, context: { propertyName: [name] } }));
  const listed = problems.map(({ name, error, message }) => ({ isValid: false, message, error, name }));
  return validationError(`Property values were not valid: ${JSON.stringify(listed)}`, undefined, details);
}
