import { Flex, Text, Tile } from '@hubspot/ui-extensions';
import { highestScore, lowestScore, type SurveyLanguage, surveyLanguages } from '@touchpoints/contracts';
import { languageNames } from './format.js';

const scale = Array.from({ length: highestScore - lowestScore + 1 }, (_, index) => String(lowestScore + index)).join('  ');

interface SurveyPreviewProps {
  question: Record<SurveyLanguage, string>;
  defaultLanguage: SurveyLanguage;
  /** Who the email comes from; null until the portal settings name a sender. */
  senderName: string | null;
}

/**
 * Roughly what a contact sees, in the default language (or the first one written). The subject
 * follows the English survey email's ("A quick question from …"); the λ writes the real one.
 */
export function SurveyPreview({ question, defaultLanguage, senderName }: SurveyPreviewProps) {
  const language = [defaultLanguage, ...surveyLanguages].find((candidate) => question[candidate].trim() !== '');
  const from = senderName ?? 'your company';
  return (
    <Tile compact>
      <Flex direction="column" gap="xs">
        <Text variant="microcopy">
          Email preview{language ? ` (${languageNames[language]})` : ''} · from {from}
        </Text>
        <Text format={{ fontWeight: 'demibold' }}>A quick question from {from}</Text>
        <Text>{language ? question[language].trim() : 'Write a question above to see it here.'}</Text>
        <Text format={{ fontWeight: 'demibold' }}>{scale}</Text>
        <Text variant="microcopy">
          {lowestScore} = not at all satisfied, {highestScore} = very satisfied · one click answers
        </Text>
      </Flex>
    </Tile>
  );
}
