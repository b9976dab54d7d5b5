import { describe, expect, it } from 'vitest';
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

/** An in-memory store holding installs and the items of each portal. */
function storeOf(installs: Record<number, Pick<PortalInstall, 'installedAt'>>, offset?: string) {
  const state = { offset, installs: { ...installs }, forgotten: [] as number[] };
  const store: AppLifecyclePorts['store'] = {
    async getInstall(portalId) {
      const found = state.installs[portalId];
      return found && { accessToken: 'sealed', refreshToken: 'sealed', expiresAt: at('2099-01-01T00:00:00Z'), ...found };
    },
    async forgetPortal(portalId) {
      state.forgotten.push(portalId);
      delete state.installs[portalId];
      return 1;
    },
    async journalOffset() {
      return state.offset;
    },
    async saveJournalOffset(next) {
      state.offset = next;
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
    const { store, state } = storeOf({ 101: { installedAt: at('2026-11-30T09:00:00Z') }, 102: {}, 103: {} });
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report).toEqual({ entries: 3, forgotten: [101, 102, 103], reinstalledSince: [], restartedFromEarliest: false });
    expect(state).toMatchObject({ offset: 'c', forgotten: [101, 102, 103], installs: {} });
    expect(calls.reads).toEqual([undefined, 'a', 'b', 'c']);
  });

  it('subscribes to uninstalls once per container, and a second run reads only what is new', async () => {
    const { journal, calls } = journalOf(entries);
    const { store, state } = storeOf({}, 'b');
    const lifecycle = new AppLifecycle({ journal, store });
    expect((await lifecycle.follow()).forgotten).toEqual([103]);
    expect(await lifecycle.follow()).toEqual({ entries: 0, forgotten: [], reinstalledSince: [], restartedFromEarliest: false });
    expect(calls.subscribe).toBe(1);
    expect(state.offset).toBe('c');
  });

  it('leaves a portal that installed again after its uninstall', async () => {
    const { journal } = journalOf(entries);
    const { store, state } = storeOf({ 102: { installedAt: at('2026-12-02T08:00:00Z') } }, 'a');
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report.forgotten).toEqual([101, 103]);
    expect(report.reinstalledSince).toEqual([102]);
    expect(state.installs).toEqual({ 102: { installedAt: at('2026-12-02T08:00:00Z') } });
  });

  it('starts again from the earliest entry when the saved offset has aged out of the journal', async () => {
    const { journal, calls } = journalOf(entries, { forgottenBefore: 1 });
    const { store, state } = storeOf({}, 'a');
    const report = await new AppLifecycle({ journal, store }).follow();
    expect(report).toMatchObject({ restartedFromEarliest: true, entries: 2, forgotten: [101, 102, 103] });
    expect(calls.reads).toEqual(['a', undefined, 'b', 'c']);
    expect(state.offset).toBe('c');
  });

  it('keeps the offset of the last finished entry when a deletion fails, so the next run repeats only that entry', async () => {
    const { journal } = journalOf(entries);
    const { store, state } = storeOf({}, 'a');
    store.forgetPortal = async (portalId) => {
      if (portalId === 103) throw new Error('table unreachable');
      return 1;
    };
    await expect(new AppLifecycle({ journal, store }).follow()).rejects.toThrow('table unreachable');
    expect(state.offset).toBe('b');
  });

  it('reads at most a bounded number of entries a run, leaving the rest for the next', async () => {
    const many = Array.from({ length: journalEntriesPerRun + 5 }, (_, index): JournalEntry => ({ offset: `e${index}`, events: [uninstall(1000 + index, '2026-12-01T10:00:00Z')] }));
    const { journal } = journalOf(many);
    const { store, state } = storeOf({});
    const lifecycle = new AppLifecycle({ journal, store });
    expect((await lifecycle.follow()).entries).toBe(journalEntriesPerRun);
    expect((await lifecycle.follow()).entries).toBe(5);
    expect(state.forgotten).toHaveLength(journalEntriesPerRun + 5);
  });
});
