import { dayMs, type Duration, durationMs, type TouchpointDefinition } from '@touchpoints/contracts';

/** What keeps a promise: the deal entering a given stage, or any sales activity logged. */
export type FollowUpExpectation = { expect: 'stage'; stageId: string } | { expect: 'engagement' };

/**
 * A follow-up promise as one deal lives it: the touchpoint was passed at
 * `startedAt`, the next contact is due by `dueAt`. Kept, kept late, or missed.
 */
export interface FollowUp {
  touchpointId: string;
  dealId: string;
  expectation: FollowUpExpectation;
  /** The promise in words, fixed when it started: "Deal reaches Offer sent within 2 days". */
  promise: string;
  startedAt: Date;
  dueAt: Date;
  status: 'pending' | 'kept' | 'kept_late' | 'missed';
  keptAt?: Date;
  /** The deal owner who hears about a miss. */
  ownerId?: string;
  ownerName?: string;
  /** The records the promise is shown on besides the deal. */
  contactIds: string[];
  companyId?: string;
}

/** Evidence that the company followed up: the deal entered a stage, or someone logged contact. */
export type FollowUpEvidence = { kind: 'stage'; stageId: string; at: Date } | { kind: 'engagement'; at: Date };

function spoken({ amount, unit }: Duration): string {
  const singular = unit.slice(0, -1);
  return `${amount} ${amount === 1 ? singular : unit}`;
}

/**
 * The promise a touchpoint makes when a deal passes it, or none. `stageLabel`
 * names the expected stage as the portal calls it.
 */
export function startFollowUp(
  touchpoint: TouchpointDefinition,
  deal: { dealId: string; ownerId?: string | undefined; contactIds: string[]; companyId?: string | undefined },
  startedAt: Date,
  stageLabel: (stageId: string) => string,
  ownerName?: string,
): FollowUp | undefined {
  const promise = touchpoint.followUp;
  if (!promise) return undefined;
  return {
    touchpointId: touchpoint.id,
    dealId: deal.dealId,
    expectation: promise.expect === 'stage' ? { expect: 'stage', stageId: promise.stageId } : { expect: 'engagement' },
    promise:
      promise.expect === 'stage'
        ? `Deal reaches ${stageLabel(promise.stageId)} within ${spoken(promise.within)}`
        : `A sales activity is logged within ${spoken(promise.within)}`,
    startedAt,
    dueAt: new Date(startedAt.getTime() + durationMs(promise.within)),
    status: 'pending',
    ...(deal.ownerId ? { ownerId: deal.ownerId } : {}),
    ...(ownerName ? { ownerName } : {}),
    contactIds: deal.contactIds,
    ...(deal.companyId ? { companyId: deal.companyId } : {}),
  };
}

/**
 * The promise once the evidence arrives: kept on time, kept late (after a
 * miss, with the delay visible), or unchanged when the evidence is not what
 * was promised, came before the promise started, or the promise is settled.
 */
export function keepFollowUp(followUp: FollowUp, evidence: FollowUpEvidence): FollowUp | undefined {
  if (followUp.status !== 'pending' && followUp.status !== 'missed') return undefined;
  if (evidence.at.getTime() <= followUp.startedAt.getTime()) return undefined;
  const matches =
    followUp.expectation.expect === 'engagement'
      ? evidence.kind === 'engagement'
      : evidence.kind === 'stage' && evidence.stageId === followUp.expectation.stageId;
  if (!matches) return undefined;
  return { ...followUp, status: evidence.at.getTime() <= followUp.dueAt.getTime() ? 'kept' : 'kept_late', keptAt: evidence.at };
}

/** How late a promise kept late was, in whole days (rounded up: a day and an hour late is 2 days late). */
export function daysLate(followUp: FollowUp): number {
  if (followUp.status !== 'kept_late' || !followUp.keptAt) return 0;
  return Math.ceil((followUp.keptAt.getTime() - followUp.dueAt.getTime()) / dayMs);
}

/** The timer that checks the promise at its deadline: one per deal and touchpoint. */
export function followUpTimerId(dealId: string, touchpointId: string): string {
  return `followup-${dealId}-${touchpointId}`;
}
