import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DemoClock, formatDuration, parseDuration } from '../../../local/demo-clock.js';
import { startMinuteScheduler } from '../../../local/scheduler.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'touchpoints-clock-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

describe('the demo clock’s durations', () => {
  it.each([
    ['30m', 30 * minute],
    ['3h', 3 * hour],
    ['2d', 2 * day],
    ['1h30m', 90 * minute],
    ['1d2h5m', day + 2 * hour + 5 * minute],
    [' 2H ', 2 * hour],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '3', 'h', '-1h', '1.5h', '3 h', '2w', '0m', '366d'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [2 * hour, '2h'],
    [2 * hour - 1, '2h'],
    [2 * day + 3 * hour + 1, '2d3h1m'],
    [1, '1m'],
    [0, '1m'],
  ])('writes %i ms as %j, rounded up to the minute, which it reads back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBeGreaterThanOrEqual(ms);
  });
});

describe('the demo clock', () => {
  it('runs on the machine’s time until it is advanced, then that much ahead', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z') });
    const clock = await DemoClock.load(undefined);
    expect(clock.now().toISOString()).toBe('2026-12-04T12:00:00.000Z');
    await clock.advance(3 * hour);
    vi.advanceTimersByTime(minute);
    expect([clock.now().toISOString(), clock.nowMs(), clock.offsetMs]).toEqual(['2026-12-04T15:01:00.000Z', Date.parse('2026-12-04T15:01:00Z'), 3 * hour]);
  });

  it('keeps its offset in its file, so a clock loaded from it again is as far ahead', async () => {
    const statePath = join(dataDir, 'kept.json');
    await (await DemoClock.load(statePath)).advance(2 * hour);
    await (await DemoClock.load(statePath)).advance(30 * minute);
    expect([(await DemoClock.load(statePath)).offsetMs, JSON.parse(await readFile(statePath, 'utf8'))]).toEqual([150 * minute, { offsetMs: 150 * minute }]);
  });

  it('starts at the machine’s time when its file does not exist yet', async () => {
    expect((await DemoClock.load(join(dataDir, 'none-yet.json'))).offsetMs).toBe(0);
  });

  it('refuses a file that is not its own rather than running at a wrong time', async () => {
    const statePath = join(dataDir, 'wrong.json');
    await writeFile(statePath, '{"offsetMs":"3h"}');
    await expect(DemoClock.load(statePath)).rejects.toThrow();
  });

  it('only moves forward', async () => {
    const clock = await DemoClock.load(undefined);
    await expect(clock.advance(-hour)).rejects.toThrow(RangeError);
    await expect(clock.advance(0)).rejects.toThrow(RangeError);
    expect(clock.offsetMs).toBe(0);
  });
});

describe('the minute scheduler', () => {
  it('runs the due λ every minute at the time its clock tells, advanced or not', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z') });
    const clock = await DemoClock.load(undefined);
    const times: string[] = [];
    const scheduler = startMinuteScheduler(async ({ time }) => times.push(time), { now: clock.now });
    await vi.advanceTimersByTimeAsync(minute);
    await clock.advance(2 * hour);
    await vi.advanceTimersByTimeAsync(minute);
    await scheduler.stop();
    expect(times).toEqual(['2026-12-04T12:01:00.000Z', '2026-12-04T14:02:00.000Z']);
  });

  it('answers runAt with that run’s own report', async () => {
    const scheduler = startMinuteScheduler(async ({ time }) => ({ ranAt: time }));
    await expect(scheduler.runAt(new Date('2026-12-04T15:00:00Z'))).resolves.toEqual({ ranAt: '2026-12-04T15:00:00.000Z' });
    await scheduler.stop();
  });
});
