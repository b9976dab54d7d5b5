import { Flex, Select } from '@hubspot/ui-extensions';
import type { PipelineView } from '@touchpoints/contracts';
import type { ShownProblems } from './field-problems.js';
import { stageOptions } from './stage-options.js';

interface TriggerFieldsProps {
  pipelines: readonly PipelineView[];
  pipelineId: string;
  stageId: string;
  onPipelineChange: (pipelineId: string) => void;
  onStageChange: (stageId: string) => void;
  pipelineProblems: ShownProblems;
  stageProblems: ShownProblems;
}

/** Which deal stage starts the touchpoint, chosen from the portal's live pipelines. */
export function TriggerFields({
  pipelines,
  pipelineId,
  stageId,
  onPipelineChange,
  onStageChange,
  pipelineProblems,
  stageProblems,
}: TriggerFieldsProps) {
  const pipeline = pipelines.find((candidate) => candidate.id === pipelineId);
  const pipelineOptions = pipelines.map((candidate) => ({ label: candidate.label, value: candidate.id }));
  if (pipelineId !== '' && !pipeline) pipelineOptions.push({ label: `Unknown pipeline (${pipelineId})`, value: pipelineId });
  return (
    <Flex direction="row" gap="sm" align="start">
      <Select
        label="Pipeline"
        name="trigger.pipelineId"
        required
        options={pipelineOptions}
        value={pipelineId}
        onChange={(value) => onPipelineChange(String(value))}
        {...pipelineProblems}
      />
      <Select
        label="Starts when a deal enters"
        name="trigger.stageId"
        required
        placeholder="Choose a stage"
        options={stageOptions(pipeline?.stages ?? [], stageId)}
        value={stageId}
        onChange={(value) => onStageChange(String(value))}
        {...stageProblems}
      />
    </Flex>
  );
}
