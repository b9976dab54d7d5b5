/** Deal pipelines and their stages (pipelines v3, for deals only). */
import { z } from 'zod';
import { type Route, json, noContent, notFound, parseBody, validationError } from '../http.js';
import { objectTypeFrom } from '../model.js';
import type { RouteDependencies } from '../routes.js';
import type { DealPipeline } from '../store.js';
import { forPortal, iso } from './support.js';

function publicPipeline(pipeline: DealPipeline) {
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    stages: pipeline.stages.map((stage) => publicStage(pipeline, stage)),
    createdAt: iso(pipeline.createdAt),
    updatedAt: iso(pipeline.updatedAt),
    archived: false,
  };
}

function publicStage(pipeline: DealPipeline, stage: DealPipeline['stages'][number]) {
  return {
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    // HubSpot serves stage metadata as strings ("1.0", "true").
    metadata: { isClosed: String(stage.isClosed), probability: Number.isInteger(stage.probability) ? stage.probability.toFixed(1) : String(stage.probability) },
    createdAt: iso(pipeline.createdAt),
    updatedAt: iso(pipeline.updatedAt),
    archived: false,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

/** HubSpot's PipelineStageInput: stage metadata values are strings ("0.4", "false"). */
const StageInput = z.object({
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
  metadata: z.object({ probability: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/), isClosed: z.enum(['true', 'false']).default('false') }),
});

function dealsOnly(name: string | undefined): void {
  if (objectTypeFrom(name ?? '') !== 'deals') throw validationError(`The HubSpot sandbox keeps pipelines for deals only, not ${name}`);
}

export function pipelineRoutes({ store }: RouteDependencies): Route[] {
  return [
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType', (portal, { params }) => {
      dealsOnly(params.objectType);
      return json({ results: portal.dealPipelines.map(publicPipeline) });
    }),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType/:pipelineId', (portal, { params }) => {
      dealsOnly(params.objectType);
      return json(publicPipeline(store.pipelines.get(portal, params.pipelineId ?? '')));
    }),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType/:pipelineId/stages', (portal, { params }) => {
      dealsOnly(params.objectType);
      const pipeline = store.pipelines.get(portal, params.pipelineId ?? '');
      return json({ results: pipeline.stages.map((stage) => publicStage(pipeline, stage)) });
    }),
    forPortal(store, 'POST', '/crm/v3/pipelines/:objectType/:pipelineId/stages', (portal, { params, body }) => {
      dealsOnly(params.objectType);
      const input = parseBody(StageInput, body);
      const stage = store.pipelines.addStage(portal, params.pipelineId ?? '', {
        label: input.label,
        displayOrder: input.displayOrder,
        probability: Number(input.metadata.probability),
        isClosed: input.metadata.isClosed === 'true',
      });
      return json(publicStage(store.pipelines.get(portal, params.pipelineId ?? ''), stage), 201);
    }),
    forPortal(store, 'DELETE', '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (portal, { params }) => {
      dealsOnly(params.objectType);
      store.pipelines.deleteStage(portal, params.pipelineId ?? '', params.stageId ?? '');
      return noContent();
    }),
    forPortal(store, 'GET', '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (portal, { params }) => {
      dealsOnly(params.objectType);
      const pipeline = store.pipelines.get(portal, params.pipelineId ?? '');
      const stage = pipeline.stages.find((candidate) => candidate.id === params.stageId);
      if (!stage) throw notFound(`Unable to find stage ${params.stageId} in pipeline ${pipeline.id}`);
      return json(publicStage(pipeline, stage));
    }),
  ];
}
