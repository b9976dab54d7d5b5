import { highestScore, lowestScore, type SurveyLanguage } from '@touchpoints/contracts';
import { maxCommentLength, scoreChangeWindowDays } from '../domain/response.js';
import type { SurveyProblem } from './pages.js';

/** What a problem page says: the heading doubles as the page title. */
interface ProblemCopy {
  heading: string;
  text: string;
}

/**
 * Every text on the survey pages, as plain text (the pages escape it). The table
 * below is typed by this interface per language, so a text missing in one language
 * does not compile. Texts that name the company or the score are functions.
 */
export interface PageCopy {
  /** The header of a page whose link names no company we know (a mistyped link, an outage). */
  neutralHeader: string;
  questionTitle: string;
  questionHeading: string;
  questionIntro: (companyName: string) => string;
  sendScore: string;
  thankYouTitle: string;
  thankYouHeading: string;
  youGave: (score: number) => string;
  commentLabel: string;
  commentHint: string;
  sendComment: string;
  changeScoreIntro: string;
  changeScoreTo: (score: number) => string;
  commentSavedTitle: string;
  commentSavedHeading: string;
  commentSavedText: (companyName: string) => string;
  unsubscribeQuestionTitle: string;
  unsubscribeQuestionHeading: string;
  unsubscribeQuestionText: (companyName: string) => string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribedHeading: string;
  unsubscribedText: (companyName: string) => string;
  undoUnsubscribe: string;
  resubscribedTitle: string;
  resubscribedHeading: string;
  resubscribedText: (companyName: string) => string;
  closePage: string;
  problems: Record<SurveyProblem, ProblemCopy>;
}

/** Numbers written the way each language writes them: 2,000 / 2.000 / 2 000. */
const number = (language: SurveyLanguage, value: number): string => new Intl.NumberFormat(language).format(value);

export const copy: Record<SurveyLanguage, PageCopy> = {
  en: {
    neutralHeader: 'Customer survey',
    questionTitle: 'A quick question',
    questionHeading: 'How did we do?',
    questionIntro: (companyName) => `Pick a score and send it – it only takes a moment. Your answer helps ${companyName} get better.`,
    sendScore: 'Send answer',
    thankYouTitle: 'Thank you',
    thankYouHeading: 'Thank you!',
    youGave: (score) => `You gave ${score} of ${highestScore}.`,
    commentLabel: 'Would you like to tell us more? (optional)',
    commentHint: `Up to ${number('en', maxCommentLength)} characters.`,
    sendComment: 'Send comment',
    changeScoreIntro: 'Changed your mind? Pick another score:',
    changeScoreTo: (score) => `Change your score to ${score}`,
    commentSavedTitle: 'Comment received',
    commentSavedHeading: 'Thanks for your comment',
    commentSavedText: (companyName) => `It goes straight to ${companyName}.`,
    unsubscribeQuestionTitle: 'Unsubscribe',
    unsubscribeQuestionHeading: 'Stop these surveys?',
    unsubscribeQuestionText: (companyName) => `${companyName} will then not ask you for feedback like this again.`,
    unsubscribeButton: 'Unsubscribe',
    undoUnsubscribe: 'Undo: keep getting them',
    resubscribedTitle: 'Subscribed again',
    resubscribedHeading: 'You will get these surveys again',
    resubscribedText: (companyName) => `${companyName} may ask you for feedback now and then, as before.`,
    unsubscribedTitle: 'Unsubscribed',
    unsubscribedHeading: 'You will not get these surveys any more',
    unsubscribedText: (companyName) => `${companyName} will not ask you for feedback like this again.`,
    closePage: 'You can close this page now.',
    problems: {
      unknown_link: { heading: 'This link does not work', text: 'It may have been mistyped or cut short. Try opening it again from the email.' },
      expired_link: { heading: 'This survey has closed', text: 'Thank you for wanting to answer all the same.' },
      bad_score: { heading: `Please choose a score from ${lowestScore} to ${highestScore}`, text: 'Go back and pick one of the numbers.' },
      comment_too_long: {
        heading: `Comments can be at most ${number('en', maxCommentLength)} characters`,
        text: 'Go back, shorten your comment a little and send it again.',
      },
      too_many_answers: {
        heading: 'This link has taken all the answers it can',
        text: 'Your earlier answer is saved. This link was used too many times to take more changes.',
      },
      already_answered: {
        heading: 'Your answer is saved and can no longer be changed',
        text: `Scores can be changed for ${scoreChangeWindowDays} days, and that time has passed. Thank you for answering!`,
      },
      bad_request: { heading: 'Something went wrong', text: 'We could not understand that request. Try opening the link from the email again.' },
      unavailable: { heading: 'We could not save that just now', text: 'Please try again in a minute: the link in the email keeps working.' },
    },
  },
  da: {
    neutralHeader: 'Kundeundersøgelse',
    questionTitle: 'Et hurtigt spørgsmål',
    questionHeading: 'Hvordan klarede vi os?',
    questionIntro: (companyName) => `Vælg en karakter og send den – det tager kun et øjeblik. Dit svar hjælper ${companyName} med at blive bedre.`,
    sendScore: 'Send svar',
    thankYouTitle: 'Tak',
    thankYouHeading: 'Tusind tak!',
    youGave: (score) => `Du gav ${score} ud af ${highestScore}.`,
    commentLabel: 'Vil du fortælle os mere? (valgfrit)',
    commentHint: `Højst ${number('da', maxCommentLength)} tegn.`,
    sendComment: 'Send kommentar',
    changeScoreIntro: 'Har du fortrudt? Vælg en anden karakter:',
    changeScoreTo: (score) => `Skift din karakter til ${score}`,
    commentSavedTitle: 'Kommentar modtaget',
    commentSavedHeading: 'Tak for din kommentar',
    commentSavedText: (companyName) => `Den går direkte videre til ${companyName}.`,
    unsubscribeQuestionTitle: 'Afmeld',
    unsubscribeQuestionHeading: 'Stop disse undersøgelser?',
    unsubscribeQuestionText: (companyName) => `${companyName} vil så ikke bede dig om feedback på denne måde igen.`,
    unsubscribeButton: 'Afmeld',
    undoUnsubscribe: 'Fortryd: bliv ved med at få dem',
    resubscribedTitle: 'Tilmeldt igen',
    resubscribedHeading: 'Du får disse undersøgelser igen',
    resubscribedText: (companyName) => `${companyName} kan bede dig om feedback en gang imellem, som før.`,
    unsubscribedTitle: 'Afmeldt',
    unsubscribedHeading: 'Du får ikke flere af disse undersøgelser',
    unsubscribedText: (companyName) => `${companyName} vil ikke bede dig om feedback på denne måde igen.`,
    closePage: 'Du kan lukke siden nu.',
    problems: {
      unknown_link: { heading: 'Dette link virker ikke', text: 'Det er måske blevet skrevet forkert eller klippet over. Prøv at åbne det igen fra e-mailen.' },
      expired_link: { heading: 'Denne undersøgelse er lukket', text: 'Tak, fordi du ville svare alligevel.' },
      bad_score: { heading: `Vælg en karakter fra ${lowestScore} til ${highestScore}`, text: 'Gå tilbage, og vælg et af tallene.' },
      comment_too_long: {
        heading: `Kommentarer må højst være på ${number('da', maxCommentLength)} tegn`,
        text: 'Gå tilbage, gør kommentaren lidt kortere, og send den igen.',
      },
      too_many_answers: {
        heading: 'Dette link kan ikke tage imod flere svar',
        text: 'Dit tidligere svar er gemt. Linket er brugt for mange gange til at tage imod flere ændringer.',
      },
      already_answered: {
        heading: 'Dit svar er gemt og kan ikke længere ændres',
        text: `Karakteren kan ændres i ${scoreChangeWindowDays} dage, og den tid er gået. Tak, fordi du svarede!`,
      },
      bad_request: { heading: 'Noget gik galt', text: 'Vi kunne ikke forstå forespørgslen. Prøv at åbne linket fra e-mailen igen.' },
      unavailable: { heading: 'Det lykkedes ikke lige nu', text: 'Prøv igen om et minut – linket i e-mailen virker stadig.' },
    },
  },
  nb: {
    neutralHeader: 'Kundeundersøkelse',
    questionTitle: 'Et raskt spørsmål',
    questionHeading: 'Hvordan gjorde vi det?',
    questionIntro: (companyName) => `Velg en karakter og send den – det tar bare et øyeblikk. Svaret ditt hjelper ${companyName} med å bli bedre.`,
    sendScore: 'Send svar',
    thankYouTitle: 'Takk',
    thankYouHeading: 'Tusen takk!',
    youGave: (score) => `Du ga ${score} av ${highestScore}.`,
    commentLabel: 'Vil du fortelle oss mer? (valgfritt)',
    commentHint: `Maks ${number('nb', maxCommentLength)} tegn.`,
    sendComment: 'Send kommentar',
    changeScoreIntro: 'Ombestemt deg? Velg en annen karakter:',
    changeScoreTo: (score) => `Endre karakteren til ${score}`,
    commentSavedTitle: 'Kommentar mottatt',
    commentSavedHeading: 'Takk for kommentaren',
    commentSavedText: (companyName) => `Den går rett videre til ${companyName}.`,
    unsubscribeQuestionTitle: 'Avmeld',
    unsubscribeQuestionHeading: 'Stoppe disse undersøkelsene?',
    unsubscribeQuestionText: (companyName) => `${companyName} vil da ikke be deg om tilbakemelding på denne måten igjen.`,
    unsubscribeButton: 'Avmeld',
    undoUnsubscribe: 'Angre: fortsett å få dem',
    resubscribedTitle: 'Påmeldt igjen',
    resubscribedHeading: 'Du får disse undersøkelsene igjen',
    resubscribedText: (companyName) => `${companyName} kan be deg om tilbakemelding nå og da, som før.`,
    unsubscribedTitle: 'Avmeldt',
    unsubscribedHeading: 'Du får ikke flere av disse undersøkelsene',
    unsubscribedText: (companyName) => `${companyName} vil ikke be deg om tilbakemelding på denne måten igjen.`,
    closePage: 'Du kan lukke siden nå.',
    problems: {
      unknown_link: { heading: 'Denne lenken virker ikke', text: 'Den kan ha blitt skrevet feil eller kuttet av. Prøv å åpne den på nytt fra e-posten.' },
      expired_link: { heading: 'Denne undersøkelsen er avsluttet', text: 'Takk for at du ville svare likevel.' },
      bad_score: { heading: `Velg en karakter fra ${lowestScore} til ${highestScore}`, text: 'Gå tilbake og velg ett av tallene.' },
      comment_too_long: {
        heading: `Kommentarer kan være på maks ${number('nb', maxCommentLength)} tegn`,
        text: 'Gå tilbake, gjør kommentaren litt kortere og send den på nytt.',
      },
      too_many_answers: {
        heading: 'Denne lenken kan ikke ta imot flere svar',
        text: 'Det tidligere svaret ditt er lagret. Lenken er brukt for mange ganger til å ta imot flere endringer.',
      },
      already_answered: {
        heading: 'Svaret ditt er lagret og kan ikke lenger endres',
        text: `Karakteren kan endres i ${scoreChangeWindowDays} dager, og den tiden er ute. Takk for at du svarte!`,
      },
      bad_request: { heading: 'Noe gikk galt', text: 'Vi forsto ikke forespørselen. Prøv å åpne lenken fra e-posten på nytt.' },
      unavailable: { heading: 'Det gikk ikke akkurat nå', text: 'Prøv igjen om et minutt – lenken i e-posten virker fortsatt.' },
    },
  },
};
