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

function dateTimeFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone });
  } catch {
    // An unknown zone name would throw and blank the page; the viewer's own zone is close enough.
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
  }
}

/** "May 12, 2025, 12:00 PM" in the portal's time zone, so every admin sees the same time. */
export function formatDateTime(isoDateTime: string, timeZone: string | undefined): string {
  return dateTimeFormat(timeZone).format(new Date(isoDateTime));
}

/** "1 touchpoint", "2 touchpoints". */
export function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
