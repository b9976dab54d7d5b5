import type { PipelineView } from '@touchpoints/contracts';

export interface SelectOption {
  label: string;
  value: string;
}

/**
 * The stages to choose from, keeping a chosen stage HubSpot no longer has visible (a Select
 * would otherwise show it blank and the admin would not see what is wrong).
 */
export function stageOptions(stages: PipelineView['stages'], chosenStageId: string): SelectOption[] {
  const options = stages.map((stage) => ({ label: stage.label, value: stage.id }));
  const chosenIsGone = chosenStageId !== '' && !stages.some((stage) => stage.id === chosenStageId);
  return chosenIsGone ? [...options, { label: `Unknown stage (${chosenStageId})`, value: chosenStageId }] : options;
}

/** The stages a deal reaches after `stageId`, in pipeline order: what a follow-up can promise. */
export function stagesAfter(pipeline: PipelineView | undefined, stageId: string): PipelineView['stages'] {
  if (!pipeline) return [];
  const index = pipeline.stages.findIndex((stage) => stage.id === stageId);
  return index === -1 ? pipeline.stages : pipeline.stages.slice(index + 1);
}
