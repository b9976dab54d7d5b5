import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseOrThrow, PortalReport } from '@touchpoints/contracts';
import { type Clock, entryPoint, optionalEnv, systemClock } from '../config.js';
import { portalReport, reportCsv, type ReportStore } from '../journeys/portal-report.js';
import { hubspotAppFromEnvironment } from '../secrets.js';
import { storeFromEnvironment } from '../store/from-environment.js';
import type { TouchpointsStore } from '../store/store.js';
import { errorResponse, json } from '../http/responses.js';
import { requireConnected, verifiedHubSpotFetch } from '../http/hubspot-requests.js';

const ReportQuery = z.object({
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  pipelineId: z.string().min(1).max(100).optional(),
  ownerId: z.string().regex(/^\d{1,20}$/, { error: 'must be an owner id' }).optional(),
  since: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).transform((day) => new Date(`${day}T00:00:00Z`)).optional(),
  until: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).transform((day) => new Date(`${day}T00:00:00Z`)).optional(),
});

export interface ReportDependencies {
  store: ReportStore & Pick<TouchpointsStore, 'getInstall'>;
  clientSecret: string;
  publicApiUrl?: string;
  now: () => Date;
}

/** `GET /report[?format=csv&pipelineId=…&ownerId=…&since=…&until=…]`, signed by HubSpot, for the portal HubSpot names. */
export function createReportHandler(dependencies: ReportDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const { portalId, query } = verifiedHubSpotFetch(event, { ...dependencies, now: () => dependencies.now().getTime() });
      const { format, ...filter } = parseOrThrow(ReportQuery, { format: query.format, pipelineId: query.pipelineId, ownerId: query.ownerId, since: query.since, until: query.until }, 'report request');
      await requireConnected(dependencies.store, portalId);
      const report = await portalReport(dependencies.store, portalId, filter, dependencies.now());
      if (format === 'json') return json(200, PortalReport.parse(report), { 'cache-control': 'no-store' });
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="touchpoints-report.csv"', 'cache-control': 'no-store' },
        body: reportCsv(report),
      };
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function reportHandlerFromEnvironment(now: Clock = systemClock) {
  const publicApiUrl = optionalEnv('PUBLIC_API_URL');
  return createReportHandler({
    store: storeFromEnvironment(),
    clientSecret: (await hubspotAppFromEnvironment()).clientSecret,
    now,
    ...(publicApiUrl ? { publicApiUrl } : {}),
  });
}

export const handler = entryPoint(reportHandlerFromEnvironment);
