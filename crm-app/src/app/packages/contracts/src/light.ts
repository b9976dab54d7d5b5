import { z } from 'zod';

export const lowestScore = 1;
export const highestScore = 10;

/** A customer's rating of one touchpoint. */
export const Score = z
  .int({ error: 'must be a whole number' })
  .min(lowestScore, { error: `must be at least ${lowestScore}` })
  .max(highestScore, { error: `must be at most ${highestScore}` });
export type Score = z.infer<typeof Score>;

export const trafficLights = ['red', 'yellow', 'green'] as const;
export const TrafficLight = z.enum(trafficLights);
export type TrafficLight = z.infer<typeof TrafficLight>;

/**
 * Where red ends and yellow ends: red is 1..redMax, yellow redMax+1..yellowMax,
 * green yellowMax+1..10. Every colour keeps at least one score.
 */
export const LightThresholds = z
  .object({
    redMax: z
      .int({ error: 'must be a whole number' })
      .min(lowestScore, { error: `must be at least ${lowestScore}` })
      .max(highestScore - 2, { error: `must be at most ${highestScore - 2} so yellow and green keep a score each` }),
    yellowMax: z
      .int({ error: 'must be a whole number' })
      .min(lowestScore + 1, { error: `must be at least ${lowestScore + 1}` })
      .max(highestScore - 1, { error: `must be at most ${highestScore - 1} so green keeps a score` }),
  })
  .strict()
  .refine((thresholds) => thresholds.yellowMax > thresholds.redMax, {
    error: 'must be greater than redMax so yellow keeps a score',
    path: ['yellowMax'],
  });
export type LightThresholds = z.infer<typeof LightThresholds>;

export const defaultLightThresholds: LightThresholds = { redMax: 5, yellowMax: 7 };

export function trafficLight(score: Score, thresholds: LightThresholds = defaultLightThresholds): TrafficLight {
  if (!Number.isInteger(score) || score < lowestScore || score > highestScore) {
    throw new RangeError(`score must be a whole number from ${lowestScore} to ${highestScore}, got ${score}`);
  }
  if (score <= thresholds.redMax) return 'red';
  if (score <= thresholds.yellowMax) return 'yellow';
  return 'green';
}
