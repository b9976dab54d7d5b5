import type { Duration, Phase, PipelineView, SettingsView, SurveyLanguage, TrafficLight } from '@touchpoints/contracts';

export const phaseLabels: Record<Phase, string> = {
  influence: 'Influence',
  pre_purchase: 'Before purchase',
  purchase: 'Purchase',
  post_purchase: 'After purchase',
};

export const languageNames: Record<SurveyLanguage, string> = {
  en: 'English',
  da: 'Danish',
  nb: 'Norwegian',
};

export type DurationUnit = Duration['unit'];

export const durationUnitOptions: { label: string; value: DurationUnit }[] = [
  { label: 'minutes', value: 'minutes' },
  { label: 'hours', value: 'hours' },
  { label: 'days', value: 'days' },
];

/** "Car sales › Offer sent"; ids stand in for what HubSpot no longer has, so nothing is silently blank. */
export function triggerLabel(pipelines: readonly PipelineView[], pipelineId: string, stageId: string): string {
  const pipeline = pipelines.find((candidate) => candidate.id === pipelineId);
  if (!pipeline) return `Unknown pipeline (${pipelineId}) › ${stageId}`;
  const stage = pipeline.stages.find((candidate) => candidate.id === stageId);
  return `${pipeline.label} › ${stage ? stage.label : `Unknown stage (${stageId})`}`;
}

// Times are shown as everywhere else: in the portal's zone, with the zone's name.
export { formatDateTime } from '@touchpoints/contracts';

/** "1 touchpoint", "2 touchpoints". */
export function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** What a cell shows without a value. */
export const noValue = '—';

/** A mean to one decimal, or `noValue`. */
export function formatMean(mean: number | null): string {
  return mean === null ? noValue : mean.toFixed(1);
}

/** The lights as the report's charts name and colour their bars. */
export const lightChartNames: Record<TrafficLight, string> = { red: 'Red', yellow: 'Yellow', green: 'Green' };
export const lightChartColors = { Red: 'darkOrange', Yellow: 'yellow', Green: 'green' } as const;

/** The owner's name as HubSpot has it; the id stands in for one HubSpot no longer lists. */
export function ownerName(owners: readonly SettingsView['owners'][number][], ownerId: string | null): string {
  return ownerId === null ? 'No owner' : (owners.find(({ id }) => id === ownerId)?.name ?? `Owner ${ownerId}`);
}
