import type { Phase } from '@touchpoints/contracts';

export const phaseHeadings: Record<Phase, string> = {
  influence: 'Influence',
  pre_purchase: 'Before purchase',
  purchase: 'Purchase',
  post_purchase: 'After purchase',
};

/** "1 answer", "2 answers". */
export function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

// Times and dates are shown as everywhere else (in the portal's zone, a time with the zone's name).
export { formatDate, formatDateTime } from '@touchpoints/contracts';

export function formatScore(score: number): string {
  return `${score}/10`;
}

const meanFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** "mean 5.5 from 2 answers". */
export function formatMean(mean: number, responses: number): string {
  return `mean ${meanFormat.format(mean)} from ${countOf(responses, 'answer', 'answers')}`;
}

/** "3 days overdue"; a promise missed today is less than a day late. */
export function formatOverdue(daysOverdue: number): string {
  return daysOverdue === 0 ? 'less than a day overdue' : `${countOf(daysOverdue, 'day', 'days')} overdue`;
}

/** "1 day 22 hours left", "45 minutes left"; a promise due now has "no time left". */
export function formatTimeLeft(minutesLeft: number): string {
  if (minutesLeft === 0) return 'no time left';
  const days = Math.floor(minutesLeft / 1440);
  const hours = Math.floor((minutesLeft % 1440) / 60);
  const minutes = minutesLeft % 60;
  const parts = days > 0 ? [countOf(days, 'day', 'days'), hours > 0 && countOf(hours, 'hour', 'hours')] : hours > 0 ? [countOf(hours, 'hour', 'hours'), minutes > 0 && countOf(minutes, 'minute', 'minutes')] : [countOf(minutes, 'minute', 'minutes')];
  return `${parts.filter(Boolean).join(' ')} left`;
}
