import { Flex } from '@hubspot/ui-extensions';
import type { CardData, CardTouchpoint } from '@touchpoints/contracts';
import { FollowUpAlert } from './FollowUpAlert.js';
import { PendingAndKeptFollowUps } from './PendingAndKeptFollowUps.js';
import { JourneyPhases } from './JourneyPhases.js';
import { MailSuppressionAlert } from './MailSuppressionAlert.js';
import { NoSurveysYetState } from './NoSurveysYetState.js';
import { NotConfiguredState } from './NotConfiguredState.js';
import { ResponseRate } from './ResponseRate.js';
import { ScheduledSurveysState } from './ScheduledSurveysState.js';
import { SurveysPausedAlert } from './SurveysPausedAlert.js';

interface TouchpointsOverviewProps {
  card: CardData;
  portalId: number;
  timeZone?: string;
}

/** How far the surveys of this record have come; decides what the body of the card shows. */
function surveyProgress(touchpoints: readonly CardTouchpoint[]): 'none' | 'scheduled only' | 'under way' {
  if (touchpoints.every((touchpoint) => touchpoint.state === 'not_asked')) return 'none';
  if (touchpoints.every((touchpoint) => touchpoint.state === 'not_asked' || touchpoint.state === 'scheduled')) {
    return 'scheduled only';
  }
  return 'under way';
}

interface SurveyBodyProps {
  touchpoints: readonly CardTouchpoint[];
  responseRate: CardData['responseRate'];
  timeZone?: string;
}

function SurveyBody({ touchpoints, responseRate, timeZone }: SurveyBodyProps) {
  switch (surveyProgress(touchpoints)) {
    case 'none':
      return <NoSurveysYetState />;
    case 'scheduled only':
      return (
        <>
          <ResponseRate responseRate={responseRate} />
          <ScheduledSurveysState
            scheduled={touchpoints.filter((touchpoint) => touchpoint.state === 'scheduled')}
            timeZone={timeZone}
          />
        </>
      );
    case 'under way':
      return (
        <>
          <ResponseRate responseRate={responseRate} />
          <JourneyPhases touchpoints={touchpoints} timeZone={timeZone} />
        </>
      );
  }
}

/** The loaded card: missed follow-ups first, then whether surveys are paused and whether the contact is still mailed, then where each touchpoint stands, then the promises pending and kept. */
export function TouchpointsOverview({ card, portalId, timeZone }: TouchpointsOverviewProps) {
  if (!card.configured) return <NotConfiguredState portalId={portalId} />;
  return (
    <Flex direction="column" gap="md">
      {/* Follow-up promises hang on deal stages, not on surveys: they can be missed before any answer. */}
      <FollowUpAlert missedFollowUps={card.missedFollowUps} />
      <SurveysPausedAlert surveysPaused={card.surveysPaused} />
      <MailSuppressionAlert mailSuppression={card.mailSuppression} timeZone={timeZone} />
      <SurveyBody touchpoints={card.touchpoints} responseRate={card.responseRate} timeZone={timeZone} />
      <PendingAndKeptFollowUps followUps={card.pendingAndKeptFollowUps} timeZone={timeZone} />
    </Flex>
  );
}
