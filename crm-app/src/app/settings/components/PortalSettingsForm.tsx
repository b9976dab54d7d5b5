import { Checkbox, Flex, Form, Heading, Input, LoadingButton, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { highestScore, lowestScore, type PortalSettings, type SettingsView, type SurveyLanguage, surveyLanguages } from '@touchpoints/contracts';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import { useSaveFlow } from '../hooks/useSaveFlow.js';
import { noProblems, shownBeside } from './field-problems.js';
import { languageNames } from './format.js';
import {
  placePortalSettingsProblems,
  portalSettingsDraftOf,
  validatePortalSettings,
  type PortalSettingsDraft,
  type PortalSettingsField,
} from './portal-settings-draft.js';
import { ClosedLoopFields } from './ClosedLoopFields.js';
import { SaveAlerts } from './SaveAlerts.js';
import { typedNumber } from './typed-number.js';

export interface PortalSettingsFormProps {
  /** The saved settings and their version; null for a portal that has saved none. */
  portal: SettingsView['portal'];
  api: SettingsApi;
  onSaved: () => void;
  onReload: () => void;
}

const languageOptions = surveyLanguages.map((language) => ({ label: languageNames[language], value: language }));

const conflictMessage = 'Someone else changed the portal settings since you opened them — reload to see their version';

/** "Red 1–5 · yellow 6–7 · green 8–10", while the thresholds make sense. */
function lightsSummary({ redMax, yellowMax }: PortalSettingsDraft): string {
  if (redMax === undefined || yellowMax === undefined || redMax < lowestScore || yellowMax <= redMax || yellowMax >= highestScore) {
    return 'Red, then yellow, then green: each colour keeps at least one score.';
  }
  return `Red ${lowestScore}–${redMax} · yellow ${redMax + 1}–${yellowMax} · green ${yellowMax + 1}–${highestScore}`;
}

/** The portal-wide rules: traffic-light thresholds, default language, sender, survey fatigue, reminders. */
export function PortalSettingsForm({ portal, api, onSaved, onReload }: PortalSettingsFormProps) {
  const [draft, setDraft] = useState(() => portalSettingsDraftOf(portal?.settings ?? null));
  const { state, submit } = useSaveFlow({
    validate: () => validatePortalSettings(draft, portal?.settings ?? null),
    save: (settings: PortalSettings) => api.savePortalSettings(settings, portal?.version ?? null),
    onSaved,
  });
  const problems =
    state.status === 'invalid' ? placePortalSettingsProblems(state.problems) : noProblems<PortalSettingsField>();
  const update = (change: Partial<PortalSettingsDraft>) => setDraft((current) => ({ ...current, ...change }));

  return (
    <Flex direction="column" gap="md">
      <SaveAlerts state={state} elsewhere={problems.elsewhere} conflictMessage={conflictMessage} onReload={onReload} />
      <Form testId="portal-settings" onSubmit={() => void submit()}>
        <Flex direction="column" gap="md">
          <Heading>Traffic lights</Heading>
          <Flex direction="row" gap="sm" align="start">
            <NumberInput
              label="Red up to"
              name="lightThresholds.redMax"
              min={lowestScore}
              max={highestScore}
              precision={0}
              value={draft.redMax}
              onChange={(redMax) => update({ redMax: typedNumber(redMax) })}
              {...shownBeside(problems, 'lightThresholds.redMax')}
            />
            <NumberInput
              label="Yellow up to"
              name="lightThresholds.yellowMax"
              min={lowestScore}
              max={highestScore}
              precision={0}
              value={draft.yellowMax}
              onChange={(yellowMax) => update({ yellowMax: typedNumber(yellowMax) })}
              {...shownBeside(problems, 'lightThresholds.yellowMax')}
            />
          </Flex>
          <Text variant="microcopy">{lightsSummary(draft)}</Text>
          <Heading>Surveys</Heading>
          <Select
            label="Default language"
            name="defaultLanguage"
            description="Contacts whose HubSpot language has no question are asked in this one."
            options={languageOptions}
            value={draft.defaultLanguage}
            onChange={(language) => update({ defaultLanguage: language as SurveyLanguage })}
            {...shownBeside(problems, 'defaultLanguage')}
          />
          <Flex direction="row" gap="sm" align="start">
            <Input
              label="Sender name"
              name="sender.name"
              required
              value={draft.senderName}
              onChange={(senderName) => update({ senderName })}
              {...shownBeside(problems, 'sender.name')}
            />
            <Input
              label="Sender email"
              name="sender.email"
              required
              description="Must be an address Touchpoints is allowed to send from."
              value={draft.senderEmail}
              onChange={(senderEmail) => update({ senderEmail })}
              {...shownBeside(problems, 'sender.email')}
            />
          </Flex>
          <NumberInput
            label="At most one survey per contact every (days)"
            name="fatigue.atMostOneSurveyPerDays"
            description="Across all touchpoints; 0 means no limit."
            min={0}
            precision={0}
            value={draft.atMostOneSurveyPerDays}
            onChange={(days) => update({ atMostOneSurveyPerDays: typedNumber(days) })}
            {...shownBeside(problems, 'fatigue.atMostOneSurveyPerDays')}
          />
          <NumberInput
            label="Remind after (days)"
            name="reminderAfterDays"
            description="One reminder if the survey is not answered; 0 means never."
            min={0}
            precision={0}
            value={draft.reminderAfterDays}
            onChange={(days) => update({ reminderAfterDays: typedNumber(days) })}
            {...shownBeside(problems, 'reminderAfterDays')}
          />
          <Checkbox
            name="confirmScoreOnPage"
            checked={draft.confirmScoreOnPage}
            description="Mail scanners that click every link are recognised and ignored. Where some still get through, a score link opens the survey with that score chosen, and one tap sends it."
            onChange={(confirmScoreOnPage) => update({ confirmScoreOnPage })}
          >
            Ask customers to confirm their score on the survey page
          </Checkbox>
          <ClosedLoopFields closedLoop={draft.closedLoop} onChange={(closedLoop) => update({ closedLoop })} />
          <LoadingButton type="submit" variant="primary" loading={state.status === 'saving'}>
            Save portal settings
          </LoadingButton>
        </Flex>
      </Form>
    </Flex>
  );
}
