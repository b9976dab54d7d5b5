import type { TouchpointDefinition } from '../../crm-app/src/app/shared/touchpoint.js';

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

/**
 * Touchpoints pointing at a stage the portal no longer has (renamed pipelines
 * keep ids, deleted stages do not): flagged in settings, never silently skipped.
 */
export function touchpointsWithUnknownStage(
  touchpoints: readonly TouchpointDefinition[],
  stageIdsByPipeline: ReadonlyMap<string, ReadonlySet<string>>,
): TouchpointDefinition[] {
  return touchpoints.filter((touchpoint) => {
    const stages = stageIdsByPipeline.get(touchpoint.trigger.pipelineId);
    const followUpStage = touchpoint.followUp?.expect === 'stage' ? touchpoint.followUp.stageId : undefined;
    return !stages || !stages.has(touchpoint.trigger.stageId) || (followUpStage !== undefined && !stages.has(followUpStage));
  });
}
