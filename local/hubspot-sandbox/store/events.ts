/** The changes the store reports once they are saved, and where each came from. */
import type { CrmObjectType } from '../model.js';

/** Where a change came from, as HubSpot reports it (`changeSource`/`sourceType` and `sourceId`). */
export interface ChangeSource {
  sourceType: 'CRM_UI' | 'INTEGRATION' | 'IMPORT';
  sourceId: string;
}

/** Properties of one record that took new values in one write (calculated ones included). */
export interface PropertiesChanged {
  portalId: number;
  objectType: CrmObjectType;
  objectId: string;
  changes: Array<{ name: string; value: string }>;
  occurredAt: number;
  source: ChangeSource;
}

export interface RecordArchived {
  portalId: number;
  objectType: CrmObjectType;
  objectId: string;
  occurredAt: number;
  source: ChangeSource;
}

export interface ContactPurged {
  portalId: number;
  contactId: string;
  occurredAt: number;
  source: ChangeSource;
}

/** What the store tells the rest of the sandbox after a change is saved (webhooks listen). */
export interface StoreListener {
  propertiesChanged(change: PropertiesChanged): void;
  recordArchived(event: RecordArchived): void;
  contactPurged(event: ContactPurged): void;
}
