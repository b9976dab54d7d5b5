import type { SurveyLanguage } from '@touchpoints/contracts';

/**
 * The words of the survey and reminder emails in one language. Plain text
 * only: the renderer escapes it for HTML, so no markup belongs here.
 */
export interface SurveyMailCopy {
  subject(companyName: string): string;
  reminderSubject(companyName: string): string;
  greeting(firstName: string | undefined): string;
  intro(companyName: string): string;
  reminderIntro(companyName: string): string;
  /** Above the scores: answering is a single click, no form to fill in. */
  oneClick: string;
  /** What a score link says to a screen reader, and in the text part. */
  scoreLabel(score: number, maxScore: number): string;
  thanks: string;
  whyYouGotThis(companyName: string): string;
  unsubscribe: string;
}

/** Every language must fill every field: a missing one is a compile error. */
export const surveyMailCopy: Readonly<Record<SurveyLanguage, SurveyMailCopy>> = {
  en: {
    subject: (companyName) => `A quick question from ${companyName}`,
    reminderSubject: (companyName) => `Reminder: a quick question from ${companyName}`,
    greeting: (firstName) => (firstName ? `Hi ${firstName},` : 'Hello,'),
    intro: (companyName) => `We at ${companyName} would love to hear how we did. It’s just one question.`,
    reminderIntro: (companyName) =>
      `We sent you a short question a few days ago. If you have a moment, we at ${companyName} would still love to hear from you.`,
    oneClick: 'Pick a number below – one click is all it takes.',
    scoreLabel: (score, maxScore) => `Score ${score} out of ${maxScore}`,
    thanks: 'Thank you for helping us get better.',
    whyYouGotThis: (companyName) => `You’re receiving this email because you’ve been in touch with ${companyName}.`,
    unsubscribe: 'Unsubscribe from these surveys',
  },
  da: {
    subject: (companyName) => `Et hurtigt spørgsmål fra ${companyName}`,
    reminderSubject: (companyName) => `Påmindelse: et hurtigt spørgsmål fra ${companyName}`,
    greeting: (firstName) => (firstName ? `Hej ${firstName},` : 'Hej,'),
    intro: (companyName) => `Vi hos ${companyName} vil rigtig gerne høre, hvordan du oplevede os. Det er kun ét spørgsmål.`,
    reminderIntro: (companyName) =>
      `Vi sendte dig et kort spørgsmål for et par dage siden. Har du et øjeblik, vil vi hos ${companyName} stadig meget gerne høre fra dig.`,
    oneClick: 'Vælg et tal herunder – det kræver kun ét klik.',
    scoreLabel: (score, maxScore) => `Giv ${score} ud af ${maxScore}`,
    thanks: 'Tak, fordi du hjælper os med at blive bedre.',
    whyYouGotThis: (companyName) => `Du får denne e-mail, fordi du har været i kontakt med ${companyName}.`,
    unsubscribe: 'Afmeld disse undersøgelser',
  },
  nb: {
    subject: (companyName) => `Et raskt spørsmål fra ${companyName}`,
    reminderSubject: (companyName) => `Påminnelse: et raskt spørsmål fra ${companyName}`,
    greeting: (firstName) => (firstName ? `Hei ${firstName},` : 'Hei,'),
    intro: (companyName) => `Vi i ${companyName} vil gjerne høre hvordan du opplevde oss. Det er bare ett spørsmål.`,
    reminderIntro: (companyName) =>
      `Vi sendte deg et kort spørsmål for noen dager siden. Har du et øyeblikk, vil vi i ${companyName} fortsatt gjerne høre fra deg.`,
    oneClick: 'Velg et tall nedenfor – det tar bare ett klikk.',
    scoreLabel: (score, maxScore) => `Gi ${score} av ${maxScore}`,
    thanks: 'Takk for at du hjelper oss med å bli bedre.',
    whyYouGotThis: (companyName) => `Du får denne e-posten fordi du har vært i kontakt med ${companyName}.`,
    unsubscribe: 'Meld deg av disse undersøkelsene',
  },
};
