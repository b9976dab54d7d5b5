import { Alert } from '@hubspot/ui-extensions';
import { surveysPausedMessage } from '@touchpoints/contracts';

/** Said above the tabs and beside the DNS records while the sender domain is not verified. */
export function SurveysPausedAlert({ domain }: { domain: string }) {
  return (
    <Alert variant="warning" title="Surveys are paused">
      {surveysPausedMessage(domain)}
    </Alert>
  );
}
