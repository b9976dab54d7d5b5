import { count } from '../metrics.js';

/**
 * HubSpot answers 429 when a portal's rate limit is reached and 5xx when it
 * stumbles. @hubspot/api-client retries only the ten-secondly 429, so every
 * call goes through here: wait (Retry-After when given, else exponential with
 * jitter) and try again, a bounded number of times.
 */

export interface BackoffOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultBackoff: BackoffOptions = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface HttpFailure {
  code: number;
  headers?: Record<string, string>;
}

/** An HTTP answer's failure; a number outside HTTP's statuses (a DOMException's legacy `code`) is not one. */
function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error) || typeof error.code !== 'number' || error.code < 100) return undefined;
  return error as HttpFailure;
}

/** HubSpot answered with this HTTP status (404: the record is gone; 409: it exists already). */
export function hasHttpStatus(error: unknown, status: number): boolean {
  return httpFailure(error)?.code === status;
}

/** Connection failures worth another try: reset, refused, silent too long, cut mid-write. */
const networkFailures = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isRetryable(error: unknown): boolean {
  const failure = httpFailure(error);
  // fetch's network failure or its timeout (AbortSignal.timeout), or the agent's network failure.
  if (!failure) return error instanceof TypeError || (error as Error | null)?.name === 'TimeoutError' || networkFailures.has((error as { code?: unknown } | null)?.code as string);
  return failure.code === 429 || failure.code >= 500;
}

function delayBefore(attempt: number, error: unknown, options: BackoffOptions): number {
  const retryAfter = Number(httpFailure(error)?.headers?.['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1000, options.maxDelayMs);
  const exponential = options.baseDelayMs * 2 ** attempt;
  return Math.min(options.maxDelayMs, exponential / 2 + Math.random() * (exponential / 2));
}

/**
 * For a call that creates something: only failures that prove HubSpot did
 * nothing (rate limited, never connected). After a 5xx, a reset or a timeout
 * the object may exist, so a blind retry could make a second one.
 */
export function isRetryableCreate(error: unknown): boolean {
  return httpFailure(error)?.code === 429 || (error as { code?: unknown } | null)?.code === 'ECONNREFUSED';
}

export async function withBackoff<Result>(call: () => Promise<Result>, options: BackoffOptions = defaultBackoff, retryable: (error: unknown) => boolean = isRetryable): Promise<Result> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (httpFailure(error)?.code === 429) count('HubSpotRateLimited');
      if (attempt + 1 >= options.attempts || !retryable(error)) throw error;
      await options.sleep(delayBefore(attempt, error, options));
    }
  }
}
