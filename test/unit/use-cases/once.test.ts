import { beforeEach, describe, expect, it } from 'vitest';
import { claimLeaseMs } from '../../../lambdas/domain/journey.js';
import { OnceEffects } from '../../../lambdas/journeys/once.js';
import { InMemoryLedger } from '../../support/in-memory-store.js';

const portalId = 24681357;
const key = 'task-missed-301-offer';
const start = new Date('2026-11-25T10:00:00.000Z');

let clock: Date;
let ledger: InMemoryLedger;
let once: OnceEffects;
let made: string[];

/** An effect that makes `result` (a HubSpot task id, an SES message id) and counts each time it runs. */
const effect = (result: string) => async () => {
  made.push(result);
  return result;
};
const failing = (message: string) => async (): Promise<string> => {
  made.push('attempt');
  throw new Error(message);
};

beforeEach(() => {
  clock = start;
  ledger = new InMemoryLedger(() => clock);
  once = new OnceEffects({ store: ledger, now: () => clock });
  made = [];
});

describe('OnceEffects.run', () => {
  it('claims, does the effect, then remembers its result', async () => {
    await once.run(portalId, key, effect('task-1'));
    expect(made).toEqual(['task-1']);
    expect(ledger.calls).toEqual([`claimOnce ${key}`, `rememberOnce ${key} task-1`]);
    expect(ledger.entry(portalId, key)?.result).toBe('task-1');
  });

  it('skips an effect already done, without looking it up', async () => {
    await once.run(portalId, key, effect('task-1'));
    let lookedUp = false;
    await once.run(portalId, key, effect('task-2'), async () => {
      lookedUp = true;
      return 'task-1';
    });
    expect(made).toEqual(['task-1']);
    expect(lookedUp).toBe(false);
    expect(ledger.entry(portalId, key)?.result).toBe('task-1');
  });

  it('keeps the keys of each portal apart', async () => {
    await once.run(portalId, key, effect('task-1'));
    await once.run(portalId + 1, key, effect('task-2'));
    expect(made).toEqual(['task-1', 'task-2']);
  });

  it('fails, doing nothing, while another run’s claim is in flight and nothing says the effect happened', async () => {
    await ledger.claimOnce(portalId, key, start);
    clock = new Date(start.getTime() + claimLeaseMs - 1);
    await expect(once.run(portalId, key, effect('task-2'))).rejects.toThrow(`${key} is being done by another run; retrying later`);
    await expect(once.run(portalId, key, effect('task-2'), async () => undefined)).rejects.toThrow('being done by another run');
    expect(made).toEqual([]);
    expect(ledger.calls.filter((call) => !call.startsWith('claimOnce'))).toEqual([]);
    expect(ledger.entry(portalId, key)).toEqual({ claimedAt: start });
  });

  it('remembers what a run still in flight already made', async () => {
    await ledger.claimOnce(portalId, key, start);
    clock = new Date(start.getTime() + 1_000);
    await once.run(portalId, key, effect('task-2'), async () => 'task-1');
    expect(made).toEqual([]);
    expect(ledger.entry(portalId, key)?.result).toBe('task-1');
  });

  it('takes over a dead run’s claim and, finding its effect, remembers it without repeating it', async () => {
    await ledger.claimOnce(portalId, key, start);
    clock = new Date(start.getTime() + claimLeaseMs);
    await once.run(portalId, key, effect('task-2'), async () => 'task-1');
    expect(made).toEqual([]);
    expect(ledger.calls.at(-1)).toBe(`rememberOnce ${key} task-1`);
    expect(ledger.entry(portalId, key)?.result).toBe('task-1');
  });

  it('takes over a dead run’s claim and does the effect when nothing shows it happened', async () => {
    await ledger.claimOnce(portalId, key, start);
    clock = new Date(start.getTime() + claimLeaseMs);
    await once.run(portalId, key, effect('task-2'), async () => undefined);
    expect(made).toEqual(['task-2']);
    expect(ledger.entry(portalId, key)?.result).toBe('task-2');
  });

  it('releases the claim of a failed effect that cannot be looked up (a mail): the next run does it', async () => {
    await expect(once.run(portalId, key, failing('SES refused'))).rejects.toThrow('SES refused');
    expect(ledger.calls).toEqual([`claimOnce ${key}`, `releaseOnce ${key}`]);
    expect(ledger.entry(portalId, key)).toBeUndefined();
    await once.run(portalId, key, effect('message-1'));
    expect(made).toEqual(['attempt', 'message-1']);
    expect(ledger.calls.at(-2)).toBe(`claimOnce ${key}`);
  });

  it('lapses the claim of a failed effect that can be looked up: the next run looks first', async () => {
    await expect(once.run(portalId, key, failing('HubSpot timed out'), async () => undefined)).rejects.toThrow('HubSpot timed out');
    expect(ledger.calls).toEqual([`claimOnce ${key}`, `lapseOnce ${key}`]);
    expect(ledger.entry(portalId, key)).toEqual({ claimedAt: new Date(0) });
    // At once, not a lease later: the task was made after all, and the retry finds it.
    await once.run(portalId, key, effect('task-2'), async () => 'task-1');
    expect(made).toEqual(['attempt']);
    expect(ledger.entry(portalId, key)?.result).toBe('task-1');
  });

  it('keeps the claim when remembering fails after the effect: a retry does not repeat it', async () => {
    ledger.failRemember = true;
    await expect(once.run(portalId, key, effect('message-1'))).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(ledger.calls).not.toContain(`releaseOnce ${key}`);
    expect(ledger.calls).not.toContain(`lapseOnce ${key}`);
    await expect(once.run(portalId, key, effect('message-2'))).rejects.toThrow('being done by another run');
    expect(made).toEqual(['message-1']);
  });
});
