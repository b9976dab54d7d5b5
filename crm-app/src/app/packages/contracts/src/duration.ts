import { z } from 'zod';

/** One day in milliseconds: the one definition every rule counting days uses. */
export const dayMs = 86_400_000;

const millisecondsPer = { minutes: 60_000, hours: 3_600_000, days: dayMs } as const;
const longestDurationDays = 365;

export interface Duration {
  amount: number;
  unit: keyof typeof millisecondsPer;
}

export function durationMs(duration: Duration): number {
  return duration.amount * millisecondsPer[duration.unit];
}

/** A span an admin types in the settings page: "2 days", "4 hours". */
export const Duration = z
  .object({
    amount: z.int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }),
    unit: z.enum(['minutes', 'hours', 'days'], { error: 'must be minutes, hours or days' }),
  })
  .strict()
  .refine((duration) => durationMs(duration) <= longestDurationDays * millisecondsPer.days, {
    error: `must not be longer than ${longestDurationDays} days`,
    path: ['amount'],
  });
