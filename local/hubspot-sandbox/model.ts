/**
 * The slice of HubSpot's CRM model the sandbox speaks: object types, the
 * HUBSPOT_DEFINED association types between them, timestamps and default
 * property definitions, and the seed a portal starts from. Names and ids are
 * HubSpot's own (see @hubspot/api-client's AssociationTypes enum).
 */

export const crmObjectTypes = ['contacts', 'companies', 'deals', 'tasks', 'notes'] as const;
export type CrmObjectType = (typeof crmObjectTypes)[number];

/** The ids webhooks carry in `objectTypeId`. */
export const objectTypeIds: Record<CrmObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tasks: '0-27',
  notes: '0-46',
};

const objectTypeAliases = new Map<string, CrmObjectType>(
  crmObjectTypes.flatMap((type) => [[type, type], [objectTypeIds[type], type]] as const),
);
for (const [singular, type] of [['contact', 'contacts'], ['company', 'companies'], ['deal', 'deals'], ['task', 'tasks'], ['note', 'notes']] as const) {
  objectTypeAliases.set(singular, type);
}

/** HubSpot accepts the plural, the singular and the type id in paths. */
export function objectTypeFrom(name: string): CrmObjectType | undefined {
  return objectTypeAliases.get(name.toLowerCase());
}

/** Contacts predate the `hs_` prefix, so their modified date has the old name. */
export const timestampProperties: Record<CrmObjectType, { created: string; modified: string }> = {
  contacts: { created: 'createdate', modified: 'lastmodifieddate' },
  companies: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  deals: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  tasks: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
  notes: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
};

/** Activities (engagements) sit on the timeline at `hs_timestamp`; HubSpot refuses to create one without it. */
export const engagementTypes: readonly CrmObjectType[] = ['tasks', 'notes'];

/** What a read returns when it names no properties. */
export const defaultReadProperties: Record<CrmObjectType, readonly string[]> = {
  contacts: ['email', 'firstname', 'lastname'],
  companies: ['domain', 'name'],
  deals: ['amount', 'closedate', 'dealname', 'dealstage', 'pipeline'],
  tasks: ['hs_task_subject', 'hs_task_status', 'hs_timestamp'],
  notes: ['hs_note_body', 'hs_timestamp'],
};

export interface AssociationType {
  category: 'HUBSPOT_DEFINED';
  typeId: number;
  label: string | null;
}

const primary = (typeId: number): AssociationType => ({ category: 'HUBSPOT_DEFINED', typeId, label: 'Primary' });
const unlabeled = (typeId: number): AssociationType => ({ category: 'HUBSPOT_DEFINED', typeId, label: null });

/**
 * The types HubSpot reports for an association, by direction. A link to a
 * company is the record's primary company, which HubSpot reports as both the
 * "Primary" type and the unlabeled one.
 */
const associationTypesByDirection: Partial<Record<`${CrmObjectType}->${CrmObjectType}`, readonly AssociationType[]>> = {
  'contacts->companies': [primary(1), unlabeled(279)],
  'companies->contacts': [primary(2), unlabeled(280)],
  'deals->contacts': [unlabeled(3)],
  'contacts->deals': [unlabeled(4)],
  'deals->companies': [primary(5), unlabeled(341)],
  'companies->deals': [primary(6), unlabeled(342)],
  'companies->tasks': [unlabeled(191)],
  'tasks->companies': [unlabeled(192)],
  'contacts->tasks': [unlabeled(203)],
  'tasks->contacts': [unlabeled(204)],
  'deals->tasks': [unlabeled(215)],
  'tasks->deals': [unlabeled(216)],
  'companies->notes': [unlabeled(189)],
  'notes->companies': [unlabeled(190)],
  'contacts->notes': [unlabeled(201)],
  'notes->contacts': [unlabeled(202)],
  'deals->notes': [unlabeled(213)],
  'notes->deals': [unlabeled(214)],
};

export function associationTypes(from: CrmObjectType, to: CrmObjectType): readonly AssociationType[] | undefined {
  return associationTypesByDirection[`${from}->${to}`];
}

/** Which object type a HUBSPOT_DEFINED association type id points at, seen from `from`. */
export function associationTarget(from: CrmObjectType, typeId: number): CrmObjectType | undefined {
  return crmObjectTypes.find((to) => associationTypes(from, to)?.some((type) => type.typeId === typeId));
}

// ---- Property definitions (HubSpot's `Property` shape, as served) ----

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  formField: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export const defaultPropertyGroups: Record<CrmObjectType, PropertyGroup> = {
  contacts: { name: 'contactinformation', label: 'Contact information', displayOrder: -1, archived: false },
  companies: { name: 'companyinformation', label: 'Company information', displayOrder: -1, archived: false },
  deals: { name: 'dealinformation', label: 'Deal information', displayOrder: -1, archived: false },
  tasks: { name: 'taskinformation', label: 'Task information', displayOrder: -1, archived: false },
  notes: { name: 'noteinformation', label: 'Note information', displayOrder: -1, archived: false },
};

type PropertySketch = [name: string, label: string, type: PropertyDefinition['type'], fieldType: string, options?: string[]];

const hubspotProperties: Record<CrmObjectType, PropertySketch[]> = {
  contacts: [
    ['firstname', 'First name', 'string', 'text'],
    ['lastname', 'Last name', 'string', 'text'],
    ['email', 'Email', 'string', 'text'],
    ['phone', 'Phone number', 'string', 'phonenumber'],
    ['hs_language', 'Preferred language', 'enumeration', 'select', ['en', 'da', 'nb', 'sv', 'de']],
    ['hs_email_optout', 'Unsubscribed from all email', 'bool', 'booleancheckbox', ['true', 'false']],
  ],
  companies: [
    ['name', 'Company name', 'string', 'text'],
    ['domain', 'Company domain name', 'string', 'text'],
    ['city', 'City', 'string', 'text'],
    ['country', 'Country/Region', 'string', 'text'],
  ],
  deals: [
    ['dealname', 'Deal name', 'string', 'text'],
    ['amount', 'Amount', 'number', 'number'],
    ['deal_currency_code', 'Currency', 'enumeration', 'select', ['DKK', 'NOK', 'EUR', 'USD']],
    ['pipeline', 'Pipeline', 'enumeration', 'select'],
    ['dealstage', 'Deal stage', 'enumeration', 'radio'],
    ['closedate', 'Close date', 'datetime', 'date'],
  ],
  tasks: [
    ['hs_task_subject', 'Task title', 'string', 'text'],
    ['hs_task_body', 'Task notes', 'string', 'html'],
    ['hs_task_status', 'Task status', 'enumeration', 'select', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']],
    ['hs_task_priority', 'Priority', 'enumeration', 'select', ['NONE', 'LOW', 'MEDIUM', 'HIGH']],
    ['hs_task_type', 'Task type', 'enumeration', 'select', ['TODO', 'EMAIL', 'CALL']],
    ['hs_timestamp', 'Due date', 'datetime', 'date'],
  ],
  notes: [
    ['hs_note_body', 'Note body', 'string', 'html'],
    ['hs_timestamp', 'Activity date', 'datetime', 'date'],
    ['hs_attachment_ids', 'Attachment IDs', 'string', 'text'],
  ],
};

/**
 * The sales-activity roll-ups HubSpot keeps on contacts, companies and deals
 * (read-only): "Last contacted" moves when a call, email or meeting is
 * logged, "Last activity date" when any activity is (notes and tasks too).
 */
export const salesActivityProperties = {
  lastContacted: 'notes_last_contacted',
  lastActivity: 'notes_last_updated',
  timesContacted: 'num_contacted_notes',
} as const;

const salesActivitySketches: PropertySketch[] = [
  [salesActivityProperties.lastContacted, 'Last Contacted', 'datetime', 'date'],
  [salesActivityProperties.lastActivity, 'Last Activity Date', 'datetime', 'date'],
  [salesActivityProperties.timesContacted, 'Number of times contacted', 'number', 'number'],
];

const hasSalesActivity = (type: CrmObjectType) => type === 'contacts' || type === 'companies' || type === 'deals';

/** Properties HubSpot computes: readable, never writable. */
const readOnlyProperties = (type: CrmObjectType): PropertySketch[] => [
  ['hs_object_id', 'Record ID', 'number', 'number'],
  [timestampProperties[type].created, 'Create date', 'datetime', 'date'],
  [timestampProperties[type].modified, 'Last modified date', 'datetime', 'date'],
  ...(hasSalesActivity(type) ? salesActivitySketches : []),
];

export function propertyDefinition(
  sketch: PropertySketch,
  groupName: string,
  at: string,
  extra: Partial<PropertyDefinition> = {},
): PropertyDefinition {
  const [name, label, type, fieldType, options = []] = sketch;
  return {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options: options.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: true,
    formField: false,
    createdAt: at,
    updatedAt: at,
    archived: false,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: false },
    ...extra,
  };
}

export function standardProperties(type: CrmObjectType, at: string): PropertyDefinition[] {
  const group = defaultPropertyGroups[type].name;
  const readOnly = { calculated: true, modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: true } };
  return [
    ...hubspotProperties[type].map((sketch) => propertyDefinition(sketch, group, at)),
    ...readOnlyProperties(type).map((sketch) => propertyDefinition(sketch, group, at, readOnly)),
    propertyDefinition(['hubspot_owner_id', 'Owner', 'enumeration', 'select'], group, at, { externalOptions: true }),
  ];
}

/** HubSpot keeps one entered/exited date property per deal stage. */
export function stageDateProperties(stageIds: readonly string[], at: string): PropertyDefinition[] {
  const readOnly = { calculated: true, modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: true } };
  return stageIds.flatMap((stageId) => [
    propertyDefinition([`hs_date_entered_${stageId}`, `Date entered "${stageId}"`, 'datetime', 'date'], 'dealinformation', at, readOnly),
    propertyDefinition([`hs_date_exited_${stageId}`, `Date exited "${stageId}"`, 'datetime', 'date'], 'dealinformation', at, readOnly),
  ]);
}

// ---- What a portal starts from ----

export interface OwnerSeed {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
}

export interface StageSeed {
  id: string;
  label: string;
  /** 0..1, as HubSpot's stage metadata `probability`. */
  probability: number;
  isClosed: boolean;
}

export interface PipelineSeed {
  id: string;
  label: string;
  stages: readonly StageSeed[];
}

export interface RecordSeed {
  id: string;
  properties: Readonly<Record<string, string>>;
  /** Ids of records this one is associated with (links are two-way). */
  associations?: Partial<Record<CrmObjectType, readonly string[]>>;
  /**
   * A deal's stages before the seed, oldest first, as HubSpot's history of `dealstage` keeps
   * them: the deal was created in the first, the last is its `dealstage`.
   */
  stageHistory?: readonly { stageId: string; daysBeforeSeed: number }[];
}

export interface PortalSeed {
  portalId: number;
  hubDomain?: string;
  /** A long-lived token that always authenticates as this portal; local tools only. */
  staticAccessToken?: string;
  owners: readonly OwnerSeed[];
  dealPipelines: readonly PipelineSeed[];
  contacts?: readonly RecordSeed[];
  companies?: readonly RecordSeed[];
  deals?: readonly RecordSeed[];
}

/** The scopes every sandbox install grants (nothing checks them; they are reported). */
export const grantedScopes = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.write',
  'crm.schemas.deals.write',
];

// ---- The webhooks journal (2026-03): app lifecycle events ----

/**
 * HubSpot's event type ids for app lifecycle subscriptions, and the action a
 * journal event of each carries. "4-1909196: App install event / 4-1916193:
 * App uninstall event" (AppLifecycleEventSubscriptionUpsertRequest.eventTypeId in
 * HubSpot's 2026-03 webhooks spec, https://github.com/HubSpot/HubSpot-public-api-spec-collection,
 * PublicApiSpecs/Webhooks/Webhooks/Rollouts/147891/2026-03/webhooks.json).
 */
export const appLifecycleEventTypes = {
  '4-1909196': 'APP_INSTALL',
  '4-1916193': 'APP_UNINSTALL',
} as const;
export type AppLifecycleEventTypeId = keyof typeof appLifecycleEventTypes;
export type AppLifecycleAction = (typeof appLifecycleEventTypes)[AppLifecycleEventTypeId];
export const appInstallEventTypeId: AppLifecycleEventTypeId = '4-1909196';
export const appUninstallEventTypeId: AppLifecycleEventTypeId = '4-1916193';

/**
 * The scopes of a client-credentials token for the journal, one per kind of
 * call ("developer.webhooks_journal.read: access journal data", …;
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide).
 * A token requested without `scope` gets all of them (not confirmed by HubSpot).
 */
export const webhooksJournalScopes = {
  read: 'developer.webhooks_journal.read',
  subscriptionsRead: 'developer.webhooks_journal.subscriptions.read',
  subscriptionsWrite: 'developer.webhooks_journal.subscriptions.write',
  snapshotsRead: 'developer.webhooks_journal.snapshots.read',
  snapshotsWrite: 'developer.webhooks_journal.snapshots.write',
} as const;
