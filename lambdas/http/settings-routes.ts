import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { CustomerNames, CustomerNamesRequest, InterviewRequest, InterviewTask, InvalidInputError, parseOrThrow, PortalSettingsWrite, SettingsView, TemplateChoice, TestSurveyRequest, TouchpointWrite } from '@touchpoints/contracts';
import type { InterviewTasks } from '../journeys/interview-tasks.js';
import type { PortalSettingsAdmin } from '../journeys/portal-settings.js';
import { logger } from '../logger.js';
import type { RouteKeyOf } from '../routes.js';
import { json, jsonBody } from './responses.js';

/** One verified settings request: the admin HubSpot vouched for, and the use case to ask. */
export interface SettingsCall {
  event: APIGatewayProxyEventV2;
  settings: PortalSettingsAdmin;
  /** The report tab's interview tasks (journeys/interview-tasks.ts). */
  interviews: InterviewTasks;
  admin: { portalId: number; userEmail: string };
  /** Only when HubSpot said who the user is (the test survey goes to that address). */
  verifiedEmail: string | undefined;
  /** The `{id}` or `{templateId}` of the path. */
  id: string;
}

const ExpectedVersion = z.object({ expectedVersion: z.string().regex(/^[1-9]\d{0,8}$/, { error: 'must be the version you read' }).transform(Number) });

const noContent: APIGatewayProxyStructuredResultV2 = { statusCode: 204 };

/** What each settings route does, keyed by the route table's keys (lambdas/routes.ts): the type demands every one. */
export const settingsRoutes: Record<RouteKeyOf<'settings'>, (call: SettingsCall) => Promise<APIGatewayProxyStructuredResultV2>> = {
  'GET /settings': async ({ settings, interviews, admin }) => {
    // The report tab opens inside this page, after this load: the owners' notes found now count in its coverage.
    const [view] = await Promise.all([settings.view(admin.portalId), recordInterviewNotes(interviews, admin.portalId)]);
    return json(200, SettingsView.parse(view));
  },
  'PUT /settings/portal': async ({ event, settings, admin }) => {
    const write = parseOrThrow(PortalSettingsWrite, jsonBody(event, 'request'), 'request');
    return json(200, { version: await settings.savePortalSettings(admin, write.settings, write.expectedVersion) });
  },
  'PUT /settings/touchpoints/{id}': async ({ event, settings, admin, id }) => {
    const write = parseOrThrow(TouchpointWrite, jsonBody(event, 'request'), 'request');
    return json(200, { version: await settings.saveTouchpoint(admin, id, write.touchpoint, write.expectedVersion) });
  },
  'DELETE /settings/touchpoints/{id}': async ({ event, settings, admin, id }) => {
    const { expectedVersion } = parseOrThrow(ExpectedVersion, event.queryStringParameters ?? {}, 'request');
    await settings.deleteTouchpoint(admin, id, expectedVersion);
    return noContent;
  },
  'POST /settings/templates/{templateId}': async ({ event, settings, admin, id }) => {
    const choice = parseOrThrow(TemplateChoice, jsonBody(event, 'request'), 'template choice');
    return json(200, await settings.applyTemplate(admin, id, choice.pipelineId, choice.stageOfStep));
  },
  'POST /settings/test-survey': async ({ event, settings, admin, verifiedEmail }) => {
    if (!verifiedEmail) throw new InvalidInputError('test survey', ['userEmail: HubSpot did not say who you are']);
    const { touchpointId } = parseOrThrow(TestSurveyRequest, jsonBody(event, 'request'), 'test survey');
    return json(200, { sentTo: await settings.sendTestSurvey(admin, touchpointId) });
  },
  'POST /settings/interviews': async ({ event, interviews, admin }) => {
    const request = parseOrThrow(InterviewRequest, jsonBody(event, 'request'), 'interview request');
    const task = InterviewTask.parse(await interviews.requestInterview(admin.portalId, request));
    return json(task.created ? 201 : 200, task);
  },
  'POST /settings/interviews/names': async ({ event, interviews, admin }) => {
    const { contactIds } = parseOrThrow(CustomerNamesRequest, jsonBody(event, 'request'), 'customer names request');
    return json(200, CustomerNames.parse({ names: await interviews.customerNames(admin.portalId, contactIds) }));
  },
  'DELETE /settings/install': async ({ settings, admin }) => {
    const deleted = await settings.uninstall(admin);
    logger.info('portal uninstalled and forgotten', { portalId: admin.portalId, deleted });
    return noContent;
  },
};

/** The check for the owners' notes never fails the page: what it missed is found at the next load. */
async function recordInterviewNotes(interviews: InterviewTasks, portalId: number): Promise<void> {
  try {
    const found = await interviews.recordNotes(portalId);
    if (found > 0) logger.info('interview notes found', { portalId, found });
  } catch (error) {
    logger.warn('interview notes could not be checked', { portalId, error: (error as Error).message });
  }
}
