import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';
import type { SendQuota } from '../journeys/due-work.js';

/** How long SES's answer is kept: a quota raise reaches the senders within this. */
export const sendQuotaCacheMs = 10 * 60_000;

/**
 * SES's account rate (GetSendQuota's MaxSendRate, mails per second), asked once per
 * `sendQuotaCacheMs` per λ instance; a failed ask is not kept, the next call asks again.
 */
export function cachedSendQuota(ses: SESClient, nowMs: () => number = Date.now): () => Promise<SendQuota> {
  let cached: { quota: Promise<SendQuota>; askedAtMs: number } | undefined;
  return () => {
    if (!cached || nowMs() - cached.askedAtMs >= sendQuotaCacheMs) {
      const quota = ses.send(new GetSendQuotaCommand({})).then(({ MaxSendRate }) => {
        if (!MaxSendRate || MaxSendRate <= 0) throw new Error(`SES answered no usable MaxSendRate: ${MaxSendRate}`);
        return { maxSendRate: MaxSendRate };
      });
      const asked = { quota, askedAtMs: nowMs() };
      cached = asked;
      quota.catch(() => {
        if (cached === asked) cached = undefined;
      });
    }
    return cached.quota;
  };
}
