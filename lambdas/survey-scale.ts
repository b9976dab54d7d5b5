import { highestScore, lowestScore, type Score, type SurveyLanguage } from '@touchpoints/contracts';

/**
 * The 1–10 scale's one design, wherever a customer meets it: the score links of the mail
 * (`mail/survey-mail.ts`, inline styles), the radios of the question page and the buttons of the
 * thank-you page (`survey-pages/html.ts`, one style block). Each draws these values in its own
 * medium; a person sees the same ten squares in all three.
 *
 * One colour for every score, no traffic-light hint: a red 1 and a green 10 would lead the answer.
 */

/** 1 … 10, in the order they are shown. */
export const scaleScores: readonly Score[] = Array.from({ length: highestScore - lowestScore + 1 }, (_, index) => (lowestScore + index) as Score);

export const scaleLook = {
  /** Outer width and height of a score, border included: a comfortable tap target. */
  sizePx: 44,
  borderPx: 2,
  radiusPx: 8,
  /** Ten squares with their gaps (476 px) fit one row of the mail's and the page's card; narrower screens wrap. */
  columnGapPx: 4,
  rowGapPx: 8,
  fontSizePx: 18,
  fontWeight: 700,
  /**
   * A score's digits and border; also the fill of the chosen score, whose digits are then `surface`.
   * Contrast (WCAG): 12.6:1 either way round.
   */
  ink: '#14365c',
  surface: '#ffffff',
} as const;

/** What the ends of the scale mean, under the scale in the mail and on the question page. */
export const scaleEnds: Readonly<Record<SurveyLanguage, string>> = {
  en: `${lowestScore} = not at all satisfied, ${highestScore} = very satisfied`,
  da: `${lowestScore} = slet ikke tilfreds, ${highestScore} = meget tilfreds`,
  nb: `${lowestScore} = overhodet ikke fornøyd, ${highestScore} = svært fornøyd`,
};
