import { describe, expect, it, vi } from 'vitest';
import { uninstallStands, type PortalInstall } from '../../lambdas/domain/install.js';
import { JournalOffsetGoneError } from '../../lambdas/errors.js';
import type { AppLifecycleEvent, JournalEntry } from '../../lambdas/hubspot/journal.js';
import { AppLifecycle, journalEntriesPerRun, type AppLifecyclePorts } from '../../lambdas/journeys/app-lifecycle.js';

const at = (iso: string) => new Date(iso);
const uninstall = (portalId: number, occurredAt: string): AppLifecycleEvent => ({ action: 'uninstall', portalId, occurredAt: at(occurredAt) });
const install = (portalId: number, occurredAt: string): AppLifecycleEvent => ({ action: 'install', portalId, occurredAt: at(occurredAt) });

/** The journal as HubSpot keeps it, in order; `forgottenBefore` offsets have aged out (3 days). */
function journalOf(entries: JournalEntry[], { forgottenBefore = 0 } = {}) {
  const calls = { subscribe: 0, reads: [] as (string | undefined)[] };
  const journal: AppLifecyclePorts['journal'] = {
    async ensureUninstallSubscription() {
      calls.subscribe += 1;
      return calls.subscribe === 1 ? 'subscribed' : 'already';
    },
    async next(offset) {
      calls.reads.push(offset);
      if (offset === undefined) return entries[forgottenBefore];
      const index = entries.findIndex((entry) => entry.offset === offset);
      if (index < forgottenBefore) throw new JournalOffsetGoneError(`no offset ${offset}`);
      return entries[index + 1];
    },
  };
  return { journal, calls };
}

/**
 * An in-memory store: installs, and how many items each portal has left; the deletion goes
 * `pageSize` items a step, as the table's Scan goes a page at a time.
 */
function storeOf(installs: Record<number, Pick<PortalInstall, 'installedAt'>>, offset?: string, { items = {} as Record<number, number>, pageSize = 100 } = {}) {
  const state = { offset, installs: { ...installs }, items: { ...items }, queue: new Map<number, { uninstalledAt: Date; cursor?: { page: number } }>(), steps: 0 };
  const store: AppLifecyclePorts['store'] = {
    async getInstall(portalId) {
      const found = state.installs[portalId];
      return found && { accessToken: 'sealed', refreshToken: 'sealed', expiresAt: at('2099-01-01T00:00:00Z'), ...found };
    },
    async journalOffset() {
      return state.offset;
    },
    async saveJournalOffset(next) {
      state.offset = next;
    },
    forgetting: {
      async schedule(portalId, uninstalledAt) {
        const install = state.installs[portalId];
        if (!install) return 'not_installed';
        if (!uninstallStands(install, uninstalledAt)) return 'reinstalled';
        state.queue.set(portalId, { uninstalledAt });
        delete state.installs[portalId];
        return 'scheduled';
      },
      async pending() {
        return [...state.queue].map(([portalId, { uninstalledAt, cursor }]) => ({ portalId, uninstalledAt, ...(cursor ? { cursor } : {}) }));
      },
      async step(portalId, cursor) {
        state.steps += 1;
        const deleted = Math.min(pageSize, state.items[portalId] ?? 0);
        state.items[portalId] = (state.items[portalId] ?? 0) - deleted;
        return { deleted, cursor: state.items[portalId] > 0 ? { page: Number(cursor?.page ?? 0) + 1 } : undefined };
      },
      async saveProgress(portalId, cursor) {
        const queued = state.queue.get(portalId);
        if (queued) queued.cursor = cursor as { page: number };
      },
      async finish(portalId) {
        state.queue.delete(portalId);
      },
    },
  };
  return { store, state };
}

describe('whether a journaled uninstall still stands', () => {
  it('stands for a portal with no install left, or one installed before it', () => {
    expect(uninstallStands(undefined, at('2026-12-01T10:00:00Z'))).toBe(true);
    expect(uninstallStands({ installedAt: at('2026-11-01T10:00:00Z') }, at('2026-12-01T10:00:00Z'))).toBe(true);
    expect(uninstallStands({}, at('2026-12-01T10:00:00Z'))).toBe(true);
  });

  it('does not stand once the portal installed the app again after it', () => {
    expect(uninstallStands({ installedAt: at('2026-12-01T10:00:01Z') }, at('2026-12-01T10:00:00Z'))).toBe(false);
  });
});

describe('following the app lifecycle in HubSpot’s webhooks journal', () => {
  const entries: JournalEntry[] = [
    { offset: 'a', events: [install(101, '2026-11-30T09:00:00Z')] },
    { offset: 'b', events: [uninstall(101, '2026-12-01T09:00:00Z'), uninstall(102, '2026-12-01T09:05:00Z')] },
    { offset: 'c', events: [uninstall(103, '2026-12-01T10:00:00Z')] },
  ];

  it('deletes every portal that uninstalled, reads on from the saved offset and saves where it stopped', async () => {
    const { journal, calls } = journalOf(entries);
    const { store, state } = storeOf({ 101: { installedAt: at('2026-11-30T09:00:00Z') }, 102: {}, 103: {} }, undefined, { items: { 101: 5, 102: 3, 103: 1 } });
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report).toEqual({ entries: 3, uninstalled: [101, 102, 103], reinstalledSince: [], forgotten: [101, 102, 103], deleted: 9, restartedFromEarliest: false });
    expect(state).toMatchObject({ offset: 'c', installs: {}, items: { 101: 0, 102: 0, 103: 0 } });
    expect(state.queue.size).toBe(0);
    expect(calls.reads).toEqual([undefined, 'a', 'b', 'c']);
  });

  it('subscribes to uninstalls once per container, and a second run reads only what is new', async () => {
    const { journal, calls } = journalOf(entries);
    const { store, state } = storeOf({ 103: {} }, 'b');
    const lifecycle = new AppLifecycle({ journal, store });
    expect((await lifecycle.follow()).uninstalled).toEqual([103]);
    expect(await lifecycle.follow()).toEqual({ entries: 0, uninstalled: [], reinstalledSince: [], forgotten: [], deleted: 0, restartedFromEarliest: false });
    expect(calls.subscribe).toBe(1);
    expect(state.offset).toBe('c');
  });

  it('leaves a portal that installed again after its uninstall', async () => {
    const { journal } = journalOf(entries);
    const { store, state } = storeOf({ 101: {}, 102: { installedAt: at('2026-12-02T08:00:00Z') }, 103: {} }, 'a');
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report.uninstalled).toEqual([101, 103]);
    expect(report.reinstalledSince).toEqual([102]);
    expect(state.installs).toEqual({ 102: { installedAt: at('2026-12-02T08:00:00Z') } });
  });

  it('starts again from the earliest entry when the saved offset has aged out of the journal', async () => {
    const { journal, calls } = journalOf(entries, { forgottenBefore: 1 });
    const { store, state } = storeOf({ 101: {}, 102: {}, 103: {} }, 'a');
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report).toMatchObject({ restartedFromEarliest: true, entries: 2, uninstalled: [101, 102, 103] });
    expect(calls.reads).toEqual(['a', undefined, 'b', 'c']);
    expect(state.offset).toBe('c');
  });

  it('keeps the offset of the last finished entry when ending an install fails, so the next run repeats only that entry', async () => {
    const { journal } = journalOf(entries);
    const { store, state } = storeOf({ 101: {}, 102: {}, 103: {} }, 'a');
    const schedule = store.forgetting.schedule;
    store.forgetting.schedule = async (portalId, uninstalledAt) => {
      if (portalId === 103) throw new Error('table unreachable');
      return schedule(portalId, uninstalledAt);
    };
    await expect(new AppLifecycle({ journal, store }).follow()).rejects.toThrow('table unreachable');
    expect(state.offset).toBe('b');
  });

  it('reads at most a bounded number of entries a run, leaving the rest for the next', async () => {
    const many = Array.from({ length: journalEntriesPerRun + 5 }, (_, index): JournalEntry => ({ offset: `e${index}`, events: [uninstall(1000 + index, '2026-12-01T10:00:00Z')] }));
    const { journal } = journalOf(many);
    const { store } = storeOf(Object.fromEntries(many.map((_, index) => [1000 + index, {}])));
    const lifecycle = new AppLifecycle({ journal, store });
    expect((await lifecycle.follow()).entries).toBe(journalEntriesPerRun);
    const second = await lifecycle.follow();
    expect(second.entries).toBe(5);
    expect(second.uninstalled).toHaveLength(5);
  });

  it('deletes a large portal a page at a time over several runs, going on from where the last run stopped', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { journal } = journalOf([{ offset: 'a', events: [uninstall(101, '2026-12-01T09:00:00Z')] }]);
      const { store, state } = storeOf({ 101: {} }, undefined, { items: { 101: 10 }, pageSize: 3 });
      const slowStep = store.forgetting.step;
      store.forgetting.step = async (...args) => {
        vi.setSystemTime(Date.now() + 1_000); // a page of a large table takes a while
        return slowStep(...args);
      };
      const lifecycle = new AppLifecycle({ journal, store });
      const first = await lifecycle.follow({ until: new Date(Date.now() + 1_500) });
      expect(first).toMatchObject({ uninstalled: [101], forgotten: [], deleted: 6 });
      expect(state.queue.get(101)?.cursor).toEqual({ page: 2 });
      const second = await lifecycle.follow({ until: new Date(Date.now() + 1_500) });
      expect(second).toMatchObject({ entries: 0, forgotten: [101], deleted: 4 });
      expect(state.queue.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops deleting a portal that installed the app again meanwhile, and keeps its new install', async () => {
    const { journal } = journalOf([{ offset: 'a', events: [uninstall(101, '2026-12-01T09:00:00Z')] }]);
    const { store, state } = storeOf({ 101: {} }, undefined, { items: { 101: 10 }, pageSize: 3 });
    const step = store.forgetting.step;
    store.forgetting.step = async (...args) => {
      const result = await step(...args);
      state.installs[101] = { installedAt: at('2026-12-02T10:00:00Z') }; // reinstalled after the first page
      return result;
    };
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report).toMatchObject({ uninstalled: [101], forgotten: [], deleted: 3 });
    expect(state.queue.size).toBe(0);
    expect(state.installs[101]).toEqual({ installedAt: at('2026-12-02T10:00:00Z') });
  });

  it('runs one reading at a time in a container: a run the due λ stopped waiting for finishes before the next starts', async () => {
    const { journal, calls } = journalOf(entries);
    const { store } = storeOf({ 101: {}, 102: {}, 103: {} });
    const lifecycle = new AppLifecycle({ journal, store });
    const [first, second] = await Promise.all([lifecycle.follow(), lifecycle.follow()]);
    expect(first.entries).toBe(3);
    expect(second.entries).toBe(0);
    expect(calls.reads).toEqual([undefined, 'a', 'b', 'c', 'c']);
  });
});
