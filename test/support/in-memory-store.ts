/**
 * Small in-memory fakes of the store ports the use cases in lambdas/journeys/ declare, for the
 * use-case tests in test/unit/use-cases: plain objects typed by the port, no table behind them.
 * Each keeps a log of the calls it answered, so a test can tell what a use case read and wrote.
 */
import { PortalSettings, type PortalSettingsInput, TouchpointDefinition, type TouchpointDefinitionInput } from '@touchpoints/contracts';
import { claimLeaseMs, type Invitation } from '../../lambdas/domain/journey.js';
import type { SurveyResponse } from '../../lambdas/domain/response.js';
import type { SenderDomainCheck } from '../../lambdas/domain/sender-domain.js';
import type { OncePorts } from '../../lambdas/journeys/once.js';
import type { RecordRef } from '../../lambdas/store/keys.js';
import type { OnceClaim, RecordActivity, TouchpointsStore, Versioned } from '../../lambdas/store/store.js';

export function versioned<Value>(value: Value, version = 1): Versioned<Value> {
  return { value, version, changedAt: new Date('2026-01-01T00:00:00.000Z'), changedBy: 'admin@example.com' };
}

/** An answer on deal 301 (the tests' deal). */
export function answerOnDeal(touchpointId: string, contactId: string, score: number, answeredAt: string, comment?: string): SurveyResponse {
  return { dealId: '301', touchpointId, contactId, score, ...(comment ? { comment } : {}), firstAnsweredAt: new Date(answeredAt), answeredAt: new Date(answeredAt) };
}

/** An invitation on deal 301, made on 2026-11-20. */
export function invitationOnDeal(touchpointId: string, contactId: string, status: Invitation['status'], sendAt?: string): Invitation {
  return { dealId: '301', touchpointId, contactId, status, language: 'en', createdAt: new Date('2026-11-20T10:00:00.000Z'), ...(sendAt ? { sendAt: new Date(sendAt) } : {}) };
}

/** A touchpoint of the 'car-sales' pipeline, valid by the contract's schema. */
export function touchpointOf(id: string, change: Partial<TouchpointDefinitionInput> = {}): TouchpointDefinition {
  return TouchpointDefinition.parse({
    id,
    name: `The ${id}`,
    phase: 'purchase',
    trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: `${id}-stage` },
    question: { en: `How was the ${id}?` },
    sendDelay: { amount: 1, unit: 'hours' },
    ...change,
  });
}

export function settingsOf(change: Partial<PortalSettingsInput> = {}): PortalSettings {
  return PortalSettings.parse({ sender: { name: 'Nordic Cars', email: 'surveys@nordic-cars.example' }, ...change });
}

export const recordKey = (record: RecordRef) => `${record.objectType}#${record.objectId}${record.objectType === 'touchpoint' ? `#${record.period}` : ''}`;

/** What the card, the report and the record properties read: the portal's touchpoints, settings and sender domain check, a record's activity. */
export type PortalReads = Pick<TouchpointsStore, 'getSenderDomain' | 'getSettings' | 'listTouchpoints' | 'recordActivity'>;

export interface InMemoryPortal {
  store: PortalReads;
  touchpoints: Map<number, TouchpointDefinition[]>;
  settings: Map<number, PortalSettings>;
  senderDomains: Map<number, SenderDomainCheck>;
  /** By portal, then by `objectType#objectId`. */
  activity: Map<number, Map<string, Partial<RecordActivity>>>;
  /** `listTouchpoints 1`, `getSettings 1`, `recordActivity 1 deal#301`, … in the order asked. */
  calls: string[];
  /** Makes the next reads of touchpoints fail (a throttled table). */
  failTouchpointReads: number;
}

export function inMemoryPortal(): InMemoryPortal {
  const portal: InMemoryPortal = {
    touchpoints: new Map(),
    settings: new Map(),
    senderDomains: new Map(),
    activity: new Map(),
    calls: [],
    failTouchpointReads: 0,
    store: {
      async getSettings(portalId) {
        portal.calls.push(`getSettings ${portalId}`);
        const settings = portal.settings.get(portalId);
        return settings && versioned(settings);
      },
      async getSenderDomain(portalId) {
        portal.calls.push(`getSenderDomain ${portalId}`);
        return portal.senderDomains.get(portalId);
      },
      async listTouchpoints(portalId) {
        portal.calls.push(`listTouchpoints ${portalId}`);
        if (portal.failTouchpointReads > 0) {
          portal.failTouchpointReads -= 1;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return (portal.touchpoints.get(portalId) ?? []).map((touchpoint) => versioned(touchpoint));
      },
      async recordActivity(portalId, record) {
        portal.calls.push(`recordActivity ${portalId} ${recordKey(record)}`);
        const stored = portal.activity.get(portalId)?.get(recordKey(record));
        return { responses: [...(stored?.responses ?? [])], invitations: [...(stored?.invitations ?? [])], followUps: [...(stored?.followUps ?? [])] };
      },
    },
  };
  return portal;
}

/** Puts a record's activity into the fake portal. */
export function withActivity(portal: InMemoryPortal, portalId: number, record: RecordRef, activity: Partial<RecordActivity>): void {
  const records = portal.activity.get(portalId) ?? new Map<string, Partial<RecordActivity>>();
  records.set(recordKey(record), activity);
  portal.activity.set(portalId, records);
}

interface LedgerEntry {
  claimedAt: Date;
  result?: string;
}

/**
 * The once-claims of side effects, as the table keeps them (lambdas/store/effects-ledger.ts):
 * a claim younger than the lease is in flight, an older unremembered one is taken over.
 */
type OnceStore = OncePorts['store'];

export class InMemoryLedger implements OnceStore {
  readonly entries = new Map<string, LedgerEntry>();
  readonly calls: string[] = [];
  /** Makes the next rememberOnce fail (the table throttled after the effect happened). */
  failRemember = false;

  constructor(private readonly now: () => Date) {}

  async claimOnce(portalId: number, key: string, now: Date): Promise<OnceClaim> {
    this.calls.push(`claimOnce ${key}`);
    const id = `${portalId}/${key}`;
    const entry = this.entries.get(id);
    if (entry?.result !== undefined) return 'done';
    if (entry && now.getTime() - entry.claimedAt.getTime() < claimLeaseMs) return 'in_flight';
    this.entries.set(id, { claimedAt: now });
    return entry ? 'taken_over' : 'claimed';
  }

  async lapseOnce(portalId: number, key: string) {
    this.calls.push(`lapseOnce ${key}`);
    const entry = this.entries.get(`${portalId}/${key}`);
    if (entry && entry.result === undefined) entry.claimedAt = new Date(0);
  }

  async releaseOnce(portalId: number, key: string) {
    this.calls.push(`releaseOnce ${key}`);
    this.entries.delete(`${portalId}/${key}`);
  }

  async rememberOnce(portalId: number, key: string, result: string) {
    this.calls.push(`rememberOnce ${key} ${result}`);
    if (this.failRemember) {
      this.failRemember = false;
      throw new Error('ProvisionedThroughputExceededException');
    }
    this.entries.set(`${portalId}/${key}`, { claimedAt: this.now(), result });
  }

  async onceState(portalId: number, key: string) {
    const entry = this.entries.get(`${portalId}/${key}`);
    return entry && (entry.result === undefined ? {} : { result: entry.result });
  }

  entry(portalId: number, key: string): LedgerEntry | undefined {
    return this.entries.get(`${portalId}/${key}`);
  }
}
