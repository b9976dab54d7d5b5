import { z } from 'zod';

/** Survey languages: English, Danish, Norwegian Bokmål (HubSpot's `hs_language` codes). */
export const surveyLanguages = ['en', 'da', 'nb'] as const;
export const SurveyLanguage = z.enum(surveyLanguages, { error: 'must be one of en, da, nb' });
export type SurveyLanguage = z.infer<typeof SurveyLanguage>;

/**
 * The survey language for a contact: HubSpot stores `hs_language` as e.g. "da",
 * "nb", "no" or "en-us"; anything we do not survey in falls back to the portal default.
 */
export function surveyLanguageOf(hsLanguage: string | undefined | null, portalDefault: SurveyLanguage): SurveyLanguage {
  const primary = hsLanguage?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'no' || primary === 'nn') return 'nb';
  const parsed = SurveyLanguage.safeParse(primary);
  return parsed.success ? parsed.data : portalDefault;
}
