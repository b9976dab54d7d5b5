/** The metrics the functions publish (lambdas/metrics.ts) and the stack's dashboard shows: data only, so the CDK app can read it. */
export const metricsNamespace = 'Touchpoints';
/** Powertools adds it to every metric as the `service` dimension. */
export const metricsService = 'touchpoints';

export const metricNames = [
  'WebhookEventsAccepted',
  'WebhookRequestsRefused',
  'EventsDeadLettered',
  'SurveysSent',
  'RemindersSent',
  'SurveyClicks',
  'ClicksJudgedAutomated',
  'AnswersSettled',
  'AnswersRed',
  'AnswersYellow',
  'AnswersGreen',
  'MissedFollowUps',
  'OwnerTasksMade',
  'DueTimersFailed',
  'DueTimersHandedOut',
  'DueTimersLeftForLater',
  'SesThrottled',
  'HubSpotRateLimited',
  'MailHardBounces',
  'MailSoftBounces',
  'MailComplaints',
] as const;
export type MetricName = (typeof metricNames)[number];
