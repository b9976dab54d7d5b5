import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDate, formatDateTime } from '@touchpoints/contracts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a time shown to a person', () => {
  it.each([
    ['2025-06-03T08:00:00.000Z', 'Europe/Copenhagen', 'Jun 3, 2025, 10:00 AM GMT+2'],
    ['2025-12-03T08:00:00.000Z', 'Europe/Copenhagen', 'Dec 3, 2025, 9:00 AM GMT+1'],
    ['2025-06-03T08:00:00.000Z', 'America/New_York', 'Jun 3, 2025, 4:00 AM EDT'],
    ['2025-06-03T08:00:00.000Z', 'UTC', 'Jun 3, 2025, 8:00 AM UTC'],
  ])('gives %s in %s with the zone’s name: %s', (when, timeZone, shown) => {
    expect(formatDateTime(when, timeZone)).toBe(shown);
  });

  it('falls back to the runtime’s own zone, still named, for a zone it does not know', () => {
    vi.stubEnv('TZ', 'Asia/Tokyo');

    expect(formatDateTime(new Date('2025-06-03T08:00:00.000Z'), 'Mars/Olympus_Mons')).toBe('Jun 3, 2025, 5:00 PM GMT+9');
  });

  it('is the runtime’s own zone, named, when none is given (the local CLIs)', () => {
    vi.stubEnv('TZ', 'America/New_York');

    expect(formatDateTime('2025-06-03T08:00:00.000Z', undefined)).toBe('Jun 3, 2025, 4:00 AM EDT');
  });
});

describe('a date shown to a person', () => {
  it('is the day it is in the portal’s zone', () => {
    const lateEvening = '2025-06-03T23:30:00.000Z';

    expect([formatDate(lateEvening, 'Europe/Copenhagen'), formatDate(lateEvening, 'America/New_York')]).toEqual(['Jun 4, 2025', 'Jun 3, 2025']);
  });
});
