import type { Client } from '@hubspot/api-client';
import { dayMs, defaultLightThresholds, type InterviewRequest, type InterviewTask, trafficLight } from '@touchpoints/contracts';
import { type Interview, interviewedSince, interviewRefusal, interviewRules, interviewTask, ownerWroteNotes } from '../domain/interviews.js';
import { periodOf } from '../domain/period-summary.js';
import { InterviewRefusedError, NotFoundError } from '../errors.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readContacts, readDealContexts, readOwner } from '../hubspot/crm.js';
import { readTaskNotesHistory } from '../hubspot/task-notes.js';
import { logger } from '../logger.js';
import type { TouchpointsStore } from '../store/store.js';
import { OnceEffects, type OncePorts } from './once.js';

export interface InterviewTaskPorts {
  store: OncePorts['store'] &
    Pick<TouchpointsStore, 'forgetPeriodSummary' | 'getInterview' | 'getInvitation' | 'getResponse' | 'getSettings' | 'getTouchpoint' | 'recentInterviews' | 'recordInterview' | 'recordInterviewNotes'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  now: () => Date;
  backoff?: BackoffOptions;
}

/** The interview task as the report tab shows it. */
function taskView(interview: Interview, created: boolean): InterviewTask {
  return {
    taskId: interview.taskId,
    subject: interview.subject,
    ownerId: interview.ownerId ?? null,
    ownerName: interview.ownerName ?? null,
    requestedAt: interview.requestedAt.toISOString(),
    created,
  };
}

/**
 * The report tab's interviews, in the settings λ (it may call HubSpot and write the table; the
 * report λ may do neither): one click makes the deal owner an "Interview {name} about
 * {touchpoint}" task, once per customer and touchpoint; and on each settings page load the recent
 * interview tasks are checked for the owners' notes, which then count toward the touchpoint's
 * coverage.
 */
export class InterviewTasks {
  private readonly effects: OnceEffects;

  constructor(private readonly ports: InterviewTaskPorts) {
    this.effects = new OnceEffects(ports);
  }

  /**
   * The interview task for a red or yellow answer, made once: a second request (or a retry after
   * a failure) answers with the task made the first time. 404 for an unknown touchpoint or
   * answer, 409 for a green answer or a contact interviewed about something else lately.
   */
  async requestInterview(portalId: number, { touchpointId, dealId, contactId }: InterviewRequest): Promise<InterviewTask> {
    const { store, now: clock, backoff } = this.ports;
    const key = { dealId, touchpointId, contactId };
    const [touchpoint, settings, invitation, answer] = await Promise.all([
      store.getTouchpoint(portalId, touchpointId),
      store.getSettings(portalId),
      store.getInvitation(portalId, dealId, touchpointId, contactId),
      store.getResponse(portalId, key),
    ]);
    if (!touchpoint) throw new NotFoundError(`touchpoint ${touchpointId}`);
    if (!invitation || !answer) throw new NotFoundError(`answer of contact ${contactId} on deal ${dealId} about ${touchpoint.value.name}`);
    const period = periodOf(invitation.createdAt);
    const made = await store.getInterview(portalId, key, period);
    // A failure after the copy was kept may have left the portal's entry out: recording again adds it.
    if (made) return taskView(await store.recordInterview(portalId, made), false);

    const now = clock();
    const thresholds = settings?.value.lightThresholds ?? defaultLightThresholds;
    const recent = await store.recentInterviews(portalId, interviewedSince(now));
    const refusal = interviewRefusal({ ...key, score: answer.score }, thresholds, recent, now);
    if (refusal) throw new InterviewRefusedError(refusal);

    const reference = `interview-${dealId}-${touchpointId}-${contactId}`;
    const client = await this.ports.hubspot.forPortal(portalId);
    const [deals, contacts] = await Promise.all([readDealContexts(client, [dealId], backoff), readContacts(client, [contactId], backoff)]);
    const deal = deals.get(dealId);
    if (!deal) throw new NotFoundError(`deal ${dealId} in HubSpot`);
    const contact = contacts.get(contactId);
    const owner = deal.ownerId ? await readOwner(client, deal.ownerId, backoff) : undefined;
    const { subject, body } = interviewTask({
      customerName: contact?.firstName ?? contact?.email ?? `contact ${contactId}`,
      touchpointName: touchpoint.value.name,
      score: answer.score,
      light: trafficLight(answer.score, thresholds),
      comment: answer.comment,
      answeredAt: answer.answeredAt,
      dealName: deal.name ?? dealId,
    });
    // Made once (journeys/once.ts): a request racing this one gets EffectInFlightError, a 409.
    await this.effects.ownerTask(portalId, client, { reference, ownerId: deal.ownerId, subject, body, dueAt: new Date(now.getTime() + interviewRules.dueAfterDays * dayMs), dealId, contactIds: [contactId] }, backoff);
    const taskId = (await store.onceState(portalId, reference))?.result;
    if (!taskId) throw new Error(`the interview task ${reference} was made but not remembered`);
    const interview = await store.recordInterview(portalId, {
      ...key,
      period,
      ...(deal.ownerId ? { ownerId: deal.ownerId } : {}),
      ...(owner ? { ownerName: owner.name } : {}),
      taskId,
      subject,
      requestedAt: now,
    });
    logger.info('interview task made', { portalId, reference, taskId });
    return taskView(interview, true);
  }

  /**
   * Looks for the owners' notes in the recent interview tasks without notes yet (the 100 newest
   * of the last 90 days, one HubSpot batch read): an interview with notes is marked, and its
   * month's stored summary dropped so the next report counts it. Resolves to how many were found.
   */
  async recordNotes(portalId: number): Promise<number> {
    const { store, now: clock, backoff } = this.ports;
    const now = clock();
    const recent = await store.recentInterviews(portalId, interviewedSince(now));
    const waiting = recent.filter(({ notedAt }) => !notedAt).slice(-interviewRules.notesCheckedPerLoad);
    if (waiting.length === 0) return 0;
    const histories = await readTaskNotesHistory(await this.ports.hubspot.forPortal(portalId), waiting.map(({ taskId }) => taskId), backoff);
    const noted = waiting.filter(({ taskId }) => ownerWroteNotes(histories.get(taskId) ?? []));
    for (const interview of noted) await store.recordInterviewNotes(portalId, interview, now);
    // Each month once, after its interviews are marked: the next report computes it with them.
    for (const period of new Set(noted.map(({ period }) => period))) await store.forgetPeriodSummary(portalId, period);
    return noted.length;
  }

  /** The listed customers' names, as HubSpot has them now (one batch read): the report tab shows names, the summaries keep ids. */
  async customerNames(portalId: number, contactIds: readonly string[]): Promise<Record<string, string>> {
    const contacts = await readContacts(await this.ports.hubspot.forPortal(portalId), contactIds, this.ports.backoff);
    return Object.fromEntries(
      [...contacts.values()].flatMap(({ contactId, firstName, lastName }) => {
        const name = [firstName, lastName].filter(Boolean).join(' ');
        return name ? [[contactId, name]] : [];
      }),
    );
  }
}
