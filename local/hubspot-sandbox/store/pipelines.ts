/** Deal pipelines and their stages, and deals moving between stages. */
import { notFound, validationError } from '../http.js';
import { stageDateProperties } from '../model.js';
import type { PersistentState } from './persistence.js';
import { invalidProperties } from './properties.js';
import type { RecordStore } from './records.js';
import { type PortalState, type StoreOptions, iso } from './state.js';

export interface DealStage {
  id: string;
  label: string;
  displayOrder: number;
  probability: number;
  isClosed: boolean;
}

export interface DealPipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: DealStage[];
  createdAt: number;
  updatedAt: number;
}

/** What moving a deal did; `changed` is false when it already was in that stage. */
export interface DealMove {
  portalId: number;
  dealId: string;
  dealName: string | undefined;
  pipelineId: string;
  fromStageId: string | undefined;
  fromStageLabel: string | undefined;
  toStageId: string;
  toStageLabel: string;
  changed: boolean;
  movedAt: string;
}

export class PipelineStore {
  constructor(private readonly db: PersistentState, private readonly records: RecordStore, private readonly options: StoreOptions) {}

  get(portal: PortalState, pipelineId: string): DealPipeline {
    const pipeline = portal.dealPipelines.find((candidate) => candidate.id === pipelineId);
    if (!pipeline) throw notFound(`Unable to find pipeline with id ${pipelineId}`);
    return pipeline;
  }

  /** An admin adding a stage to a deal pipeline (HubSpot numbers new stages itself). */
  addStage(portal: PortalState, pipelineId: string, input: { label: string; displayOrder?: number; probability: number; isClosed: boolean }): DealStage {
    const pipeline = this.get(portal, pipelineId);
    const at = this.options.now();
    const stage: DealStage = {
      id: String(at).slice(-6) + String(pipeline.stages.length + 1).padStart(3, '0'),
      label: input.label,
      displayOrder: input.displayOrder ?? pipeline.stages.length,
      probability: input.probability,
      isClosed: input.isClosed,
    };
    pipeline.stages.push(stage);
    pipeline.updatedAt = at;
    const dealProperties = portal.properties.deals;
    dealProperties.find(({ name }) => name === 'dealstage')?.options.push({ label: stage.label, value: stage.id, displayOrder: stage.displayOrder, hidden: false });
    dealProperties.push(...stageDateProperties([stage.id], iso(at)));
    this.db.save();
    return stage;
  }

  /** As in HubSpot, a stage that still holds deals cannot be deleted. */
  deleteStage(portal: PortalState, pipelineId: string, stageId: string): void {
    const pipeline = this.get(portal, pipelineId);
    if (!pipeline.stages.some(({ id }) => id === stageId)) throw notFound(`Unable to find stage ${stageId} in pipeline ${pipelineId}`);
    const occupied = Object.values(portal.records.deals).some((deal) => !deal.archived && deal.properties.dealstage === stageId);
    if (occupied) throw validationError(`Stage ${stageId} still has deals; move them before deleting it`);
    pipeline.stages = pipeline.stages.filter(({ id }) => id !== stageId);
    pipeline.updatedAt = this.options.now();
    const options = portal.properties.deals.find(({ name }) => name === 'dealstage')?.options;
    if (options) options.splice(0, options.length, ...options.filter(({ value }) => value !== stageId));
    this.db.save();
  }

  /** A salesperson dragging the deal to another stage in HubSpot's UI. */
  moveDeal(portalId: number, dealId: string, stageId: string): DealMove {
    const portal = this.db.portal(portalId);
    const deal = this.records.get(portal, 'deals', dealId);
    const pipelineId = deal.properties.pipeline ?? '';
    const stage = requireStage(portal, pipelineId, stageId);
    const fromStageId = deal.properties.dealstage;
    const fromStageLabel = this.get(portal, pipelineId).stages.find((candidate) => candidate.id === fromStageId)?.label;
    const owner = portal.owners.find((candidate) => candidate.id === deal.properties.hubspot_owner_id) ?? portal.owners[0];
    this.records.update(portal, 'deals', dealId, { dealstage: stageId }, { sourceType: 'CRM_UI', sourceId: `userId:${owner?.userId ?? 0}` });
    return {
      portalId,
      dealId,
      dealName: deal.properties.dealname,
      pipelineId,
      fromStageId,
      fromStageLabel,
      toStageId: stageId,
      toStageLabel: stage.label,
      changed: fromStageId !== stageId,
      movedAt: iso(deal.updatedAt),
    };
  }
}

/** The stage of the pipeline a deal is put in; HubSpot's 400 for a stage of another pipeline (or none). */
export function requireStage(portal: PortalState, pipelineId: string, stageId: string): DealStage {
  const pipeline = portal.dealPipelines.find((candidate) => candidate.id === pipelineId);
  const stage = pipeline?.stages.find((candidate) => candidate.id === stageId);
  if (!stage) {
    throw invalidProperties([{ name: 'dealstage', error: 'INVALID_OPTION', message: `${stageId} was not one of the allowed options for pipeline ${pipelineId}` }]);
  }
  return stage;
}
