import type { TouchpointDefinition } from '@touchpoints/contracts';

/** A deal entering a stage, as the webhook and the deal's own pipeline tell it. */
export interface DealStageEntry {
  pipelineId: string;
  stageId: string;
}

/**
 * The enabled touchpoints a deal starts by entering a stage. Only the stage
 * actually entered counts: a deal that skips stages or moves backwards starts
 * no touchpoint of a stage it passed over.
 */
export function touchpointsStartedBy(entry: DealStageEntry, touchpoints: readonly TouchpointDefinition[]): TouchpointDefinition[] {
  return touchpoints.filter(
    (touchpoint) =>
      touchpoint.enabled &&
      touchpoint.trigger.pipelineId === entry.pipelineId &&
      touchpoint.trigger.stageId === entry.stageId,
  );
}
