import { type ClosedLoop, describeIssues, PortalSettings, type SurveyLanguage } from '@touchpoints/contracts';
import type { Validation } from '../hooks/useSaveFlow.js';
import { placeProblems, type FieldProblems } from './field-problems.js';

/** The portal settings form as typed; a cleared number input is `undefined` until the schema judges it. */
export interface PortalSettingsDraft {
  redMax: number | undefined;
  yellowMax: number | undefined;
  defaultLanguage: SurveyLanguage;
  senderName: string;
  senderEmail: string;
  atMostOneSurveyPerDays: number | undefined;
  reminderAfterDays: number | undefined;
  closedLoop: ClosedLoop;
  confirmScoreOnPage: boolean;
}

/** The inputs of the form, named by the path of the setting each one edits. */
export type PortalSettingsField =
  | 'lightThresholds.redMax'
  | 'lightThresholds.yellowMax'
  | 'defaultLanguage'
  | 'sender.name'
  | 'sender.email'
  | 'fatigue.atMostOneSurveyPerDays'
  | 'reminderAfterDays';

const fieldOfPath: Record<string, PortalSettingsField> = {
  lightThresholds: 'lightThresholds.yellowMax',
  'lightThresholds.redMax': 'lightThresholds.redMax',
  'lightThresholds.yellowMax': 'lightThresholds.yellowMax',
  defaultLanguage: 'defaultLanguage',
  sender: 'sender.email',
  'sender.name': 'sender.name',
  'sender.email': 'sender.email',
  fatigue: 'fatigue.atMostOneSurveyPerDays',
  'fatigue.atMostOneSurveyPerDays': 'fatigue.atMostOneSurveyPerDays',
  reminderAfterDays: 'reminderAfterDays',
};

export function placePortalSettingsProblems(lines: readonly string[]): FieldProblems<PortalSettingsField> {
  return placeProblems(lines, (path) => fieldOfPath[path]);
}

/** The schema's own defaults, so the form and the λ agree on what a portal that saved nothing has. */
function schemaDefaults() {
  const { shape } = PortalSettings;
  return {
    lightThresholds: shape.lightThresholds.parse(undefined),
    defaultLanguage: shape.defaultLanguage.parse(undefined),
    fatigue: shape.fatigue.parse(undefined),
    reminderAfterDays: shape.reminderAfterDays.parse(undefined),
    closedLoop: shape.closedLoop.parse(undefined),
    confirmScoreOnPage: shape.confirmScoreOnPage.parse(undefined),
  };
}

/** The portal's settings, or the schema's defaults and no sender for a portal that has saved none. */
export function portalSettingsDraftOf(settings: PortalSettings | null): PortalSettingsDraft {
  const current = settings ?? schemaDefaults();
  return {
    redMax: current.lightThresholds.redMax,
    yellowMax: current.lightThresholds.yellowMax,
    defaultLanguage: current.defaultLanguage,
    senderName: settings?.sender.name ?? '',
    senderEmail: settings?.sender.email ?? '',
    atMostOneSurveyPerDays: current.fatigue.atMostOneSurveyPerDays,
    reminderAfterDays: current.reminderAfterDays,
    closedLoop: current.closedLoop,
    confirmScoreOnPage: current.confirmScoreOnPage,
  };
}

/**
 * The saved settings with the form's changes on top: a setting this form does not show (added to
 * the schema later) goes back as it was instead of falling back to its default.
 */
export function portalSettingsInputOf(draft: PortalSettingsDraft, saved: PortalSettings | null): unknown {
  return {
    ...saved,
    lightThresholds: { redMax: draft.redMax, yellowMax: draft.yellowMax },
    defaultLanguage: draft.defaultLanguage,
    sender: { name: draft.senderName, email: draft.senderEmail.trim() },
    fatigue: { atMostOneSurveyPerDays: draft.atMostOneSurveyPerDays },
    reminderAfterDays: draft.reminderAfterDays,
    closedLoop: draft.closedLoop,
    confirmScoreOnPage: draft.confirmScoreOnPage,
  };
}

/** The same schema the λ validates with; what it parses (trimmed, defaults filled) is what is sent. */
export function validatePortalSettings(draft: PortalSettingsDraft, saved: PortalSettings | null): Validation<PortalSettings> {
  const parsed = PortalSettings.safeParse(portalSettingsInputOf(draft, saved));
  return parsed.success ? { valid: true, value: parsed.data } : { valid: false, problems: describeIssues(parsed.error) };
}
