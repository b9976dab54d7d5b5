import { Button, ButtonRow, Flex, Form, Heading, LoadingButton, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { SettingsApi, TemplateApplied } from '../hooks/settings-api-client.js';
import { useSaveFlow } from '../hooks/useSaveFlow.js';
import type { PipelineView, TemplateView } from '@touchpoints/contracts';
import { noProblems, shownBeside } from './field-problems.js';
import { SaveAlerts } from './SaveAlerts.js';
import { stageOptions } from './stage-options.js';
import { placeTemplateProblems, stagesMatchingSteps, validateTemplateChoice } from './template-choice.js';

export interface TemplateMappingProps {
  template: TemplateView;
  pipelines: readonly PipelineView[];
  api: SettingsApi;
  onApplied: (applied: TemplateApplied) => void;
  onBack: () => void;
  onReload: () => void;
}

const conflictMessage = 'Someone else changed the touchpoints since you opened this page — reload to see their version';

/** The template's journey steps laid onto one of the portal's pipelines, step by step. */
export function TemplateMapping({ template, pipelines, api, onApplied, onBack, onReload }: TemplateMappingProps) {
  const [pipelineId, setPipelineId] = useState(pipelines[0]?.id ?? '');
  const pipeline = pipelines.find((candidate) => candidate.id === pipelineId);
  const [stageOfStep, setStageOfStep] = useState(() => stagesMatchingSteps(template, pipeline));
  const { state, submit } = useSaveFlow({
    validate: () => validateTemplateChoice(template, pipelineId, stageOfStep),
    save: (choice) => api.applyTemplate(template.id, choice),
    onSaved: onApplied,
  });
  const problems = state.status === 'invalid' ? placeTemplateProblems(state.problems, template) : noProblems<string>();

  return (
    <Flex direction="column" gap="md">
      <Heading>{`Use “${template.name}”`}</Heading>
      <Text>
        Choose the pipeline your deals move through, then the stage where each step of the journey happens. Each
        step becomes a touchpoint you can edit afterwards.
      </Text>
      <SaveAlerts state={state} elsewhere={problems.elsewhere} conflictMessage={conflictMessage} onReload={onReload} />
      <Form testId="template-mapping" onSubmit={() => void submit()}>
        <Flex direction="column" gap="sm">
          <Select
            label="Pipeline"
            name="pipelineId"
            required
            options={pipelines.map((candidate) => ({ label: candidate.label, value: candidate.id }))}
            value={pipelineId}
            onChange={(value) => {
              const chosen = String(value);
              setPipelineId(chosen);
              // Stages belong to one pipeline: start the mapping over on the new one.
              setStageOfStep(stagesMatchingSteps(template, pipelines.find((candidate) => candidate.id === chosen)));
            }}
            {...shownBeside(problems, 'pipelineId')}
          />
          {template.steps.map((step) => {
            const field = `stageOfStep.${step.id}`;
            const stageId = stageOfStep[step.id] ?? '';
            return (
              <Select
                key={step.id}
                label={step.optional ? `${step.label} (optional)` : step.label}
                name={field}
                required={!step.optional}
                placeholder="Choose a stage"
                options={stageOptions(pipeline?.stages ?? [], stageId)}
                value={stageId}
                onChange={(value) => setStageOfStep((current) => ({ ...current, [step.id]: String(value) }))}
                {...shownBeside(problems, field)}
              />
            );
          })}
          <ButtonRow disableDropdown>
            <LoadingButton type="submit" variant="primary" loading={state.status === 'saving'}>
              Apply template
            </LoadingButton>
            <Button onClick={onBack}>Choose another template</Button>
          </ButtonRow>
        </Flex>
      </Form>
    </Flex>
  );
}
