import { Alert } from '@hubspot/ui-extensions';
import { surveysPausedMessage, type CardData } from '@touchpoints/contracts';

/** Why this record's scheduled surveys have not gone: the portal's sender domain is not verified yet. */
export function SurveysPausedAlert({ surveysPaused }: { surveysPaused: CardData['surveysPaused'] }) {
  if (!surveysPaused) return null;
  return (
    <Alert variant="warning" title="Surveys are paused">
      {surveysPausedMessage(surveysPaused.senderDomain)}
    </Alert>
  );
}
