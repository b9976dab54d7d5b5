import { describe, expect, it } from 'vitest';
import { markdownTable, percentile } from '../../bench/measure.js';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it('takes the value at the rank, not an interpolation', () => {
    expect([percentile(hundred, 0.5), percentile(hundred, 0.99), percentile(hundred, 1)]).toEqual([50, 99, 100]);
  });

  it('is the only value of a single sample and NaN of none', () => {
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('markdownTable', () => {
  it('leaves a figure a benchmark did not measure empty', () => {
    expect(markdownTable([{ benchmark: 'store', measure: 'raw', perSecond: 1234.4 }]).split('\n')[2]).toBe('| store | raw |  |  | 1234 |  |');
  });
});
