import {
  Alert,
  Button,
  ButtonRow,
  Checkbox,
  Flex,
  Form,
  Heading,
  Input,
  List,
  LoadingButton,
  NumberInput,
  Select,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { type Phase, phases, type PipelineView, type SurveyLanguage, type TouchpointDefinition } from '@touchpoints/contracts';
import type { SettingsApi, WriteResult, Saved } from '../hooks/settings-api-client.js';
import { useSaveFlow } from '../hooks/useSaveFlow.js';
import { DurationFields } from './DurationFields.js';
import { noProblems, shownBeside } from './field-problems.js';
import { FollowUpFields } from './FollowUpFields.js';
import { phaseLabels } from './format.js';
import { CustomerNameFields } from './CustomerNameFields.js';
import { QuestionFields } from './QuestionFields.js';
import { SaveAlerts } from './SaveAlerts.js';
import { SurveyPreview } from './SurveyPreview.js';
import {
  idFromName,
  placeTouchpointProblems,
  touchpointProblemInWords,
  validateTouchpoint,
  type TouchpointDraft,
  type TouchpointField,
} from './touchpoint-draft.js';
import { TriggerFields } from './TriggerFields.js';
import { typedNumber } from './typed-number.js';

/** What the editor opens on: a new touchpoint (blank or a duplicate), or a saved one at its version. */
export type EditorOpening =
  | { mode: 'create'; draft: TouchpointDraft }
  | { mode: 'edit'; draft: TouchpointDraft; version: number; problems: readonly string[] };

export interface TouchpointEditorProps {
  opening: EditorOpening;
  pipelines: readonly PipelineView[];
  defaultLanguage: SurveyLanguage;
  senderName: string | null;
  api: SettingsApi;
  onSaved: (touchpointName: string) => void;
  onCancel: () => void;
  onReload: () => void;
}

const phaseOptions = phases.map((phase) => ({ label: phaseLabels[phase], value: phase }));

const conflictMessage = 'Someone else changed this touchpoint since you opened it — reload to see their version';

/**
 * Creating under an id that exists is refused with a 409 as well (no version was expected);
 * that is about the id the admin chose, so it belongs beside the id.
 */
function idTakenIfCreating(result: WriteResult<Saved>, creating: boolean): WriteResult<Saved> {
  if (!creating || result.outcome !== 'conflict') return result;
  return { outcome: 'invalid', problems: { message: result.problems.message, problems: ['id: is taken by another touchpoint; choose another'] } };
}

/** Creates or edits one touchpoint; checks it with the λ's own schema before anything is sent. */
export function TouchpointEditor({
  opening,
  pipelines,
  defaultLanguage,
  senderName,
  api,
  onSaved,
  onCancel,
  onReload,
}: TouchpointEditorProps) {
  const creating = opening.mode === 'create';
  const [draft, setDraft] = useState(opening.draft);
  // A new touchpoint's id follows its name until the admin types one (a duplicate arrives with one).
  const [idTyped, setIdTyped] = useState(opening.draft.id !== '');
  const { state, submit } = useSaveFlow({
    validate: () => validateTouchpoint(draft, defaultLanguage),
    save: async (touchpoint: TouchpointDefinition) =>
      idTakenIfCreating(await api.saveTouchpoint(touchpoint, creating ? null : opening.version), creating),
    onSaved: () => onSaved(draft.name.trim()),
  });
  const problems = state.status === 'invalid' ? placeTouchpointProblems(state.problems, defaultLanguage) : noProblems<TouchpointField>();
  const update = (change: Partial<TouchpointDraft>) => setDraft((current) => ({ ...current, ...change }));
  const pipeline = pipelines.find((candidate) => candidate.id === draft.pipelineId);

  return (
    <Flex direction="column" gap="md">
      <Heading>{creating ? 'New touchpoint' : `Edit “${opening.draft.name}”`}</Heading>
      {opening.mode === 'edit' && opening.problems.length > 0 && (
        <Alert variant="warning" title="This touchpoint needs attention">
          <List>
            {opening.problems.map((problem) => (
              <Text key={problem}>{touchpointProblemInWords(problem, defaultLanguage)}</Text>
            ))}
          </List>
        </Alert>
      )}
      <SaveAlerts state={state} elsewhere={problems.elsewhere} conflictMessage={conflictMessage} onReload={onReload} />
      <Form testId="touchpoint-editor" onSubmit={() => void submit()}>
        <Flex direction="column" gap="md">
          <Input
            label="Name"
            name="name"
            required
            value={draft.name}
            onChange={(name) => update(idTyped ? { name } : { name, id: idFromName(name) })}
            {...shownBeside(problems, 'name')}
          />
          {creating ? (
            <Input
              label="Id"
              name="id"
              required
              description="Lower-case letters, digits and dashes. It cannot be changed later."
              value={draft.id}
              onChange={(id) => {
                setIdTyped(true);
                update({ id });
              }}
              {...shownBeside(problems, 'id')}
            />
          ) : (
            <Text variant="microcopy">Id: {draft.id}</Text>
          )}
          <Select
            label="Phase"
            name="phase"
            required
            options={phaseOptions}
            value={draft.phase}
            onChange={(phase) => update({ phase: phase as Phase })}
            {...shownBeside(problems, 'phase')}
          />
          <TriggerFields
            pipelines={pipelines}
            pipelineId={draft.pipelineId}
            stageId={draft.stageId}
            // Stages belong to one pipeline: a new pipeline leaves nothing chosen rather than a stranger's stage.
            onPipelineChange={(pipelineId) =>
              update({ pipelineId, stageId: '', followUp: { ...draft.followUp, stageId: '' } })
            }
            onStageChange={(stageId) => update({ stageId })}
            pipelineProblems={shownBeside(problems, 'trigger.pipelineId')}
            stageProblems={shownBeside(problems, 'trigger.stageId')}
          />
          <CustomerNameFields
            customerName={draft.customerName}
            name={draft.name}
            onChange={(language, text) => update({ customerName: { ...draft.customerName, [language]: text } })}
            problems={problems}
          />
          <QuestionFields
            question={draft.question}
            defaultLanguage={defaultLanguage}
            onChange={(language, text) => update({ question: { ...draft.question, [language]: text } })}
            problems={problems}
          />
          <SurveyPreview question={draft.question} defaultLanguage={defaultLanguage} senderName={senderName} />
          <DurationFields
            label="Send the survey after"
            path="sendDelay"
            description="Counted from the moment the deal enters the stage."
            duration={draft.sendDelay}
            onChange={(sendDelay) => update({ sendDelay })}
            amountProblems={shownBeside(problems, 'sendDelay.amount')}
            unitProblems={shownBeside(problems, 'sendDelay.unit')}
          />
          <FollowUpFields
            followUp={draft.followUp}
            pipeline={pipeline}
            triggerStageId={draft.stageId}
            onChange={(followUp) => update({ followUp })}
            problems={problems}
          />
          <Toggle
            label="Enabled"
            name="enabled"
            labelDisplay="inline"
            checked={draft.enabled}
            onChange={(enabled) => update({ enabled })}
          />
          <Checkbox
            name="measuresOverall"
            checked={draft.measuresOverall}
            description="For a question like “How likely are you to recommend us?”: the report explains its answers by the other touchpoints."
            onChange={(measuresOverall) => update({ measuresOverall })}
          >
            Asks about the whole experience
          </Checkbox>
          <Checkbox
            name="afterLostDeal"
            checked={draft.afterLostDeal}
            description="On a stage where lost deals go: the report shows its answers apart, as lost deals. Always on for a stage HubSpot marks closed lost."
            onChange={(afterLostDeal) => update({ afterLostDeal })}
          >
            Asks customers who chose someone else
          </Checkbox>
          <NumberInput
            label="Position in its phase"
            name="position"
            description="Touchpoints of a phase are listed from the lowest position up."
            min={0}
            precision={0}
            value={draft.position}
            onChange={(position) => update({ position: typedNumber(position) })}
            {...shownBeside(problems, 'position')}
          />
          <ButtonRow disableDropdown>
            <LoadingButton type="submit" variant="primary" loading={state.status === 'saving'}>
              Save touchpoint
            </LoadingButton>
            <Button onClick={onCancel}>Cancel</Button>
          </ButtonRow>
        </Flex>
      </Form>
    </Flex>
  );
}
