import { StatusTag } from '@hubspot/ui-extensions';
import type { TouchpointReport, TrafficLight } from '@touchpoints/contracts';
import { formatMean } from './format.js';

export const lightVariants: Record<TrafficLight, 'danger' | 'warning' | 'success'> = { red: 'danger', yellow: 'warning', green: 'success' };

/** A touchpoint's mean, coloured by its light. */
export function LightTag({ stats }: { stats: TouchpointReport['stats'] }) {
  return <StatusTag variant={stats.light ? lightVariants[stats.light] : 'default'}>{stats.mean === null ? 'No answers' : `Mean ${formatMean(stats.mean)}`}</StatusTag>;
}
