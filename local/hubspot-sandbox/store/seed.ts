/** A portal as its seed describes it: pipelines, owners, standard properties, records and their associations. */
import { dayMs } from '@touchpoints/contracts';
import {
  type CrmObjectType,
  type PortalSeed,
  crmObjectTypes,
  defaultPropertyGroups,
  stageDateProperties,
  standardProperties,
} from '../model.js';
import { link } from './associations.js';
import type { ChangeSource } from './events.js';
import { newRecord, recordPastStageMove } from './records.js';
import { type PortalState, iso } from './state.js';

export function seedPortal(seed: PortalSeed, at: number): PortalState {
  const created = iso(at);
  const dealPipelines = seed.dealPipelines.map((pipeline, pipelineOrder) => ({
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipelineOrder,
    stages: pipeline.stages.map((stage, displayOrder) => ({ ...stage, displayOrder })),
    createdAt: at,
    updatedAt: at,
  }));
  const stageIds = dealPipelines.flatMap((pipeline) => pipeline.stages.map((stage) => stage.id));
  const properties = Object.fromEntries(crmObjectTypes.map((type) => [type, standardProperties(type, created)])) as PortalState['properties'];
  properties.deals.push(...stageDateProperties(stageIds, created));
  for (const definition of properties.deals) {
    if (definition.name === 'pipeline') definition.options = dealPipelines.map((p, displayOrder) => ({ label: p.label, value: p.id, displayOrder, hidden: false }));
    if (definition.name === 'dealstage') {
      definition.options = dealPipelines.flatMap((p) => p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false })));
    }
  }

  const portal: PortalState = {
    portalId: seed.portalId,
    hubDomain: seed.hubDomain ?? `portal-${seed.portalId}.sandbox.hubspot.invalid`,
    records: Object.fromEntries(crmObjectTypes.map((type) => [type, {}])) as PortalState['records'],
    associations: [],
    dealPipelines,
    owners: seed.owners.map((owner) => ({ ...owner, createdAt: at, updatedAt: at })),
    properties,
    propertyGroups: Object.fromEntries(crmObjectTypes.map((type) => [type, [{ ...defaultPropertyGroups[type] }]])) as PortalState['propertyGroups'],
  };

  const seedSource: ChangeSource = { sourceType: 'IMPORT', sourceId: 'sandbox-seed' };
  for (const type of ['contacts', 'companies', 'deals'] as const) {
    for (const recordSeed of seed[type] ?? []) {
      const values = { ...recordSeed.properties };
      if (type === 'deals') {
        values.pipeline ??= dealPipelines[0]?.id ?? 'default';
        const stageKnown = dealPipelines.some((p) => p.id === values.pipeline && p.stages.some((stage) => stage.id === values.dealstage));
        if (!stageKnown) throw new Error(`Seed deal ${recordSeed.id} of portal ${seed.portalId} is in no stage of pipeline ${values.pipeline}`);
      }
      const [created, ...moves] = recordSeed.stageHistory ?? [];
      if (!created) {
        portal.records[type][recordSeed.id] = newRecord(recordSeed.id, type, values, at, seedSource);
        continue;
      }
      if ((moves.at(-1) ?? created).stageId !== values.dealstage) throw new Error(`Seed deal ${recordSeed.id} of portal ${seed.portalId} ends its stage history outside its dealstage`);
      const record = newRecord(recordSeed.id, type, { ...values, dealstage: created.stageId }, at - created.daysBeforeSeed * dayMs, seedSource);
      for (const { stageId, daysBeforeSeed } of moves) recordPastStageMove(record, stageId, at - daysBeforeSeed * dayMs, seedSource);
      portal.records[type][recordSeed.id] = record;
    }
  }
  for (const type of ['contacts', 'companies', 'deals'] as const) {
    for (const recordSeed of seed[type] ?? []) {
      for (const [toType, ids] of Object.entries(recordSeed.associations ?? {}) as Array<[CrmObjectType, string[]]>) {
        for (const id of ids) link(portal, { type, id: recordSeed.id }, { type: toType, id });
      }
    }
  }
  return portal;
}
