/**
 * Activities: engagements (tasks and notes, records placed on the timeline)
 * and sales activity logged on a deal, with the roll-ups HubSpot keeps on the
 * deal and its contacts.
 */
import { escapeHtml } from '../../../lambdas/domain/html-text.js';
import { type CrmObjectType, engagementTypes, salesActivityProperties } from '../model.js';
import type { ChangeSource } from './events.js';
import type { PersistentState } from './persistence.js';
import { invalidProperties } from './properties.js';
import type { CrmRecord, RecordStore } from './records.js';
import { type StoreOptions, iso } from './state.js';

/** The kinds of sales activity that count as contacting someone ("Last contacted"). */
export const salesActivityTypes = ['CALL', 'EMAIL', 'MEETING'] as const;
export type SalesActivityType = (typeof salesActivityTypes)[number];

/** What logging a sales activity on a deal did. */
export interface SalesActivityLog {
  portalId: number;
  dealId: string;
  dealName: string | undefined;
  type: SalesActivityType;
  /** When the activity happened (its `hs_timestamp`). */
  activityAt: string;
  /** The deal's contacts, which got the same roll-ups. */
  contactIds: string[];
  /** The deal's "Last contacted" afterwards; an activity older than the current value leaves it. */
  lastContacted: string;
  timesContacted: number;
  loggedAt: string;
}

/** Engagements are placed on the timeline by hs_timestamp; HubSpot refuses a task or note without one. */
export function checkEngagementTimestamp(type: CrmObjectType, properties: Record<string, string>): void {
  if (engagementTypes.includes(type) && !properties.hs_timestamp) {
    throw invalidProperties([{ name: 'hs_timestamp', error: 'REQUIRED_FIELD', message: 'hs_timestamp is required' }]);
  }
}

export class ActivityStore {
  constructor(private readonly db: PersistentState, private readonly records: RecordStore, private readonly options: StoreOptions) {}

  /**
   * The task's owner writing in the task's notes in HubSpot's UI: `hs_task_body` is "the task
   * notes" (https://developers.hubspot.com/docs/api/crm/tasks), a rich-text field, so the words
   * come as a paragraph after what is there. HubSpot attributes the change to the user who made
   * it, `sourceId` "userId:{id}"
   * (https://developers.hubspot.com/changelog/crm-property-change-source-will-show-owner-id-instead-of-owner-email).
   */
  writeTaskNotes(portalId: number, taskId: string, text: string): CrmRecord {
    const portal = this.db.portal(portalId);
    const task = this.records.get(portal, 'tasks', taskId);
    const owner = portal.owners.find((candidate) => candidate.id === task.properties.hubspot_owner_id) ?? portal.owners[0];
    const notes = `${task.properties.hs_task_body ?? ''}<p>${escapeHtml(text)}</p>`;
    return this.records.update(portal, 'tasks', taskId, { hs_task_body: notes }, { sourceType: 'CRM_UI', sourceId: `userId:${owner?.userId ?? 0}` });
  }

  /**
   * A salesperson logging a call, email or meeting on the deal in HubSpot's
   * UI: the deal and its contacts get HubSpot's roll-ups. "Last contacted"
   * and "Last activity date" move to the activity's time unless they are
   * already later; "Number of times contacted" counts up.
   */
  logSalesActivity(portalId: number, dealId: string, type: SalesActivityType, at?: number): SalesActivityLog {
    const portal = this.db.portal(portalId);
    const deal = this.records.get(portal, 'deals', dealId);
    const now = this.options.now();
    const activityAt = at ?? now;
    const owner = portal.owners.find((candidate) => candidate.id === deal.properties.hubspot_owner_id) ?? portal.owners[0];
    const source: ChangeSource = { sourceType: 'CRM_UI', sourceId: `userId:${owner?.userId ?? 0}` };
    const contactIds = this.records.associatedIds(portal, { type: 'deals', id: dealId }, 'contacts');
    const targets = [
      { type: 'deals' as const, record: deal },
      ...contactIds.flatMap((id) => {
        const record = this.records.find(portal, 'contacts', id);
        return record ? [{ type: 'contacts' as const, record }] : [];
      }),
    ];
    const latest = (current: string | undefined) => {
      const currentMs = current === undefined ? Number.NaN : Date.parse(current);
      return Number.isNaN(currentMs) || activityAt > currentMs ? iso(activityAt) : current ?? iso(activityAt);
    };
    const events = targets.flatMap(({ type: recordType, record }) => {
      const { lastContacted, lastActivity, timesContacted } = salesActivityProperties;
      const values: Array<[string, string]> = [
        [lastContacted, latest(record.properties[lastContacted])],
        [lastActivity, latest(record.properties[lastActivity])],
        [timesContacted, String((Number(record.properties[timesContacted] ?? 0) || 0) + 1)],
      ];
      const changes = values.filter(([name, value]) => record.properties[name] !== value);
      return this.records.applyChanges(portal, recordType, record, changes, now, source) ?? [];
    });
    this.db.save();
    for (const event of events) this.options.listener.propertiesChanged(event);
    return {
      portalId,
      dealId,
      dealName: deal.properties.dealname,
      type,
      activityAt: iso(activityAt),
      contactIds,
      lastContacted: deal.properties[salesActivityProperties.lastContacted] ?? iso(activityAt),
      timesContacted: Number(deal.properties[salesActivityProperties.timesContacted] ?? 0),
      loggedAt: iso(now),
    };
  }
}
