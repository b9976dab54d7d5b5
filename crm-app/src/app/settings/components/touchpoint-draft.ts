import { defaultLanguageProblems, describeIssues, type Phase, type PipelineView, type SurveyLanguage, surveyLanguages, TouchpointDefinition } from '@touchpoints/contracts';
import type { Validation } from '../hooks/useSaveFlow.js';
import { placeProblems, type FieldProblems } from './field-problems.js';
import { languageNames, type DurationUnit } from './format.js';

/** A number input the admin may have cleared: the schema, not the input, says what is missing. */
export interface DurationDraft {
  amount: number | undefined;
  unit: DurationUnit;
}

export type FollowUpKind = 'none' | 'stage' | 'engagement';

/** The editor's inputs as typed, before the schema has had its say. */
export interface TouchpointDraft {
  id: string;
  name: string;
  phase: Phase;
  pipelineId: string;
  stageId: string;
  question: Record<SurveyLanguage, string>;
  /** What customers call it, per language; blank falls back to `name`. */
  customerName: Record<SurveyLanguage, string>;
  sendDelay: DurationDraft;
  followUp: { kind: FollowUpKind; stageId: string; within: DurationDraft };
  enabled: boolean;
  /** Its question is about the whole experience; the report explains it by the other touchpoints. */
  measuresOverall: boolean;
  afterLostDeal: boolean;
  position: number | undefined;
}

/**
 * The inputs of the editor that can show a problem, named by the path of the touchpoint field
 * each one edits (a Toggle has no place for a message: `enabled` problems go in the alert).
 */
export type TouchpointField =
  | 'id'
  | 'name'
  | 'phase'
  | 'trigger.pipelineId'
  | 'trigger.stageId'
  | `question.${SurveyLanguage}`
  | `customerName.${SurveyLanguage}`
  | 'sendDelay.amount'
  | 'sendDelay.unit'
  | 'followUp.expect'
  | 'followUp.stageId'
  | 'followUp.within.amount'
  | 'followUp.within.unit'
  | 'position';

const fieldOfPath: Record<string, TouchpointField> = {
  id: 'id',
  name: 'name',
  phase: 'phase',
  trigger: 'trigger.pipelineId',
  'trigger.type': 'trigger.pipelineId',
  'trigger.pipelineId': 'trigger.pipelineId',
  'trigger.stageId': 'trigger.stageId',
  'question.en': 'question.en',
  'question.da': 'question.da',
  'question.nb': 'question.nb',
  'customerName.en': 'customerName.en',
  'customerName.da': 'customerName.da',
  'customerName.nb': 'customerName.nb',
  sendDelay: 'sendDelay.amount',
  'sendDelay.amount': 'sendDelay.amount',
  'sendDelay.unit': 'sendDelay.unit',
  followUp: 'followUp.expect',
  'followUp.expect': 'followUp.expect',
  'followUp.stageId': 'followUp.stageId',
  'followUp.within': 'followUp.within.amount',
  'followUp.within.amount': 'followUp.within.amount',
  'followUp.within.unit': 'followUp.within.unit',
  position: 'position',
};

const fieldLabels: Record<TouchpointField, string> = {
  id: 'Id',
  name: 'Name',
  phase: 'Phase',
  'trigger.pipelineId': 'Pipeline',
  'trigger.stageId': 'Stage',
  'question.en': `Question in ${languageNames.en}`,
  'question.da': `Question in ${languageNames.da}`,
  'question.nb': `Question in ${languageNames.nb}`,
  'customerName.en': `What customers call it in ${languageNames.en}`,
  'customerName.da': `What customers call it in ${languageNames.da}`,
  'customerName.nb': `What customers call it in ${languageNames.nb}`,
  'sendDelay.amount': 'Send delay',
  'sendDelay.unit': 'Send delay',
  'followUp.expect': 'Follow-up promise',
  'followUp.stageId': 'Follow-up stage',
  'followUp.within.amount': 'Follow-up time',
  'followUp.within.unit': 'Follow-up time',
  position: 'Position',
};

/** Each problem beside its input; "question" as a whole belongs to the default language's question. */
export function placeTouchpointProblems(
  lines: readonly string[],
  defaultLanguage: SurveyLanguage,
): FieldProblems<TouchpointField> {
  return placeProblems(lines, (path) => (path === 'question' ? `question.${defaultLanguage}` : fieldOfPath[path]));
}

/** "trigger.stageId: no stage …" as the admin reads it on the list: "Stage: no stage …". */
export function touchpointProblemInWords(line: string, defaultLanguage: SurveyLanguage): string {
  const placed = placeTouchpointProblems([line], defaultLanguage);
  const [field] = Object.keys(placed.beside) as TouchpointField[];
  const message = field && placed.beside[field]?.[0];
  return field && message ? `${fieldLabels[field]}: ${message}` : line;
}

const noQuestion: Record<SurveyLanguage, string> = { en: '', da: '', nb: '' };

/** A blank touchpoint on the first pipeline: a survey one day after the stage, no promise. */
export function newTouchpointDraft(pipelines: readonly PipelineView[]): TouchpointDraft {
  return {
    id: '',
    name: '',
    phase: 'pre_purchase',
    pipelineId: pipelines[0]?.id ?? '',
    stageId: '',
    question: { ...noQuestion },
    customerName: { ...noQuestion },
    sendDelay: { amount: 1, unit: 'days' },
    followUp: { kind: 'none', stageId: '', within: { amount: 2, unit: 'days' } },
    enabled: true,
    measuresOverall: false,
    afterLostDeal: false,
    position: 0,
  };
}

export function draftOf(touchpoint: TouchpointDefinition): TouchpointDraft {
  const { followUp } = touchpoint;
  return {
    id: touchpoint.id,
    name: touchpoint.name,
    phase: touchpoint.phase,
    pipelineId: touchpoint.trigger.pipelineId,
    stageId: touchpoint.trigger.stageId,
    question: { en: touchpoint.question.en ?? '', da: touchpoint.question.da ?? '', nb: touchpoint.question.nb ?? '' },
    customerName: { en: touchpoint.customerName.en ?? '', da: touchpoint.customerName.da ?? '', nb: touchpoint.customerName.nb ?? '' },
    sendDelay: { ...touchpoint.sendDelay },
    followUp: followUp
      ? { kind: followUp.expect, stageId: followUp.expect === 'stage' ? followUp.stageId : '', within: { ...followUp.within } }
      : { kind: 'none', stageId: '', within: { amount: 2, unit: 'days' } },
    enabled: touchpoint.enabled,
    measuresOverall: touchpoint.measuresOverall,
    afterLostDeal: touchpoint.afterLostDeal,
    position: touchpoint.position,
  };
}

/** A new touchpoint like `touchpoint`, under the id `<id>-copy`, for the admin to adjust. */
export function duplicateDraftOf(touchpoint: TouchpointDefinition): TouchpointDraft {
  return { ...draftOf(touchpoint), id: `${touchpoint.id}-copy`, name: `${touchpoint.name} (copy)` };
}

/** "Test drive, part 2" → "test-drive-part-2": the id a new touchpoint gets until the admin types one. */
export function idFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "café" → "cafe"
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

/** The draft in the shape the schema reads; a blank question is no question in that language. */
export function touchpointInputOf(draft: TouchpointDraft): unknown {
  const question = Object.fromEntries(
    surveyLanguages.filter((language) => draft.question[language].trim() !== '').map((language) => [language, draft.question[language]]),
  );
  const customerName = Object.fromEntries(
    surveyLanguages.filter((language) => draft.customerName[language].trim() !== '').map((language) => [language, draft.customerName[language]]),
  );
  const { followUp } = draft;
  return {
    id: draft.id,
    name: draft.name,
    phase: draft.phase,
    trigger: { type: 'deal_stage', pipelineId: draft.pipelineId, stageId: draft.stageId },
    question,
    customerName,
    sendDelay: draft.sendDelay,
    followUp:
      followUp.kind === 'none'
        ? null
        : followUp.kind === 'stage'
          ? { expect: 'stage', stageId: followUp.stageId, within: followUp.within }
          : { expect: 'engagement', within: followUp.within },
    enabled: draft.enabled,
    measuresOverall: draft.measuresOverall,
    afterLostDeal: draft.afterLostDeal,
    position: draft.position,
  };
}

/**
 * The schema the λ validates with, plus the λ's rule that the portal's default language has a
 * question (the one every contact without a question of their own is asked); the schema cannot
 * hold that rule, as it does not know the portal's default. Worded as the λ words it.
 */
export function validateTouchpoint(draft: TouchpointDraft, defaultLanguage: SurveyLanguage): Validation<TouchpointDefinition> {
  const parsed = TouchpointDefinition.safeParse(touchpointInputOf(draft));
  const problems = parsed.success ? [] : describeIssues(parsed.error);
  const anyQuestion = surveyLanguages.some((language) => draft.question[language].trim() !== '');
  // With no question at all the schema already says so, beside the same input.
  if (parsed.success && anyQuestion) problems.push(...defaultLanguageProblems(parsed.data.question, defaultLanguage));
  else if (anyQuestion && draft.question[defaultLanguage].trim() === '') problems.push(...defaultLanguageProblems({}, defaultLanguage));
  return parsed.success && problems.length === 0 ? { valid: true, value: parsed.data } : { valid: false, problems };
}
