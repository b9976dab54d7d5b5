import { hasTimeForAnotherTimer, SendPace } from '../domain/due-work-sharing.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import type { SendQuota, SenderRun } from './due-work.js';

/** The sender's run has too little time left to send this mail: its timer goes back on the queue. */
export class SenderOutOfTime extends Error {
  constructor() {
    super('too little of the sender’s run is left to send a mail');
    this.name = 'SenderOutOfTime';
  }
}

export interface PacedMailPorts {
  /** SES SendRawEmail; resolves to the message id. */
  sendMail: (raw: Buffer) => Promise<string>;
  /** SES's account rate (cached by its adapter). */
  sendQuota: () => Promise<SendQuota>;
  /** How many senders share the rate: the sender λ's maximum concurrency. */
  senders: number;
  sleep: (ms: number) => Promise<void>;
  /** Elapsed time for pacing (wall time, not the demo clock). */
  nowMs: () => number;
}

/** SES's answer when the account's rate is exceeded (`Throttling`, "Maximum sending rate exceeded."). */
export function isSesThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'Throttling' || error.name === 'ThrottlingException' || /maximum sending rate exceeded/i.test(error.message);
}

/**
 * One sender's mail at its share of SES's account rate (`SendPace`): it waits out the gap
 * between sends, and when SES throttles it slows down and tries the same mail again, as long
 * as its run has time left for it; otherwise the mail is not sent (`SenderOutOfTime`). The pace
 * lives as long as the λ's instance, so a warm sender keeps what throttling taught it.
 */
export class PacedMailSender {
  private pace: { maxSendRate: number; pace: SendPace } | undefined;

  constructor(private readonly ports: PacedMailPorts) {}

  async send(raw: Buffer, run: SenderRun): Promise<string> {
    const pace = await this.currentPace();
    for (;;) {
      const waitMs = pace.waitBeforeSendMs(this.ports.nowMs());
      if (!hasTimeForAnotherTimer(run.remainingMs() - waitMs)) throw new SenderOutOfTime();
      if (waitMs > 0) await this.ports.sleep(waitMs);
      pace.sending(this.ports.nowMs());
      try {
        const messageId = await this.ports.sendMail(raw);
        pace.accepted();
        return messageId;
      } catch (error) {
        if (!isSesThrottling(error)) throw error;
        pace.throttled();
        count('SesThrottled', 1);
        logger.warn('SES throttled a mail: the sender slows down', { intervalMs: Math.round(pace.currentIntervalMs) });
      }
    }
  }

  /** A new pace when SES's rate changed (a quota raise), else the one throttling has tuned. */
  private async currentPace(): Promise<SendPace> {
    const { maxSendRate } = await this.ports.sendQuota();
    if (this.pace?.maxSendRate !== maxSendRate) this.pace = { maxSendRate, pace: SendPace.forShare(maxSendRate, this.ports.senders) };
    return this.pace.pace;
  }
}
