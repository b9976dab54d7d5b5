import { uninstallStands, type PortalInstall } from '../domain/install.js';
import { JournalOffsetGoneError } from '../errors.js';
import type { JournalEntry } from '../hubspot/journal.js';

/** What following HubSpot's app lifecycle needs: the journal, and the few store methods it touches. */
export interface AppLifecyclePorts {
  journal: {
    ensureUninstallSubscription(): Promise<'subscribed' | 'already'>;
    next(offset: string | undefined): Promise<JournalEntry | undefined>;
  };
  store: {
    getInstall(portalId: number): Promise<PortalInstall | undefined>;
    forgetPortal(portalId: number): Promise<number>;
    journalOffset(): Promise<string | undefined>;
    saveJournalOffset(offset: string): Promise<void>;
  };
}

export interface AppLifecycleReport {
  /** Journal entries read this run. */
  entries: number;
  /** Portals whose data was deleted because they uninstalled the app in HubSpot. */
  forgotten: number[];
  /** Uninstalls that no longer stand: the portal installed the app again after them. */
  reinstalledSince: number[];
  /** The saved offset had left the journal (entries are kept 3 days), so reading began at the earliest entry. */
  restartedFromEarliest: boolean;
}

/** At most this many entries a run, so the due λ keeps time for its own work; the rest wait a minute. */
export const journalEntriesPerRun = 100;

/**
 * Uninstalls started in HubSpot (its "Connected apps" page, or a portal closed): HubSpot sends the
 * app no webhook for them, only a journal entry. Each run reads the journal on from where the last
 * one stopped and deletes everything stored for each portal that uninstalled. The offset is saved
 * after an entry's work, so a run that dies repeats that entry: deleting a portal twice changes
 * nothing, and an uninstall older than the portal's latest install is skipped.
 */
export class AppLifecycle {
  private subscribed = false;

  constructor(private readonly ports: AppLifecyclePorts) {}

  /** Reads on until the journal has nothing newer, `journalEntriesPerRun` entries, or `until` (the wall clock) has passed. */
  async follow({ until }: { until?: Date } = {}): Promise<AppLifecycleReport> {
    const { journal, store } = this.ports;
    if (!this.subscribed) {
      await journal.ensureUninstallSubscription();
      this.subscribed = true; // once per container: HubSpot keeps the subscription
    }
    const report: AppLifecycleReport = { entries: 0, forgotten: [], reinstalledSince: [], restartedFromEarliest: false };
    let offset = await store.journalOffset();
    while (report.entries < journalEntriesPerRun && (!until || Date.now() < until.getTime())) {
      let entry: JournalEntry | undefined;
      try {
        entry = await journal.next(offset);
      } catch (error) {
        if (!(error instanceof JournalOffsetGoneError) || report.restartedFromEarliest) throw error;
        report.restartedFromEarliest = true;
        offset = undefined;
        continue;
      }
      if (!entry) break;
      for (const event of entry.events) {
        if (event.action !== 'uninstall') continue; // an install is finished by the OAuth callback
        if (uninstallStands(await store.getInstall(event.portalId), event.occurredAt)) {
          await store.forgetPortal(event.portalId);
          report.forgotten.push(event.portalId);
        } else {
          report.reinstalledSince.push(event.portalId);
        }
      }
      await store.saveJournalOffset(entry.offset);
      offset = entry.offset;
      report.entries += 1;
    }
    return report;
  }
}
