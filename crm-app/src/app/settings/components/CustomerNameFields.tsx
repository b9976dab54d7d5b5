import { Flex, Input } from '@hubspot/ui-extensions';
import { type SurveyLanguage, surveyLanguages } from '@touchpoints/contracts';
import { shownBeside, type FieldProblems } from './field-problems.js';
import { languageNames } from './format.js';
import type { TouchpointField } from './touchpoint-draft.js';

interface CustomerNameFieldsProps {
  customerName: Record<SurveyLanguage, string>;
  name: string;
  onChange: (language: SurveyLanguage, text: string) => void;
  problems: FieldProblems<TouchpointField>;
}

/** What customers call the touchpoint in each language, for the texts they read (the reply to an unhappy answer). */
export function CustomerNameFields({ customerName, name, onChange, problems }: CustomerNameFieldsProps) {
  return (
    <Flex direction="column" gap="sm">
      {surveyLanguages.map((language) => (
        <Input
          key={language}
          label={`What customers call it in ${languageNames[language]}`}
          name={`customerName.${language}`}
          description={`Used in the texts customers read, such as the reply to an unhappy answer. Leave it empty to use the name${name ? ` "${name}"` : ''}.`}
          value={customerName[language]}
          onChange={(text) => onChange(language, text)}
          {...shownBeside(problems, `customerName.${language}`)}
        />
      ))}
    </Flex>
  );
}
