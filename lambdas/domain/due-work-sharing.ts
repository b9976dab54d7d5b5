/**
 * How the due work is shared out: the minute run hands due timers to senders in fair batches,
 * each sender keeps to its time budget and to its share of SES's send rate. Pure rules; the
 * due run (lambdas/journeys/due-work.ts) applies them.
 */

/**
 * How long a handed-out timer is kept from the minute runs (its due time moved this far on):
 * longer than a batch waits in the queue and runs, shorter than a mail claim's lease
 * (`claimLeaseMs`), so a timer whose sender died comes back before its claim lapses.
 */
export const dueWorkLeaseMs = 3 * 60_000;

/**
 * The time a sender keeps in hand when it takes the next timer: more than one mail's worst
 * case (the HubSpot backoff, SES, three confirmation tries), so no sender is killed mid-send.
 */
export const senderSafetyMarginMs = 15_000;

/** What a sender aims at of its share of SES's rate: SES counts over a second and refuses at the limit. */
export const sendRateHeadroom = 0.9;

/** The slowest a throttled sender sends: one mail per this many ms. */
export const slowestSendIntervalMs = 10_000;

/**
 * Timers in batches of at most `batchSize`, each batch one portal's, taken round-robin across
 * portals (each portal's own timers in the order given, earliest first): the first batches hold
 * every portal's first timers, so one large portal's backlog does not hold up the others.
 */
export function fairBatches<Timer extends { portalId: number }>(timers: readonly Timer[], batchSize: number): Timer[][] {
  const queues = [...Map.groupBy(timers, ({ portalId }) => portalId).values()];
  const batches: Timer[][] = [];
  for (let round = 0; queues.some((queue) => queue.length > round * batchSize); round += 1) {
    for (const queue of queues) {
      const batch = queue.slice(round * batchSize, (round + 1) * batchSize);
      if (batch.length) batches.push(batch);
    }
  }
  return batches;
}

/** Whether a sender with `remainingMs` of its run left may take another timer. */
export function hasTimeForAnotherTimer(remainingMs: number, marginMs = senderSafetyMarginMs): boolean {
  return remainingMs > marginMs;
}

/**
 * How many timers the minute run hands out: about one minute of sending at SES's rate, less
 * what the queue still holds, so the queue stays short (a portal's new timer waits behind at
 * most a minute of others') and every handed-out timer is sent within its lease.
 */
export function timersToHandOut(maxSendRatePerSecond: number, queued: number): number {
  return Math.max(0, Math.floor(maxSendRatePerSecond * 60) - queued);
}

/**
 * One sender's pace: its share of SES's account rate (`maxSendRate / senders`, with headroom),
 * as the gap between two sends. Throttling doubles the gap (up to `slowestSendIntervalMs`);
 * each accepted mail takes a tenth of the extra back, so a sender creeps back up to its share.
 */
export class SendPace {
  private intervalMs: number;
  private lastSendAtMs = -Infinity;

  constructor(private readonly shareIntervalMs: number) {
    this.intervalMs = shareIntervalMs;
  }

  /** The pace of one of `senders` senders sharing `maxSendRatePerSecond`. */
  static forShare(maxSendRatePerSecond: number, senders: number): SendPace {
    return new SendPace(Math.min(slowestSendIntervalMs, (1000 * senders) / (maxSendRatePerSecond * sendRateHeadroom)));
  }

  /** The gap kept between two sends now. */
  get currentIntervalMs(): number {
    return this.intervalMs;
  }

  /** How long to wait at `nowMs` before the next send. */
  waitBeforeSendMs(nowMs: number): number {
    return Math.max(0, this.lastSendAtMs + this.intervalMs - nowMs);
  }

  /** A send started at `nowMs`. */
  sending(nowMs: number): void {
    this.lastSendAtMs = nowMs;
  }

  accepted(): void {
    this.intervalMs = Math.max(this.shareIntervalMs, this.intervalMs - (this.intervalMs - this.shareIntervalMs) / 10);
  }

  throttled(): void {
    this.intervalMs = Math.min(slowestSendIntervalMs, Math.max(this.intervalMs * 2, 100));
  }
}
