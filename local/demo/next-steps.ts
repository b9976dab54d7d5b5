/**
 * What happens next on a demo deal, in words a person at the terminal can act
 * on: which survey goes when (and the clock command that gets there now), why
 * a contact gets none, and which promise falls due when. The sandbox CLI
 * prints it after `move-deal` and `log-activity`.
 */
import { z } from 'zod';
import type { FollowUp } from '../../lambdas/domain/follow-up.js';
import type { Invitation } from '../../lambdas/domain/journey.js';
import { formatDuration } from '../demo-clock.js';

export const NextSteps = z.object({
  /** The stack's time (the demo clock). */
  now: z.iso.datetime(),
  surveys: z.array(z.object({ contactName: z.string(), touchpointName: z.string(), sendAt: z.iso.datetime() })),
  skipped: z.array(z.object({ contactName: z.string(), touchpointName: z.string(), reason: z.string() })),
  promises: z.array(z.object({ promise: z.string(), status: z.enum(['pending', 'kept', 'kept_late', 'missed']), dueAt: z.iso.datetime(), keptAt: z.iso.datetime().nullable() })),
});
export type NextSteps = z.infer<typeof NextSteps>;

const skipReasons: Record<NonNullable<Invitation['skipReason']>, string> = {
  no_email: 'has no email address',
  opted_out: 'opted out of email',
  fatigue: 'was surveyed too recently (the portal asks at most once per its fatigue window)',
  bounced: 'has an address that bounced',
  complained: 'marked a survey as spam',
};

/**
 * The deal's scheduled surveys, the invitations skipped since `since` (the move that made them),
 * and its promises, from the deal's own items.
 */
export function dealNextSteps(
  { invitations, followUps, touchpointNames, contactNames, now, since }: {
    invitations: readonly Invitation[];
    followUps: readonly FollowUp[];
    touchpointNames: ReadonlyMap<string, string>;
    contactNames: ReadonlyMap<string, string>;
    now: Date;
    since: Date;
  },
): NextSteps {
  const touchpointName = (id: string) => touchpointNames.get(id) ?? id;
  const contactName = (id: string) => contactNames.get(id) ?? `contact ${id}`;
  return {
    now: now.toISOString(),
    surveys: invitations
      .filter(({ status, sendAt }) => status === 'scheduled' && sendAt)
      .sort((a, b) => a.sendAt!.getTime() - b.sendAt!.getTime())
      .map(({ contactId, touchpointId, sendAt }) => ({ contactName: contactName(contactId), touchpointName: touchpointName(touchpointId), sendAt: sendAt!.toISOString() })),
    skipped: invitations
      .filter(({ status, skipReason, createdAt }) => status === 'skipped' && skipReason && createdAt >= since)
      .map(({ contactId, touchpointId, skipReason }) => ({ contactName: contactName(contactId), touchpointName: touchpointName(touchpointId), reason: skipReasons[skipReason!] })),
    promises: followUps.map(({ promise, status, dueAt, keptAt }) => ({ promise, status, dueAt: dueAt.toISOString(), keptAt: keptAt?.toISOString() ?? null })),
  };
}

/** "2026-12-05 14:05 UTC". */
export function utcTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The lines the CLI prints: each step with its time, how far off it is, and what to run and open to see it. */
export function describeNextSteps(steps: NextSteps, { dealId, appUrl, sesUrl }: { dealId: string; appUrl: string; sesUrl: string }): string[] {
  const now = Date.parse(steps.now);
  const card = `${appUrl}/ui/record/deal/${dealId}`;
  const lines: string[] = [];
  for (const survey of steps.surveys) {
    const wait = Date.parse(survey.sendAt) - now;
    lines.push(
      wait > 0
        ? `${survey.contactName}'s survey "${survey.touchpointName}" goes at ${utcTime(survey.sendAt)} (in ${formatDuration(wait)}): npm run demo -- advance ${formatDuration(wait)}, then read it at ${sesUrl}`
        : `${survey.contactName}'s survey "${survey.touchpointName}" goes in the next minute's due run: read it at ${sesUrl}`,
    );
  }
  for (const skipped of steps.skipped) lines.push(`${skipped.contactName} gets no survey "${skipped.touchpointName}": ${skipped.contactName} ${skipped.reason}.`);
  for (const promise of steps.promises) {
    const due = Date.parse(promise.dueAt);
    if (promise.status === 'pending') {
      lines.push(`Promise "${promise.promise}" is due at ${utcTime(promise.dueAt)} (in ${formatDuration(due - now)}); npm run demo -- advance ${formatDuration(due - now)} misses it. The card shows it: ${card}`);
    } else if (promise.status === 'missed') {
      lines.push(`Promise "${promise.promise}" was missed (due ${utcTime(promise.dueAt)}); the owner has a task. The card shows it: ${card}`);
    } else {
      lines.push(`Promise "${promise.promise}" was kept${promise.status === 'kept_late' ? ' late' : ''} at ${utcTime(promise.keptAt ?? promise.dueAt)} (due ${utcTime(promise.dueAt)}). The card shows it: ${card}`);
    }
  }
  if (lines.length === 0) lines.push(`Nothing is scheduled for deal ${dealId}: no touchpoint of this stage invites its contacts, and it has no promise. The card: ${card}`);
  return lines;
}
