import { Flex, TextArea } from '@hubspot/ui-extensions';
import { type SurveyLanguage, surveyLanguages } from '@touchpoints/contracts';
import { shownBeside, type FieldProblems } from './field-problems.js';
import { languageNames } from './format.js';
import type { TouchpointField } from './touchpoint-draft.js';

interface QuestionFieldsProps {
  question: Record<SurveyLanguage, string>;
  defaultLanguage: SurveyLanguage;
  onChange: (language: SurveyLanguage, text: string) => void;
  problems: FieldProblems<TouchpointField>;
}

function descriptionFor(language: SurveyLanguage, defaultLanguage: SurveyLanguage): string {
  if (language === defaultLanguage) {
    return 'The portal’s default language: asked of every contact whose language has no question here.';
  }
  return `Asked of contacts whose HubSpot language is ${languageNames[language]}. Leave it empty to ask them in ${languageNames[defaultLanguage]}.`;
}

/** The 1–10 question in each survey language; the portal's default one is required. */
export function QuestionFields({ question, defaultLanguage, onChange, problems }: QuestionFieldsProps) {
  return (
    <Flex direction="column" gap="sm">
      {surveyLanguages.map((language) => {
        const isDefault = language === defaultLanguage;
        return (
          <TextArea
            key={language}
            label={`Question in ${languageNames[language]}${isDefault ? ' (default language)' : ''}`}
            name={`question.${language}`}
            required={isDefault}
            description={descriptionFor(language, defaultLanguage)}
            rows={2}
            value={question[language]}
            onChange={(text) => onChange(language, text)}
            {...shownBeside(problems, `question.${language}`)}
          />
        );
      })}
    </Flex>
  );
}
