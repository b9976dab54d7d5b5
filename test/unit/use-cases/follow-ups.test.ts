import { beforeEach, describe, expect, it } from 'vitest';
import { AssociationTypes, type Client } from '@hubspot/api-client';
import { dayMs, type TouchpointDefinition } from '@touchpoints/contracts';
import { followUpTimerId, type FollowUp } from '../../../lambdas/domain/follow-up.js';
import type { Timer } from '../../../lambdas/domain/journey.js';
import { periodOf } from '../../../lambdas/domain/period-summary.js';
import { type FollowUpPorts, FollowUps } from '../../../lambdas/journeys/follow-ups.js';
import { OnceEffects } from '../../../lambdas/journeys/once.js';
import { RecordProperties } from '../../../lambdas/journeys/record-properties.js';
import type { RecordRef } from '../../../lambdas/store/keys.js';
import { InMemoryLedger, type InMemoryPortal, inMemoryPortal, recordKey, settingsOf, touchpointOf, versioned, withActivity } from '../../support/in-memory-store.js';

const portalId = 24681357;
const start = new Date('2026-11-25T10:00:00.000Z');
const noWaiting = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => {} };
const deal = { dealId: '301', ownerId: '9001', contactIds: ['101', '102'], companyId: '205' };
const stageLabel = (stageId: string) => ({ 'offer-sent': 'Offer sent' })[stageId] ?? stageId;

const meeting = touchpointOf('meeting', { name: 'Sales meeting', followUp: { expect: 'stage', stageId: 'offer-sent', within: { amount: 2, unit: 'days' } } });
const delivery = touchpointOf('delivery', { name: 'Delivery', followUp: { expect: 'engagement', within: { amount: 1, unit: 'days' } } });
const offer = touchpointOf('offer', { name: 'Offer' });

/**
 * The follow-ups' side of the store. Like the table, a saved follow-up is copied to the
 * partitions of its deal, contacts, company and touchpoint, which `portal` (the record
 * properties' reads) answers from.
 */
function followUpStore(portal: InMemoryPortal) {
  const state = {
    followUps: new Map<string, FollowUp>(),
    touchpoints: new Map<string, TouchpointDefinition>(),
    timers: new Map<string, Timer>(),
    cleared: [] as string[],
    saved: [] as FollowUp[],
  };
  const copyTo = (followUp: FollowUp, record: RecordRef) => {
    const activity = portal.activity.get(portalId)?.get(recordKey(record));
    const others = (activity?.followUps ?? []).filter(({ dealId, touchpointId }) => dealId !== followUp.dealId || touchpointId !== followUp.touchpointId);
    withActivity(portal, portalId, record, { ...activity, followUps: [...others, followUp] });
  };
  const store: FollowUpPorts['store'] = {
    async getFollowUp(portalId, dealId, touchpointId) {
      return state.followUps.get(`${portalId}/${dealId}/${touchpointId}`);
    },
    async dealFollowUps(portalId, dealId) {
      return [...state.followUps.entries()].filter(([key]) => key.startsWith(`${portalId}/${dealId}/`)).map(([, followUp]) => followUp);
    },
    async saveFollowUp(portalId, followUp) {
      state.saved.push(followUp);
      state.followUps.set(`${portalId}/${followUp.dealId}/${followUp.touchpointId}`, followUp);
      for (const record of [
        { objectType: 'deal', objectId: followUp.dealId },
        ...followUp.contactIds.map((objectId) => ({ objectType: 'contact', objectId })),
        ...(followUp.companyId ? [{ objectType: 'company', objectId: followUp.companyId }] : []),
        { objectType: 'touchpoint', objectId: followUp.touchpointId, period: periodOf(followUp.startedAt) },
      ] as RecordRef[]) {
        copyTo(followUp, record);
      }
    },
    async getTouchpoint(portalId, touchpointId) {
      const touchpoint = state.touchpoints.get(`${portalId}/${touchpointId}`);
      return touchpoint && versioned(touchpoint);
    },
    async setTimer(portalId, timer) {
      state.timers.set(`${portalId}/${timer.id}`, timer);
    },
    async clearTimer(portalId, timerId) {
      state.cleared.push(timerId);
      state.timers.delete(`${portalId}/${timerId}`);
    },
  };
  return { state, store };
}

interface FakeTask {
  id: string;
  properties: Record<string, string>;
  dealIds: string[];
}

/** The few HubSpot calls the follow-ups make: the deal's last contact, an owner, tasks, batch property updates. */
function fakeHubSpot() {
  const state = {
    lastContacted: undefined as string | undefined,
    owners: new Map([['9001', { firstName: 'Ole', lastName: 'Hansen', email: 'ole@nordic-cars.example' }]]),
    tasks: [] as FakeTask[],
    updates: [] as { objectType: string; inputs: { id: string; properties: Record<string, string> }[] }[],
    clients: 0,
  };
  const batchUpdate = (objectType: string) => ({
    async update({ inputs }: { inputs: { id: string; properties: Record<string, string> }[] }) {
      state.updates.push({ objectType, inputs });
      return { results: [] };
    },
  });
  const client = {
    crm: {
      deals: {
        basicApi: { async getById(dealId: string) { return { id: dealId, properties: { notes_last_contacted: state.lastContacted } }; } },
        batchApi: batchUpdate('deals'),
      },
      contacts: { batchApi: batchUpdate('contacts') },
      companies: { batchApi: batchUpdate('companies') },
      owners: {
        ownersApi: {
          async getById(ownerId: number) {
            const owner = state.owners.get(String(ownerId));
            if (!owner) throw Object.assign(new Error('owner not found'), { code: 404 });
            return { id: String(ownerId), ...owner };
          },
        },
      },
      objects: {
        tasks: {
          basicApi: {
            async create({ properties, associations }: { properties: Record<string, string>; associations: { to: { id: string }; types: { associationTypeId: number }[] }[] }) {
              const task = { id: String(7_000_001 + state.tasks.length), properties, dealIds: associations.filter(({ types }) => types[0]?.associationTypeId === AssociationTypes.taskToDeal).map(({ to }) => to.id) };
              state.tasks.push(task);
              return { id: task.id };
            },
          },
          batchApi: {
            async read({ inputs }: { inputs: { id: string }[] }) {
              return { results: state.tasks.filter(({ id }) => inputs.some((input) => input.id === id)).map(({ id, properties }) => ({ id, properties })) };
            },
          },
        },
      },
      associations: {
        v4: {
          basicApi: {
            async getPage(_from: string, dealId: string) {
              return { results: state.tasks.filter(({ dealIds }) => dealIds.includes(dealId)).map(({ id }) => ({ toObjectId: Number(id) })) };
            },
          },
        },
      },
    },
  };
  const hubspot: FollowUpPorts['hubspot'] = {
    async forPortal() {
      state.clients += 1;
      return client as unknown as Client;
    },
  };
  return { state, hubspot };
}

let clock: Date;
let portal: InMemoryPortal;
let store: ReturnType<typeof followUpStore>['state'];
let hubspot: ReturnType<typeof fakeHubSpot>['state'];
let ledger: InMemoryLedger;
let followUps: FollowUps;

beforeEach(() => {
  clock = start;
  portal = inMemoryPortal();
  portal.touchpoints.set(portalId, [meeting, delivery, offer]);
  portal.settings.set(portalId, settingsOf());
  const fakeStore = followUpStore(portal);
  store = fakeStore.state;
  for (const touchpoint of [meeting, delivery, offer]) store.touchpoints.set(`${portalId}/${touchpoint.id}`, touchpoint);
  const fakeClient = fakeHubSpot();
  hubspot = fakeClient.state;
  ledger = new InMemoryLedger(() => clock);
  const now = () => clock;
  followUps = new FollowUps(
    { store: fakeStore.store, hubspot: fakeClient.hubspot, now, backoff: noWaiting },
    new OnceEffects({ store: ledger, now }),
    new RecordProperties({ store: portal.store, hubspot: fakeClient.hubspot, backoff: noWaiting }),
  );
});

const stored = (dealId: string, touchpointId: string) => store.followUps.get(`${portalId}/${dealId}/${touchpointId}`);
const missedOnRecords = () =>
  Object.fromEntries(hubspot.updates.flatMap(({ objectType, inputs }) => inputs.map(({ id, properties }) => [`${objectType}/${id}`, properties.touchpoints_missed_follow_ups])));

describe('FollowUps.startFollowUps', () => {
  it('stores a pending promise with a deadline timer for each touchpoint that makes one', async () => {
    await followUps.startFollowUps(portalId, deal, [meeting, offer, delivery], start, stageLabel);
    expect(stored('301', 'meeting')).toEqual({
      touchpointId: 'meeting',
      dealId: '301',
      expectation: { expect: 'stage', stageId: 'offer-sent' },
      promise: 'Deal reaches Offer sent within 2 days',
      startedAt: start,
      dueAt: new Date(start.getTime() + 2 * dayMs),
      status: 'pending',
      ownerId: '9001',
      contactIds: ['101', '102'],
      companyId: '205',
    });
    expect(stored('301', 'delivery')).toMatchObject({ promise: 'A sales activity is logged within 1 day', dueAt: new Date(start.getTime() + dayMs) });
    expect(stored('301', 'offer')).toBeUndefined();
    expect([...store.timers.values()]).toEqual([
      { id: 'followup-301-meeting', kind: 'follow_up', dueAt: new Date(start.getTime() + 2 * dayMs), dealId: '301', touchpointId: 'meeting' },
      { id: 'followup-301-delivery', kind: 'follow_up', dueAt: new Date(start.getTime() + dayMs), dealId: '301', touchpointId: 'delivery' },
    ]);
    expect(hubspot.clients).toBe(0);
  });

  it('keeps the stored promise on a replay, saving it and its timer again', async () => {
    await followUps.startFollowUps(portalId, deal, [meeting], start, stageLabel);
    store.timers.clear();
    const replayedAt = new Date(start.getTime() + 3_600_000);
    await followUps.startFollowUps(portalId, deal, [meeting], replayedAt, stageLabel);
    expect(store.saved).toHaveLength(2);
    expect(stored('301', 'meeting')).toMatchObject({ startedAt: start, dueAt: new Date(start.getTime() + 2 * dayMs) });
    expect(store.timers.get(`${portalId}/followup-301-meeting`)?.dueAt).toEqual(new Date(start.getTime() + 2 * dayMs));
  });

  it('leaves a settled promise alone on a replay', async () => {
    await followUps.startFollowUps(portalId, deal, [meeting], start, stageLabel);
    await followUps.recordEvidence(portalId, '301', { kind: 'stage', stageId: 'offer-sent', at: new Date(start.getTime() + dayMs) });
    const saves = store.saved.length;
    await followUps.startFollowUps(portalId, deal, [meeting], new Date(start.getTime() + 2 * dayMs), stageLabel);
    expect(store.saved).toHaveLength(saves);
    expect(store.timers.size).toBe(0);
    expect(stored('301', 'meeting')?.status).toBe('kept');
  });
});

describe('FollowUps.recordEvidence', () => {
  beforeEach(async () => {
    await followUps.startFollowUps(portalId, deal, [meeting, delivery], start, stageLabel);
    store.saved.length = 0;
  });

  it('keeps the promise the evidence matches, on time: saved kept and its timer cleared, nothing written to HubSpot', async () => {
    const at = new Date(start.getTime() + dayMs);
    await followUps.recordEvidence(portalId, '301', { kind: 'stage', stageId: 'offer-sent', at });
    expect(stored('301', 'meeting')).toMatchObject({ status: 'kept', keptAt: at });
    expect(stored('301', 'delivery')?.status).toBe('pending');
    expect(store.cleared).toEqual([followUpTimerId('301', 'meeting')]);
    expect(store.timers.has(`${portalId}/followup-301-delivery`)).toBe(true);
    expect(hubspot.clients).toBe(0);
  });

  it('ignores evidence that is not what was promised, or came before the promise', async () => {
    await followUps.recordEvidence(portalId, '301', { kind: 'stage', stageId: 'contract-sent', at: new Date(start.getTime() + dayMs) });
    await followUps.recordEvidence(portalId, '301', { kind: 'engagement', at: new Date(start.getTime() - 1) });
    await followUps.recordEvidence(portalId, '302', { kind: 'engagement', at: new Date(start.getTime() + 1) });
    expect(store.saved).toEqual([]);
    expect(store.cleared).toEqual([]);
  });

  it('keeps a missed promise late, and the records no longer count it as missed', async () => {
    clock = new Date(start.getTime() + dayMs);
    expect(await followUps.followUpDeadline(portalId, '301', 'delivery')).toBe('missed');
    expect(missedOnRecords()).toEqual({ 'deals/301': '1', 'contacts/101': '1', 'contacts/102': '1', 'companies/205': '1' });
    hubspot.updates.length = 0;

    const at = new Date(start.getTime() + 3 * dayMs);
    await followUps.recordEvidence(portalId, '301', { kind: 'engagement', at });
    expect(stored('301', 'delivery')).toMatchObject({ status: 'kept_late', keptAt: at });
    expect(store.cleared).toEqual([]);
    expect(missedOnRecords()).toEqual({ 'deals/301': '0', 'contacts/101': '0', 'contacts/102': '0', 'companies/205': '0' });
  });
});

describe('FollowUps.recordEvidence, several promises kept late at once', () => {
  it('refreshes the records of every promise it settles, each once', async () => {
    const engagement = { expect: 'engagement', within: { amount: 1, unit: 'days' } } as const;
    const second = touchpointOf('handover', { name: 'Handover', followUp: engagement });
    store.touchpoints.set(`${portalId}/handover`, second);
    await followUps.startFollowUps(portalId, deal, [delivery], start, stageLabel);
    // A buyer added to the deal later is on the second promise only.
    await followUps.startFollowUps(portalId, { ...deal, contactIds: ['101', '103'] }, [second], start, stageLabel);
    clock = new Date(start.getTime() + dayMs);
    expect(await followUps.followUpDeadline(portalId, '301', 'delivery')).toBe('missed');
    expect(await followUps.followUpDeadline(portalId, '301', 'handover')).toBe('missed');
    hubspot.updates.length = 0;

    await followUps.recordEvidence(portalId, '301', { kind: 'engagement', at: new Date(start.getTime() + 2 * dayMs) });
    expect(missedOnRecords()).toEqual({ 'deals/301': '0', 'contacts/101': '0', 'contacts/102': '0', 'contacts/103': '0', 'companies/205': '0' });
    const written = hubspot.updates.flatMap(({ objectType, inputs }) => inputs.map(({ id }) => `${objectType}/${id}`));
    expect(written).toHaveLength(new Set(written).size);
  });
});

describe('FollowUps.followUpDeadline', () => {
  beforeEach(async () => {
    await followUps.startFollowUps(portalId, deal, [meeting, delivery], start, stageLabel);
    clock = new Date(start.getTime() + 2 * dayMs);
  });

  it('leaves a settled or unknown promise alone, without asking HubSpot', async () => {
    await followUps.recordEvidence(portalId, '301', { kind: 'stage', stageId: 'offer-sent', at: new Date(start.getTime() + dayMs) });
    expect(await followUps.followUpDeadline(portalId, '301', 'meeting')).toBe('settled');
    expect(await followUps.followUpDeadline(portalId, '999', 'meeting')).toBe('settled');
    expect(hubspot.clients).toBe(0);
    expect(hubspot.tasks).toEqual([]);
  });

  it('keeps an engagement promise when HubSpot shows the deal contacted after it started', async () => {
    hubspot.lastContacted = String(start.getTime() + 3_600_000);
    expect(await followUps.followUpDeadline(portalId, '301', 'delivery')).toBe('kept');
    expect(stored('301', 'delivery')).toMatchObject({ status: 'kept', keptAt: new Date(start.getTime() + 3_600_000) });
    expect(hubspot.tasks).toEqual([]);
    expect(ledger.calls).toEqual([]);
  });

  it('misses an engagement promise when HubSpot’s last contact is older than the promise', async () => {
    hubspot.lastContacted = new Date(start.getTime() - dayMs).toISOString();
    expect(await followUps.followUpDeadline(portalId, '301', 'delivery')).toBe('missed');
    expect(stored('301', 'delivery')?.status).toBe('missed');
  });

  it('records the miss with the owner’s name and makes the owner one task, on the deal and its contacts', async () => {
    expect(await followUps.followUpDeadline(portalId, '301', 'meeting')).toBe('missed');
    expect(stored('301', 'meeting')).toMatchObject({ status: 'missed', ownerName: 'Ole Hansen' });
    expect(hubspot.tasks).toHaveLength(1);
    const [task] = hubspot.tasks;
    expect(task!.properties).toMatchObject({
      hs_task_subject: 'Missed follow-up: Deal reaches Offer sent within 2 days',
      hubspot_owner_id: '9001',
      hs_timestamp: clock.toISOString(),
    });
    // A rich-text field: the text goes in escaped.
    expect(task!.properties.hs_task_body).toContain('After &quot;Sales meeting&quot; on 2026-11-25 the company promised: Deal reaches Offer sent within 2 days. It was due 2026-11-27 10:00 UTC');
    expect(task!.properties.hs_task_body).toMatch(/Touchpoints ref: task-missed-301-meeting$/);
    expect(task!.dealIds).toEqual(['301']);
    expect(ledger.entry(portalId, 'task-missed-301-meeting')?.result).toBe(task!.id);
    expect(missedOnRecords()).toEqual({ 'deals/301': '1', 'contacts/101': '1', 'contacts/102': '1', 'companies/205': '1' });
  });

  it('records a miss without an owner name when HubSpot no longer has the owner', async () => {
    hubspot.owners.clear();
    expect(await followUps.followUpDeadline(portalId, '301', 'meeting')).toBe('missed');
    expect(stored('301', 'meeting')).not.toHaveProperty('ownerName');
    expect(hubspot.tasks).toHaveLength(1);
  });

  it('makes no second task when the deadline runs again', async () => {
    await followUps.followUpDeadline(portalId, '301', 'meeting');
    clock = new Date(clock.getTime() + 60_000);
    expect(await followUps.followUpDeadline(portalId, '301', 'meeting')).toBe('missed');
    expect(hubspot.tasks).toHaveLength(1);
  });

  it('finds the task of a run that died after making it, and makes no second one', async () => {
    await followUps.followUpDeadline(portalId, '301', 'meeting');
    const [task] = hubspot.tasks;
    // The run died before it remembered the task: only its stale claim is left.
    ledger.entries.set(`${portalId}/task-missed-301-meeting`, { claimedAt: new Date(0) });
    expect(await followUps.followUpDeadline(portalId, '301', 'meeting')).toBe('missed');
    expect(hubspot.tasks).toHaveLength(1);
    expect(ledger.entry(portalId, 'task-missed-301-meeting')?.result).toBe(task!.id);
  });
});
