/**
 * The local stack's time: the machine's, moved forward by the demo's offset
 * (`npm run demo -- advance 3h`, or the home page's button), so a survey due in
 * three hours, a reminder, a link's expiry or a promise's deadline can be seen
 * at once. Every λ, the HubSpot sandbox and the minute scheduler read this one
 * clock, so what the sandbox stamps on a webhook, what the events λ schedules,
 * what the survey λ records for a click and what the due λ settles agree. The
 * offset is kept in `.data/clock.json` across restarts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';

const minuteMs = 60_000;
const unitMs = { m: minuteMs, h: 60 * minuteMs, d: 24 * 60 * minuteMs } as const;

/** The longest step at once: a survey's link lives 30 days; a year covers every timer the app sets. */
const maxStepMs = 365 * unitMs.d;

const StoredClock = z.object({ offsetMs: z.int().nonnegative() });

/** "30m", "3h", "2d", "1h30m" → milliseconds; undefined for anything else (or nothing, or over a year). */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[dhm])+$/.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([dhm])/g)) ms += Number(amount) * unitMs[unit as keyof typeof unitMs];
  return ms > 0 && ms <= maxStepMs ? ms : undefined;
}

/** Milliseconds as the shortest duration `parseDuration` reads back, rounded up to the minute: "2h", "1d3h5m". */
export function formatDuration(ms: number): string {
  let minutes = Math.max(1, Math.ceil(ms / minuteMs));
  let text = '';
  for (const [unit, length] of [['d', 1440], ['h', 60], ['m', 1]] as const) {
    const amount = Math.floor(minutes / length);
    if (amount > 0) text += `${amount}${unit}`;
    minutes -= amount * length;
  }
  return text;
}

export class DemoClock {
  private constructor(
    private offset: number,
    /** Where the offset is kept; unset in tests, which run in memory. */
    private readonly statePath: string | undefined,
  ) {}

  /** The offset kept at `statePath` (none yet: the machine's time). */
  static async load(statePath: string | undefined): Promise<DemoClock> {
    if (!statePath) return new DemoClock(0, undefined);
    let stored: string;
    try {
      stored = await readFile(statePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DemoClock(0, statePath);
      throw error;
    }
    return new DemoClock(StoredClock.parse(JSON.parse(stored)).offsetMs, statePath);
  }

  /** How far ahead of the machine's time the stack runs. */
  get offsetMs(): number {
    return this.offset;
  }

  readonly now = (): Date => new Date(Date.now() + this.offset);

  readonly nowMs = (): number => Date.now() + this.offset;

  /** Moves the stack's time forward by `ms` and keeps the new offset. */
  async advance(ms: number): Promise<Date> {
    if (!Number.isInteger(ms) || ms <= 0) throw new RangeError(`the clock only moves forward, by whole milliseconds: ${ms}`);
    this.offset += ms;
    if (this.statePath) await writeFile(this.statePath, `${JSON.stringify({ offsetMs: this.offset })}\n`);
    return this.now();
  }
}
