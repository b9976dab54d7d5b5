/** The due λ never reads further back than this in one run; a longer outage is caught up over runs. */
export const maxCatchUpMinutes = 120;
const minuteMs = 60_000;

/** The minute bucket a time falls in, as GSI1 keys it: `2026-11-25T09:41`. */
export function dueMinute(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * The minute buckets one run of the due λ reads: from the minute before the
 * last run's (timers written during that run may have landed in it) up to
 * and including the current minute, at most `maxCatchUpMinutes` of them.
 */
export function dueMinutesToRead(lastRunMinute: string | undefined, now: Date): string[] {
  const current = Math.floor(now.getTime() / minuteMs) * minuteMs;
  const earliest = current - (maxCatchUpMinutes - 1) * minuteMs;
  const start = lastRunMinute === undefined ? earliest : Math.max(earliest, Date.parse(`${lastRunMinute}:00.000Z`) - minuteMs);
  const minutes: string[] = [];
  for (let at = Math.min(start, current); at <= current; at += minuteMs) minutes.push(dueMinute(new Date(at)));
  return minutes;
}
