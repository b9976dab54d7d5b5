import type { Client } from '@hubspot/api-client';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { createOwnerTask, createTimelineNote, findDealActivity, reviseOwnerTask, reviseTimelineNote, type OwnerTask, type TaskRevision, type TimelineNote } from '../hubspot/writes.js';
import { EffectInFlightError } from '../errors.js';
import { logger } from '../logger.js';
import type { TouchpointsStore } from '../store/store.js';

export interface OncePorts {
  store: Pick<TouchpointsStore, 'claimOnce' | 'lapseOnce' | 'onceState' | 'releaseOnce' | 'rememberOnce'>;
  now: () => Date;
}

/** The exactly-once protocol for side effects outside the table: owner tasks, timeline notes, mails. */
export class OnceEffects {
  constructor(private readonly ports: OncePorts) {}

  /**
   * Does a side effect once per key: claimed first, remembered after, so a
   * retry or a rerun never repeats it. When the effect itself fails, its claim
   * is released (a mail) or lapsed (a task or note, which may exist anyway). A claim nobody remembered belongs to a run that is
   * still at it or died: `findMade` (HubSpot, for tasks and notes) tells
   * whether the effect happened; otherwise this run fails, to be retried once
   * the claim's lease lapsed, and then does it (a mail may then go twice). Resolves to whether
   * this run did it (false: it had been done).
   */
  async run(portalId: number, key: string, effect: () => Promise<string>, findMade?: () => Promise<string | undefined>): Promise<boolean> {
    const { store } = this.ports;
    const claim = await store.claimOnce(portalId, key, this.ports.now());
    if (claim === 'done') return false;
    if (claim !== 'claimed') {
      const made = await findMade?.();
      if (made) {
        await store.rememberOnce(portalId, key, made);
        return false;
      }
      if (claim === 'in_flight') throw new EffectInFlightError(key);
      logger.warn('taking over the claim of a run that died', { portalId, key });
    }
    let result: string;
    try {
      result = await effect();
    } catch (error) {
      // What can be looked up may have been made after all: the next try looks first. A mail that
      // failed did not go.
      await (findMade ? store.lapseOnce(portalId, key) : store.releaseOnce(portalId, key));
      throw error;
    }
    // A failure from here on leaves the claim: the effect happened, a retry must not repeat it.
    await store.rememberOnce(portalId, key, result);
    return true;
  }

  /** The owner task for `task.reference`, made once (after a dead run, found in HubSpot by that reference); false when made before. */
  ownerTask(portalId: number, client: Client, task: OwnerTask, backoff?: BackoffOptions): Promise<boolean> {
    return this.run(portalId, task.reference, () => createOwnerTask(client, task, backoff), () => findDealActivity(client, 'tasks', task.dealId, task.reference, backoff));
  }

  /** The timeline note for `note.reference`, made once the same way; false when made before. */
  timelineNote(portalId: number, client: Client, note: TimelineNote, backoff?: BackoffOptions): Promise<boolean> {
    return this.run(portalId, note.reference, () => createTimelineNote(client, note, backoff), () => findDealActivity(client, 'notes', note.dealId, note.reference, backoff));
  }

  /** Rewrites the task made for `task.reference`, if one was and the owner has not deleted it. */
  async reviseOwnerTask(portalId: number, client: Client, task: TaskRevision & { dealId: string }, backoff?: BackoffOptions): Promise<void> {
    const taskId = await this.madeFor(portalId, task.reference, () => findDealActivity(client, 'tasks', task.dealId, task.reference, backoff));
    if (taskId && !(await reviseOwnerTask(client, taskId, task, backoff))) logger.info('the task to revise was deleted in HubSpot', { portalId, reference: task.reference });
  }

  /** Rewrites the note made for `note.reference`, if one was and nobody has deleted it. */
  async reviseTimelineNote(portalId: number, client: Client, note: Pick<TimelineNote, 'body' | 'reference' | 'dealId'>, backoff?: BackoffOptions): Promise<void> {
    const noteId = await this.madeFor(portalId, note.reference, () => findDealActivity(client, 'notes', note.dealId, note.reference, backoff));
    if (noteId && !(await reviseTimelineNote(client, noteId, note, backoff))) logger.info('the note to revise was deleted in HubSpot', { portalId, reference: note.reference });
  }

  /**
   * The id of what was made for `key`: remembered, or, for a claim a run left unremembered (it
   * may have died right after making it), looked up in HubSpot and remembered now.
   */
  private async madeFor(portalId: number, key: string, findMade: () => Promise<string | undefined>): Promise<string | undefined> {
    const state = await this.ports.store.onceState(portalId, key);
    if (!state) return undefined;
    if (state.result !== undefined) return state.result;
    const made = await findMade();
    if (made) await this.ports.store.rememberOnce(portalId, key, made);
    return made;
  }
}
