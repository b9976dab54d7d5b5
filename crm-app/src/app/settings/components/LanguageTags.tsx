import { Flex, Tag } from '@hubspot/ui-extensions';
import { languagesCovered, type SurveyLanguage, surveyLanguages, type TouchpointDefinition } from '@touchpoints/contracts';

interface LanguageTagsProps {
  touchpoint: TouchpointDefinition;
  defaultLanguage: SurveyLanguage;
}

/** en · da · nb, each written or visibly missing; a missing default language is a warning. */
export function LanguageTags({ touchpoint, defaultLanguage }: LanguageTagsProps) {
  const covered = languagesCovered(touchpoint);
  return (
    <Flex direction="row" gap="xs" wrap>
      {surveyLanguages.map((language) => {
        if (covered.includes(language)) {
          return (
            <Tag key={language} variant="success">
              {language}
            </Tag>
          );
        }
        return (
          <Tag key={language} variant={language === defaultLanguage ? 'warning' : 'default'}>
            {`${language} missing`}
          </Tag>
        );
      })}
    </Flex>
  );
}
