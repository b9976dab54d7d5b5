import type { Duration, Phase, PipelineView, SurveyLanguage } from '@touchpoints/contracts';

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
