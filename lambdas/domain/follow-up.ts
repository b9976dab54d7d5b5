/**
 * A follow-up promise as one deal lives it: the touchpoint was passed at
 * `startedAt`, the next contact is due by `dueAt`. Kept, kept late, or missed.
 */
export interface FollowUp {
  touchpointId: string;
  dealId: string;
  /** The promise in words, fixed when it started: "Deal reaches Offer sent within 2 days". */
  promise: string;
  startedAt: Date;
  dueAt: Date;
  status: 'pending' | 'kept' | 'kept_late' | 'missed';
  keptAt?: Date;
  /** The deal owner who hears about a miss. */
  ownerId?: string;
  ownerName?: string;
}
