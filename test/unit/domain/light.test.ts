import { describe, expect, it } from 'vitest';
import { describeIssues, LightThresholds, trafficLight } from '@touchpoints/contracts';

function problemsOf(input: unknown): string[] {
  const result = LightThresholds.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
}

describe('trafficLight with the default thresholds', () => {
  it.each([
    [1, 'red'],
    [5, 'red'],
    [6, 'yellow'],
    [7, 'yellow'],
    [8, 'green'],
    [10, 'green'],
  ] as const)('scores %i as %s', (score, light) => {
    expect(trafficLight(score)).toBe(light);
  });

  it.each([0, 11, 5.5, Number.NaN])('refuses the score %s', (score) => {
    expect(() => trafficLight(score)).toThrow(RangeError);
  });
});

describe('trafficLight with portal thresholds', () => {
  it('moves the boundaries to the configured values', () => {
    const strict = { redMax: 6, yellowMax: 8 };
    expect([6, 7, 8, 9].map((score) => trafficLight(score, strict))).toEqual(['red', 'yellow', 'yellow', 'green']);
  });

  it('keeps one score per colour at the tightest setting', () => {
    const tightest = { redMax: 8, yellowMax: 9 };
    expect([8, 9, 10].map((score) => trafficLight(score, tightest))).toEqual(['red', 'yellow', 'green']);
  });
});

describe('LightThresholds', () => {
  it.each([
    [{ redMax: 1, yellowMax: 2 }],
    [{ redMax: 5, yellowMax: 7 }],
    [{ redMax: 8, yellowMax: 9 }],
  ])('accepts %o', (thresholds) => {
    expect(problemsOf(thresholds)).toEqual([]);
  });

  it.each([
    [{ redMax: 0, yellowMax: 7 }, 'redMax: must be at least 1'],
    [{ redMax: 9, yellowMax: 9 }, 'redMax: must be at most 8 so yellow and green keep a score each'],
    [{ redMax: 5, yellowMax: 10 }, 'yellowMax: must be at most 9 so green keeps a score'],
    [{ redMax: 5, yellowMax: 1 }, 'yellowMax: must be at least 2'],
    [{ redMax: 6, yellowMax: 6 }, 'yellowMax: must be greater than redMax so yellow keeps a score'],
    [{ redMax: 7, yellowMax: 5 }, 'yellowMax: must be greater than redMax so yellow keeps a score'],
    [{ redMax: 4.5, yellowMax: 7 }, 'redMax: must be a whole number'],
    [{ redMax: '5', yellowMax: 7 }, 'redMax: must be a whole number'],
    [{ yellowMax: 7 }, 'redMax: must be a whole number'],
  ])('rejects %o naming the field', (thresholds, message) => {
    expect(problemsOf(thresholds)).toContain(message);
  });

  it('rejects unknown fields so a typo is not silently ignored', () => {
    expect(problemsOf({ redMax: 5, yellowMax: 7, greenMin: 8 })).toEqual([expect.stringMatching(/greenMin/)]);
  });
});
