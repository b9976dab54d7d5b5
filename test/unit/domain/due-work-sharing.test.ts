import { describe, expect, it } from 'vitest';
import { fairBatches, hasTimeForAnotherTimer, SendPace, sendRateHeadroom, senderSafetyMarginMs, slowestSendIntervalMs, timersToHandOut } from '../../../lambdas/domain/due-work-sharing.js';

const timersOf = (portalId: number, count: number) => Array.from({ length: count }, (_, index) => ({ portalId, id: `${portalId}-${index}` }));

describe('fairBatches', () => {
  it('puts a small portal’s timers in the second batch though a large portal’s thousand come first', () => {
    const batches = fairBatches([...timersOf(1, 1000), ...timersOf(2, 3)], 10);
    expect(batches).toHaveLength(101);
    expect(batches[1]).toEqual(timersOf(2, 3));
  });

  it('takes the portals round-robin, a batch of each per round', () => {
    const batches = fairBatches([...timersOf(1, 25), ...timersOf(2, 12), ...timersOf(3, 5)], 10);
    expect(batches.map((batch) => [batch[0]!.portalId, batch.length])).toEqual([
      [1, 10],
      [2, 10],
      [3, 5],
      [1, 10],
      [2, 2],
      [1, 5],
    ]);
  });

  it('keeps each portal’s timers in the order given and every timer once', () => {
    const timers = [...timersOf(1, 7), ...timersOf(2, 4), ...timersOf(1, 3).map((timer) => ({ ...timer, id: `late-${timer.id}` }))];
    const batches = fairBatches(timers, 4);
    expect(batches.flat()).toHaveLength(timers.length);
    expect(batches.flat().filter(({ portalId }) => portalId === 1)).toEqual(timers.filter(({ portalId }) => portalId === 1));
    expect(batches.every((batch) => batch.length <= 4 && new Set(batch.map(({ portalId }) => portalId)).size === 1)).toBe(true);
  });

  it('makes no batch of no timers', () => {
    expect(fairBatches([], 10)).toEqual([]);
  });
});

describe('hasTimeForAnotherTimer', () => {
  it('takes no new timer with 5 s of the run left', () => {
    expect(hasTimeForAnotherTimer(5_000)).toBe(false);
  });

  it('takes one while more than the safety margin is left', () => {
    expect(hasTimeForAnotherTimer(senderSafetyMarginMs + 1)).toBe(true);
    expect(hasTimeForAnotherTimer(senderSafetyMarginMs)).toBe(false);
  });
});

describe('timersToHandOut', () => {
  it('hands out a minute of sending at SES’s rate', () => {
    expect(timersToHandOut(14, 0)).toBe(840);
  });

  it('counts what the queue still holds against it', () => {
    expect(timersToHandOut(14, 800)).toBe(40);
    expect(timersToHandOut(14, 5_000)).toBe(0);
  });
});

describe('SendPace', () => {
  it('gives each of 4 senders a quarter of the rate, with headroom', () => {
    const pace = SendPace.forShare(40, 4);
    expect(pace.currentIntervalMs).toBeCloseTo(100 / sendRateHeadroom);
  });

  it('sends at once first, then waits out the gap since the last send', () => {
    const pace = new SendPace(100);
    expect(pace.waitBeforeSendMs(1_000)).toBe(0);
    pace.sending(1_000);
    expect(pace.waitBeforeSendMs(1_030)).toBe(70);
    expect(pace.waitBeforeSendMs(1_200)).toBe(0);
  });

  it('slows down when SES throttles, up to the slowest pace', () => {
    const pace = new SendPace(200);
    pace.throttled();
    expect(pace.currentIntervalMs).toBe(400);
    for (let index = 0; index < 10; index += 1) pace.throttled();
    expect(pace.currentIntervalMs).toBe(slowestSendIntervalMs);
  });

  it('creeps back to its share as SES accepts mail again, never faster', () => {
    const pace = new SendPace(200);
    pace.throttled();
    pace.accepted();
    expect(pace.currentIntervalMs).toBe(380);
    for (let index = 0; index < 200; index += 1) pace.accepted();
    expect(pace.currentIntervalMs).toBeCloseTo(200);
    expect(pace.currentIntervalMs).toBeGreaterThanOrEqual(200);
  });
});
