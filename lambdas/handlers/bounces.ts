import { SnsEnvelope } from '@aws-lambda-powertools/parser/envelopes/sns';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import type { Context } from 'aws-lambda';
import { entryPoint } from '../config.js';
import { SesFeedbackEvent } from '../domain/mail-feedback.js';
import { recordMailFeedback, type MailFeedbackOutcome, type MailFeedbackPorts } from '../journeys/mail-feedback.js';
import { logger } from '../logger.js';
import { count, type MetricName } from '../metrics.js';
import { storeFromEnvironment } from '../store/from-environment.js';

function metricOf(event: SesFeedbackEvent): MetricName {
  if (event.eventType === 'Complaint') return 'MailComplaints';
  return event.bounce.bounceType === 'Permanent' ? 'MailHardBounces' : 'MailSoftBounces';
}

/**
 * SES's bounce and complaint events, from the configuration set's SNS topic. SNS invokes this
 * function itself (a Lambda subscription: AWS calls AWS, and only our topic may invoke it), so
 * there is no HTTP request whose SNS signature would need checking. An event that does not
 * parse fails the invocation before anything is written; Lambda retries it twice, then keeps
 * it in the dead-letter queue.
 */
export function createBouncesHandler(ports: MailFeedbackPorts) {
  return async (event: unknown, _context?: Context): Promise<MailFeedbackOutcome[]> => {
    const parsed = SnsEnvelope.safeParse(event, JSONStringified(SesFeedbackEvent));
    if (!parsed.success) {
      logger.error('not an SNS notification of an SES bounce or complaint', { error: parsed.error.message, issues: (parsed.error.cause as { issues?: unknown } | undefined)?.issues });
      throw parsed.error;
    }
    const outcomes: MailFeedbackOutcome[] = [];
    for (const feedback of parsed.data) {
      outcomes.push(await recordMailFeedback(ports, feedback));
      count(metricOf(feedback));
    }
    return outcomes;
  };
}

export async function bouncesHandlerFromEnvironment() {
  return createBouncesHandler({ store: storeFromEnvironment() });
}

export const handler = entryPoint(bouncesHandlerFromEnvironment);
