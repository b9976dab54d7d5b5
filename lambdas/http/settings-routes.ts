import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { InvalidInputError, parseOrThrow, PortalSettingsWrite, SettingsView, TemplateChoice, TestSurveyRequest, TouchpointWrite } from '@touchpoints/contracts';
import type { PortalSettingsAdmin } from '../journeys/portal-settings.js';
import { logger } from '../logger.js';
import type { RouteKeyOf } from '../routes.js';
import { json, jsonBody } from './responses.js';

/** One verified settings request: the admin HubSpot vouched for, and the use case to ask. */
export interface SettingsCall {
  event: APIGatewayProxyEventV2;
  settings: PortalSettingsAdmin;
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
  'GET /settings': async ({ settings, admin }) => json(200, SettingsView.parse(await settings.view(admin.portalId))),
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
  'DELETE /settings/install': async ({ settings, admin }) => {
    const deleted = await settings.uninstall(admin);
    logger.info('portal uninstalled and forgotten', { portalId: admin.portalId, deleted });
    return noContent;
  },
};
