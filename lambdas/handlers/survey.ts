import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Clock, entryPoint, systemClock } from '../config.js';
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
 * The public survey pages: `GET /s/{token}[?score=N]`, `POST /s/{token}` (the page's form),
 * `GET /s/{token}/check` (the mail's hidden link), `GET|POST /u/{token}` (unsubscribe, RFC 8058
 * one-click). No HubSpot login; the signed token is the only key.
 */
export function createSurveyHandler(ports: SurveyAnswerPorts) {
  const answers = new SurveyAnswers(ports);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const language = surveyLanguageFromAcceptLanguage(header(event, 'accept-language'), 'en');
    const userAgent = header(event, 'user-agent');
    const visitor = { language, ...(userAgent ? { userAgent } : {}) };
    const token = event.pathParameters?.token ?? '';
    const method = event.requestContext.http.method;
    try {
      if (event.routeKey === 'GET /s/{token}/check') {
        await answers.hiddenLink(token, visitor);
        return { statusCode: 204, headers: { 'cache-control': 'no-store', 'x-robots-tag': 'noindex' } };
      }
      if (event.rawPath.startsWith('/u/')) {
        const undo = method === 'POST' && new URLSearchParams(rawBody(event)).get('undo') === 'yes';
        return renderSurveyView(await answers.unsubscribe(token, visitor, method === 'GET' ? 'ask' : undo ? 'undo' : 'unsubscribe'));
      }
      if (method === 'GET') return renderSurveyView(await answers.open(token, event.queryStringParameters?.score, visitor));

      const body = rawBody(event);
      const isForm = (header(event, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      if (!isForm) return renderSurveyView({ page: 'problem', language, problem: 'bad_request' });
      if (Buffer.byteLength(body) > maxFormBytes) return renderSurveyView({ page: 'problem', language, problem: 'comment_too_long' });
      return renderSurveyView(await answers.submit(token, new URLSearchParams(body), visitor));
    } catch (error) {
      // The table or the queue failed us, not the customer: say so, and that the link still works.
      logger.error('survey request failed', { error: (error as Error).message });
      const page = renderSurveyView({ page: 'problem', language, problem: 'unavailable' });
      return { ...page, headers: { ...page.headers, 'retry-after': '60' } };
    }
  };
}

export async function surveyHandlerFromEnvironment(now: Clock = systemClock) {
  return createSurveyHandler({
    store: storeFromEnvironment(),
    surveyTokenSecret: await secretFromEnvironment('SURVEY_TOKEN_SECRET'),
    now,
  });
}

export const handler = entryPoint(surveyHandlerFromEnvironment);
