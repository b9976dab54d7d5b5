import type { Client } from '@hubspot/api-client';
import { defaultLightThresholds } from '@touchpoints/contracts';
import { recordProperties } from '../domain/write-back.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { writeRecordProperties } from '../hubspot/writes.js';
import type { RecordRef } from '../store/keys.js';
import type { TouchpointsStore } from '../store/store.js';

export interface RecordPropertiesPorts {
  store: Pick<TouchpointsStore, 'getSettings' | 'listTouchpoints' | 'recordActivity'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  backoff?: BackoffOptions;
}

const plural = { deal: 'deals', contact: 'contacts', company: 'companies' } as const;

/** The records' "Touchpoints" properties in HubSpot, kept current after each answer, miss or late keep. */
export class RecordProperties {
  constructor(private readonly ports: RecordPropertiesPorts) {}

  /** Recomputes the records' "Touchpoints" properties from their own items and writes them to HubSpot, a batch per object type. */
  async refresh(portalId: number, records: readonly RecordRef[]): Promise<void> {
    const { store } = this.ports;
    const [settings, touchpoints] = await Promise.all([store.getSettings(portalId), store.listTouchpoints(portalId)]);
    const names = new Map(touchpoints.map(({ value }) => [value.id, value.name]));
    const summaries = await Promise.all(
      records.map(async (record) => {
        const activity = await store.recordActivity(portalId, record);
        return { record, properties: recordProperties(activity.responses, activity.followUps, settings?.value.lightThresholds ?? defaultLightThresholds, (id) => names.get(id) ?? id) };
      }),
    );
    const client = await this.ports.hubspot.forPortal(portalId);
    for (const [objectType, ofType] of Map.groupBy(summaries, ({ record }) => record.objectType)) {
      if (objectType === 'touchpoint') continue; // not a HubSpot record
      await writeRecordProperties(client, plural[objectType], ofType.map(({ record, properties }) => ({ id: record.objectId, properties })), this.ports.backoff);
    }
  }
}
