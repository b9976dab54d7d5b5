import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { uninstallStands, type PortalInstall } from '../domain/install.js';
import { JournalOffsetGoneError } from '../errors.js';
import type { JournalEntry } from '../hubspot/journal.js';
import { logger } from '../logger.js';
import type { PortalToForget } from '../store/forgetting.js';

type Cursor = Record<string, NativeAttributeValue>;

/** What following HubSpot's app lifecycle needs: the journal, and the few store methods it touches. */
export interface AppLifecyclePorts {
  journal: {
    ensureUninstallSubscription(): Promise<'subscribed' | 'already'>;
    next(offset: string | undefined): Promise<JournalEntry | undefined>;
  };
  store: {
    getInstall(portalId: number): Promise<PortalInstall | undefined>;
    journalOffset(): Promise<string | undefined>;
    saveJournalOffset(offset: string): Promise<void>;
    forgetting: {
      schedule(portalId: number, uninstalledAt: Date): Promise<'scheduled' | 'reinstalled' | 'not_installed'>;
      pending(): Promise<PortalToForget[]>;
      step(portalId: number, cursor: Cursor | undefined, options: { keepInstall: boolean }): Promise<{ deleted: number; cursor: Cursor | undefined }>;
      saveProgress(portalId: number, cursor: Cursor): Promise<void>;
      finish(portalId: number): Promise<void>;
    };
  };
}

export interface AppLifecycleReport {
  /** Journal entries read this run. */
  entries: number;
  /** Portals that uninstalled the app in HubSpot: their install ended, their items queued for deletion. */
  uninstalled: number[];
  /** Uninstalls that no longer stand: the portal installed the app again after them. */
  reinstalledSince: number[];
  /** Portals whose last items were deleted this run. */
  forgotten: number[];
  /** Items deleted this run. */
  deleted: number;
  /** The saved offset had left the journal (entries are kept 3 days), so reading began at the earliest entry. */
  restartedFromEarliest: boolean;
}

/** At most this many entries a run, so the due λ keeps time for its own work; the rest wait a minute. */
export const journalEntriesPerRun = 100;

/**
 * Uninstalls started in HubSpot (its "Connected apps" page, or a portal closed): HubSpot sends the
 * app no webhook for them, only a journal entry. Each run reads the journal on from where the last
 * one stopped; each uninstall ends the portal's install at once (nothing more is read or written
 * for it) and queues its items for deletion, which goes a page at a time until `until`, so a large
 * table is forgotten over several runs. The offset is saved after an entry's work: a run that dies
 * repeats that entry, and an uninstall older than the portal's latest install is skipped.
 */
export class AppLifecycle {
  private subscribed = false;
  /** A run the due λ stopped waiting for may still be going: the next one in this container waits its turn. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly ports: AppLifecyclePorts) {}

  /**
   * A run that holds the due λ up for at most `budgetMs`: its report, or none when it failed (logged;
   * read again next minute) or is still going (it finishes while the due work goes ahead).
   */
  async followWithin(budgetMs: number): Promise<AppLifecycleReport | undefined> {
    const budget = new AbortController();
    const report = await Promise.race([
      this.follow({ until: new Date(Date.now() + budgetMs) }).catch((error: unknown) => {
        logger.error('app lifecycle not read', { error: (error as Error).message });
        return undefined;
      }),
      sleep(budgetMs, undefined, { signal: budget.signal, ref: false }).then(
        () => {
          logger.warn('app lifecycle still reading after its budget; due work goes ahead');
          return undefined;
        },
        () => undefined, // the journal finished first
      ),
    ]);
    budget.abort();
    if (report?.uninstalled.length) logger.info('portals uninstalled in HubSpot: their installs ended, their data is being deleted', { portalIds: report.uninstalled });
    if (report?.forgotten.length) logger.info('uninstalled portals forgotten', { portalIds: report.forgotten, itemsDeleted: report.deleted });
    return report;
  }

  follow({ until }: { until?: Date } = {}): Promise<AppLifecycleReport> {
    const run = this.running.catch(() => undefined).then(() => this.run(until));
    this.running = run;
    return run;
  }

  private async run(until: Date | undefined): Promise<AppLifecycleReport> {
    const report: AppLifecycleReport = { entries: 0, uninstalled: [], reinstalledSince: [], forgotten: [], deleted: 0, restartedFromEarliest: false };
    const timeLeft = () => !until || Date.now() < until.getTime();
    if (!this.subscribed) {
      await this.ports.journal.ensureUninstallSubscription();
      this.subscribed = true; // once per container: HubSpot keeps the subscription
    }
    await this.readJournal(report, timeLeft);
    await this.forgetUninstalled(report, timeLeft);
    return report;
  }

  private async readJournal(report: AppLifecycleReport, timeLeft: () => boolean): Promise<void> {
    const { journal, store } = this.ports;
    let offset = await store.journalOffset();
    while (report.entries < journalEntriesPerRun && timeLeft()) {
      let entry: JournalEntry | undefined;
      try {
        entry = await journal.next(offset);
      } catch (error) {
        if (!(error instanceof JournalOffsetGoneError) || report.restartedFromEarliest) throw error;
        report.restartedFromEarliest = true;
        offset = undefined;
        continue;
      }
      if (!entry) return;
      for (const event of entry.events) {
        if (event.action !== 'uninstall') continue; // an install is finished by the OAuth callback
        const outcome = await store.forgetting.schedule(event.portalId, event.occurredAt);
        if (outcome === 'scheduled') report.uninstalled.push(event.portalId);
        if (outcome === 'reinstalled') report.reinstalledSince.push(event.portalId);
      }
      await store.saveJournalOffset(entry.offset);
      offset = entry.offset;
      report.entries += 1;
    }
  }

  private async forgetUninstalled(report: AppLifecycleReport, timeLeft: () => boolean): Promise<void> {
    const { forgetting } = this.ports.store;
    for (const { portalId, uninstalledAt, cursor: savedCursor } of await forgetting.pending()) {
      let cursor = savedCursor;
      while (timeLeft()) {
        // Installed again while its old items were going: the new install's items stay.
        if (!uninstallStands(await this.ports.store.getInstall(portalId), uninstalledAt)) {
          await forgetting.finish(portalId);
          break;
        }
        const step = await forgetting.step(portalId, cursor, { keepInstall: true });
        report.deleted += step.deleted;
        cursor = step.cursor;
        if (!cursor) {
          await forgetting.finish(portalId);
          report.forgotten.push(portalId);
          break;
        }
        await forgetting.saveProgress(portalId, cursor);
      }
    }
  }
}
