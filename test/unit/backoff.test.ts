import { describe, expect, it } from 'vitest';
import { isRetryable, isRetryableCreate, withBackoff } from '../../lambdas/hubspot/backoff.js';

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${code}`);
  }
}

function failing(...errors: Error[]) {
  let calls = 0;
  const call = async () => {
    const error = errors[calls];
    calls += 1;
    if (error) throw error;
    return 'done';
  };
  return { call, calls: () => calls };
}

const waits: number[] = [];
const options = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, sleep: async (ms: number) => void waits.push(ms) };

describe('withBackoff', () => {
  it('retries a 429 and a 5xx until the call succeeds', async () => {
    const flaky = failing(new HttpError(429), new HttpError(503));
    await expect(withBackoff(flaky.call, options)).resolves.toBe('done');
    expect(flaky.calls()).toBe(3);
  });

  it('waits as long as Retry-After says, within the cap', async () => {
    waits.length = 0;
    await withBackoff(failing(new HttpError(429, { 'retry-after': '2' })).call, options);
    expect(waits).toEqual([2_000]);
  });

  it('waits longer after each failure, never past the cap', async () => {
    waits.length = 0;
    await withBackoff(failing(new HttpError(500), new HttpError(500), new HttpError(500)).call, options);
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[2]).toBeGreaterThanOrEqual(200);
    expect(waits[2]).toBeLessThanOrEqual(400);
  });

  it('gives up after the last attempt with the last error', async () => {
    const down = failing(...Array.from({ length: 4 }, () => new HttpError(502)));
    await expect(withBackoff(down.call, options)).rejects.toThrow('HTTP 502');
    expect(down.calls()).toBe(4);
  });

  it('does not retry what a retry cannot fix', async () => {
    const refused = failing(new HttpError(400));
    await expect(withBackoff(refused.call, options)).rejects.toThrow('HTTP 400');
    expect(refused.calls()).toBe(1);
  });
});

describe('isRetryable', () => {
  it.each([
    [new HttpError(429), true],
    [new HttpError(500), true],
    [new HttpError(401), false],
    [new HttpError(404), false],
    [new TypeError('fetch failed'), true],
    [Object.assign(new Error('HubSpot sent nothing for 10000 ms'), { code: 'ETIMEDOUT' }), true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    [Object.assign(new Error('no such file'), { code: 'ENOENT' }), false],
    [new Error('bug'), false],
  ])('says %s is retryable: %s', (error, retryable) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});

describe('isRetryableCreate', () => {
  it.each([
    [new HttpError(429), true],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
    [new HttpError(503), false],
    [Object.assign(new Error('HubSpot sent nothing for 10000 ms'), { code: 'ETIMEDOUT' }), false],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false],
  ])('retries a create after %s only when HubSpot surely made nothing: %s', (error, retryable) => {
    expect(isRetryableCreate(error)).toBe(retryable);
  });
});

describe('a fetch that timed out', () => {
  it('is tried again like a broken connection, not taken for HTTP status 23', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(timeout.code).toBe(23);
    expect(isRetryable(timeout)).toBe(true);
  });
});
