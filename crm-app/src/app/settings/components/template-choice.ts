import { describeIssues, type PipelineView, TemplateChoice as TemplateChoiceSchema, type TemplateView } from '@touchpoints/contracts';
import type { TemplateChoice } from '../hooks/settings-api-client.js';
import type { Validation } from '../hooks/useSaveFlow.js';
import { placeProblems, type FieldProblems } from './field-problems.js';

/** Each step on the stage of the same name, where the pipeline has one: most portals name them alike. */
export function stagesMatchingSteps(template: TemplateView, pipeline: PipelineView | undefined): Record<string, string> {
  const stageOfStep: Record<string, string> = {};
  for (const step of template.steps) {
    const namesake = pipeline?.stages.find((stage) => stage.label.trim().toLowerCase() === step.label.trim().toLowerCase());
    if (namesake) stageOfStep[step.id] = namesake.id;
  }
  return stageOfStep;
}

/** Every step but an optional one needs a stage (the contract's record cannot say which steps a template has), then the contract's schema. */
export function validateTemplateChoice(
  template: TemplateView,
  pipelineId: string,
  stageOfStep: Record<string, string>,
): Validation<TemplateChoice> {
  const problems: string[] = [];
  if (pipelineId === '') problems.push('pipelineId: choose a pipeline');
  for (const step of template.steps) {
    if (!step.optional && !stageOfStep[step.id]) problems.push(`stageOfStep.${step.id}: choose the stage for this step`);
  }
  if (problems.length > 0) return { valid: false, problems };
  const parsed = TemplateChoiceSchema.safeParse({ pipelineId, stageOfStep });
  return parsed.success ? { valid: true, value: parsed.data } : { valid: false, problems: describeIssues(parsed.error) };
}

/** The mapping form's inputs: the pipeline, and one stage per step ("stageOfStep.<stepId>"). */
export function placeTemplateProblems(lines: readonly string[], template: TemplateView): FieldProblems<string> {
  const stepPaths = new Set(template.steps.map((step) => `stageOfStep.${step.id}`));
  return placeProblems(lines, (path) => (path === 'pipelineId' || stepPaths.has(path) ? path : undefined));
}
