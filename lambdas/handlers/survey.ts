import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { entryPoint, optionalEnv, requiredEnv } from '../config.js';
import { enqueueEvents } from '../queue/events-queue.js';
import { secretFromEnvironment } from '../secrets.js';
import { surveyLanguageFromAcceptLanguage } from '@touchpoints/contracts';
import { SurveyAnswers, type SurveyAnswerPorts } from '../journeys/survey-answers.js';
import { logger } from '../logger.js';
import { storeFromEnvironment } from '../store/from-environment.js';
import { renderSurveyView } from '../survey-pages/pages.js';
import { header, rawBody } from '../http/responses.js';

/** A comment form is small; anything much bigger is not one (2,000 characters, percent-encoded, plus the score). */
const maxFormBytes = 24_000;

/**
 * The public survey pages: `GET /s/{token}[?score=N]`, `POST /s/{token}`
 * (comment), `GET|POST /u/{token}` (unsubscribe, RFC 8058 one-click). No
 * HubSpot login; the signed token is the only key.
 */
export function createSurveyHandler(ports: SurveyAnswerPorts) {
  const answers = new SurveyAnswers(ports);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const language = surveyLanguageFromAcceptLanguage(header(event, 'accept-language'), 'en');
    const token = event.pathParameters?.token ?? '';
    const method = event.requestContext.http.method;
    const unsubscribing = event.rawPath.startsWith('/u/');
    try {
      if (unsubscribing) {
        const undo = method === 'POST' && new URLSearchParams(rawBody(event)).get('undo') === 'yes';
        return renderSurveyView(await answers.unsubscribe(token, language, method === 'GET' ? 'ask' : undo ? 'undo' : 'unsubscribe'));
      }
      if (method === 'GET') return renderSurveyView(await answers.open(token, event.queryStringParameters?.score, language));

      const body = rawBody(event);
      const isForm = (header(event, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      if (!isForm) return renderSurveyView({ page: 'problem', language, problem: 'bad_request' });
      if (Buffer.byteLength(body) > maxFormBytes) return renderSurveyView({ page: 'problem', language, problem: 'comment_too_long' });
      return renderSurveyView(await answers.comment(token, new URLSearchParams(body), language));
    } catch (error) {
      // The table or the queue failed us, not the customer: say so, and that the link still works.
      logger.error('survey request failed', { error: (error as Error).message });
      const page = renderSurveyView({ page: 'problem', language, problem: 'unavailable' });
      return { ...page, headers: { ...page.headers, 'retry-after': '60' } };
    }
  };
}

export async function surveyHandlerFromEnvironment() {
  const sqs = new SQSClient({ endpoint: optionalEnv('SQS_ENDPOINT') });
  const queueUrl = requiredEnv('EVENTS_QUEUE_URL');
  return createSurveyHandler({
    store: storeFromEnvironment(),
    surveyTokenSecret: await secretFromEnvironment('SURVEY_TOKEN_SECRET'),
    now: () => new Date(),
    announceAnswer: (event) => enqueueEvents(sqs, queueUrl, [event]),
  });
}

export const handler = entryPoint(surveyHandlerFromEnvironment);
