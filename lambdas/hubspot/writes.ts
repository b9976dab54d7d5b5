import { AssociationTypes, type Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { RecordProperties } from '../domain/write-back.js';
import { chunks } from '../domain/chunks.js';
import { hasHttpStatus, isRetryableCreate, withBackoff, type BackoffOptions } from './backoff.js';
import { count } from '../metrics.js';
import { htmlFromText } from '../domain/html-text.js';

/**
 * Every write the app makes to HubSpot, in one place: batched where HubSpot
 * has a batch endpoint, with backoff on 429 and 5xx. Side effects that must
 * happen once (tasks) are guarded by the caller's claim in the store.
 */

export const touchpointsPropertyGroup = 'touchpoints';
type CrmPlural = 'contacts' | 'companies' | 'deals';
const crmObjects: readonly CrmPlural[] = ['contacts', 'companies', 'deals'];

/** The properties marketing builds lists, workflows and reports on, on contacts, companies and deals alike. */
export const touchpointsProperties = [
  {
    name: 'touchpoints_overall_light',
    label: 'Touchpoints: overall light',
    type: PropertyCreateTypeEnum.Enumeration,
    fieldType: PropertyCreateFieldTypeEnum.Select,
    options: ['red', 'yellow', 'green'].map((value, displayOrder) => ({ label: value[0]!.toUpperCase() + value.slice(1), value, displayOrder, hidden: false })),
  },
  { name: 'touchpoints_last_score', label: 'Touchpoints: last score', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number },
  { name: 'touchpoints_last_touchpoint', label: 'Touchpoints: last touchpoint answered', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text },
  { name: 'touchpoints_answers', label: 'Touchpoints: answers', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number },
  { name: 'touchpoints_missed_follow_ups', label: 'Touchpoints: missed follow-ups', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number },
] as const;

/** Creates the "Touchpoints" group and properties where missing; run at install and at local start-up. */
export async function ensureTouchpointsProperties(client: Client, backoff?: BackoffOptions): Promise<void> {
  for (const objectType of crmObjects) {
    await withBackoff(() => client.crm.properties.groupsApi.create(objectType, { name: touchpointsPropertyGroup, label: 'Touchpoints', displayOrder: -1 }), backoff).catch((error: unknown) => {
      if (!hasHttpStatus(error, 409)) throw error;
    });
    for (const property of touchpointsProperties) {
      await withBackoff(() => client.crm.properties.coreApi.create(objectType, { ...property, options: 'options' in property ? [...property.options] : [], groupName: touchpointsPropertyGroup }), backoff).catch(
        (error: unknown) => {
          if (!hasHttpStatus(error, 409)) throw error;
        },
      );
    }
  }
}

/** Writes the summaries of many records of one type in one batch call per hundred. */
export async function writeRecordProperties(client: Client, objectType: CrmPlural, records: readonly { id: string; properties: RecordProperties }[], backoff?: BackoffOptions): Promise<void> {
  for (let start = 0; start < records.length; start += 100) {
    const inputs = records.slice(start, start + 100).map(({ id, properties }) => ({ id, properties: Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, value === null ? '' : String(value)])) }));
    await withBackoff(() => client.crm[objectType].batchApi.update({ inputs }), backoff);
  }
}

/**
 * An answer on the contact's (and the deal's) timeline. Timeline events on
 * platform 2025.2 exist only as app events, which need HubSpot's approval of a
 * marketplace app, so the app writes a note: it shows on the same timeline.
 */
export interface TimelineNote {
  body: string;
  at: Date;
  contactId: string;
  dealId: string;
  /** Names the side effect that makes the note, so a rerun can find it (`findDealActivity`). */
  reference: string;
}

export async function createTimelineNote(client: Client, note: TimelineNote, backoff?: BackoffOptions): Promise<string> {
  const associate = (id: string, associationTypeId: number) => ({ to: { id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId }] });
  const created = await withBackoff(
    () =>
      client.crm.objects.notes.basicApi.create({
        properties: { hs_note_body: htmlFromText(`${note.body}${referenceLine(note.reference)}`), hs_timestamp: note.at.toISOString() },
        associations: [associate(note.contactId, AssociationTypes.noteToContact), associate(note.dealId, AssociationTypes.noteToDeal)],
      }),
    backoff,
    isRetryableCreate,
  );
  return created.id;
}

/** Removes the app from the portal (HubSpot's app uninstalls API); every token for the portal stops working. */
export async function uninstallApp(client: Client, backoff?: BackoffOptions): Promise<void> {
  const response = await withBackoff(() => client.apiRequest({ method: 'DELETE', path: '/appinstalls/v3/external-install' }), backoff);
  if (!response.ok) throw Object.assign(new Error(`HubSpot refused the uninstall: ${response.status}`), { code: response.status });
}

export interface OwnerTask {
  ownerId: string | undefined;
  subject: string;
  body: string;
  dueAt: Date;
  dealId: string;
  contactIds: readonly string[];
  /** Names the side effect that makes the task, so a rerun can find it (`findDealActivity`). */
  reference: string;
}

/** A HubSpot task for the deal owner, on the deal and its contacts; resolves to the task id. */
export async function createOwnerTask(client: Client, task: OwnerTask, backoff?: BackoffOptions): Promise<string> {
  const associate = (id: string, associationTypeId: number) => ({ to: { id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId }] });
  const created = await withBackoff(
    () =>
      client.crm.objects.tasks.basicApi.create({
        properties: {
          hs_task_subject: task.subject,
          hs_task_body: htmlFromText(`${task.body}${referenceLine(task.reference)}`),
          hs_timestamp: task.dueAt.toISOString(),
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: 'HIGH',
          ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
        },
        associations: [associate(task.dealId, AssociationTypes.taskToDeal), ...task.contactIds.map((id) => associate(id, AssociationTypes.taskToContact))],
      }),
    backoff,
    isRetryableCreate,
  );
  count('OwnerTasksMade');
  return created.id;
}

/** A task or note the owner deleted in HubSpot (404) is nothing to revise: false; any other failure stands. */
function falseIfGone(error: unknown): Promise<false> {
  return hasHttpStatus(error, 404) ? Promise.resolve(false) : Promise.reject(error);
}

/**
 * What a revision does to the task's status: `complete` it (the answer turned green and the
 * portal says so), `reopen` a completed one (the answer needs a call again), or `keep` it.
 */
export type TaskStatusChange = 'complete' | 'reopen' | 'keep';
export type TaskRevision = Pick<OwnerTask, 'subject' | 'body' | 'reference'> & { status: TaskStatusChange };

/**
 * Rewrites a task the app made for an answer that changed: subject, body, and status. False
 * when the owner deleted the task meanwhile: nothing to revise.
 */
export async function reviseOwnerTask(client: Client, taskId: string, task: TaskRevision, backoff?: BackoffOptions): Promise<boolean> {
  // Reopened only when done: an owner's own "in progress" stays.
  const reopen = task.status === 'reopen' && (await withBackoff(() => client.crm.objects.tasks.basicApi.getById(taskId, ['hs_task_status']), backoff).then((found) => found.properties.hs_task_status === 'COMPLETED', falseIfGone));
  const properties = {
    hs_task_subject: task.subject,
    hs_task_body: htmlFromText(`${task.body}${referenceLine(task.reference)}`),
    ...(task.status === 'complete' ? { hs_task_status: 'COMPLETED' } : {}),
    ...(reopen ? { hs_task_status: 'NOT_STARTED' } : {}),
  };
  return withBackoff(() => client.crm.objects.tasks.basicApi.update(taskId, { properties }), backoff).then(() => true, falseIfGone);
}

/** Rewrites the note of an answer that changed; false when it was deleted meanwhile. */
export async function reviseTimelineNote(client: Client, noteId: string, note: Pick<TimelineNote, 'body' | 'reference'>, backoff?: BackoffOptions): Promise<boolean> {
  return withBackoff(() => client.crm.objects.notes.basicApi.update(noteId, { properties: { hs_note_body: htmlFromText(`${note.body}${referenceLine(note.reference)}`) } }), backoff).then(
    () => true,
    falseIfGone,
  );
}

/** Closes a task's or note's body: ties it to the side effect that made it (its characters need no escaping). */
const referenceLine = (reference: string) => `\n\nTouchpoints ref: ${reference}`;
const bodyProperty = { tasks: 'hs_task_body', notes: 'hs_note_body' } as const;

/**
 * The deal's task or note made for `reference`, if HubSpot has one: a run
 * taking over a dead run's claim looks here first, since HubSpot has no
 * idempotency key to stop a second one.
 */
export async function findDealActivity(client: Client, kind: 'tasks' | 'notes', dealId: string, reference: string, backoff?: BackoffOptions): Promise<string | undefined> {
  const property = bodyProperty[kind];
  // The reference as a whole word at the body's end: HubSpot may store the line breaks as markup.
  const made = new RegExp(`Touchpoints ref: ${reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|<[^>]*>)*$`);
  let after: string | undefined;
  do {
    const page = await withBackoff(() => client.crm.associations.v4.basicApi.getPage('deals', dealId, kind, after, 500), backoff);
    for (const ids of chunks(page.results.map(({ toObjectId }) => String(toObjectId)), 100)) {
      const { results } = await withBackoff(() => client.crm.objects[kind].batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [property], propertiesWithHistory: [] }), backoff);
      const found = results.find(({ properties }) => made.test(properties[property] ?? ''));
      if (found) return found.id;
    }
    after = page.paging?.next?.after;
  } while (after);
  return undefined;
}
