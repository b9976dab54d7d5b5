import type { SurveyLanguage } from './language.js';
import type { SurveyQuestion, TouchpointDefinition } from './touchpoint.js';

/** A deal pipeline as HubSpot has it now. */
export interface PipelineStages {
  id: string;
  label: string;
  /** `closedAs`: the deal is won or lost in this stage, as HubSpot's stage metadata says; absent for an open stage. */
  stages: { id: string; label: string; closedAs?: 'won' | 'lost' }[];
}

/**
 * What is wrong with a touchpoint in this portal, beyond its own schema: a
 * pipeline or stage HubSpot no longer has (deleted or never there), or no
 * question in the portal's default language. Each problem names its field.
 */
export function touchpointProblems(touchpoint: TouchpointDefinition, portal: { pipelines: readonly PipelineStages[]; defaultLanguage: SurveyLanguage }): string[] {
  const problems: string[] = [];
  const pipeline = portal.pipelines.find(({ id }) => id === touchpoint.trigger.pipelineId);
  const hasStage = (stageId: string) => pipeline?.stages.some(({ id }) => id === stageId) ?? false;
  if (!pipeline) {
    problems.push(`trigger.pipelineId: no deal pipeline ${touchpoint.trigger.pipelineId} in this portal`);
  } else {
    if (!hasStage(touchpoint.trigger.stageId)) problems.push(`trigger.stageId: no stage ${touchpoint.trigger.stageId} in pipeline ${pipeline.label}`);
    if (touchpoint.followUp?.expect === 'stage' && !hasStage(touchpoint.followUp.stageId)) {
      problems.push(`followUp.stageId: no stage ${touchpoint.followUp.stageId} in pipeline ${pipeline.label}`);
    }
  }
  return [...problems, ...defaultLanguageProblems(touchpoint.question, portal.defaultLanguage)];
}

/**
 * The portal's default language must have a question: it is the one asked
 * of every contact whose own language has none. The touchpoint schema cannot
 * hold this rule, as it does not know the portal's default.
 */
export function defaultLanguageProblems(question: SurveyQuestion, defaultLanguage: SurveyLanguage): string[] {
  return question[defaultLanguage] === undefined ? [`question.${defaultLanguage}: is required, as it is the portal's default language`] : [];
}
