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

/**
 * The survey language a browser asks for (`Accept-Language`), for pages shown
 * before we know who is asking, such as a tampered link's page.
 */
export function surveyLanguageFromAcceptLanguage(header: string | undefined, fallback: SurveyLanguage): SurveyLanguage {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = Number(parameters.find((parameter) => parameter.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter(({ tag, quality }) => tag && quality > 0)
    .sort((a, b) => b.quality - a.quality);
  for (const { tag } of ranked) {
    const language = surveyLanguageOf(tag, fallback);
    if (language !== fallback || tag.toLowerCase().startsWith(fallback)) return language;
  }
  return fallback;
}
