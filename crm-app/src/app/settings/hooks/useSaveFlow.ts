import { useState } from 'react';
import { problemLines } from '../components/field-problems.js';
import { SettingsApiError, type WriteResult } from './settings-api-client.js';

/** What the form's own check said: the value to send, or "field.path: message" lines. */
export type Validation<Valid> = { valid: true; value: Valid } | { valid: false; problems: string[] };

export type SaveState =
  | { status: 'editing' }
  | { status: 'saving' }
  /** Refused by the form's own check or by the λ (400); the lines name their fields. */
  | { status: 'invalid'; problems: string[] }
  /** The λ holds a newer version than the one the form started from (409). */
  | { status: 'conflict' }
  | { status: 'failed'; message: string };

interface SaveFlowOptions<Valid, Answer> {
  validate: () => Validation<Valid>;
  save: (value: Valid) => Promise<WriteResult<Answer>>;
  onSaved: (answer: Answer) => void;
}

const unreachableMessage = 'Could not reach Touchpoints. Nothing was saved; try again.';

/**
 * One form's way from "Save" to the λ: the schema first (nothing is sent while it finds a
 * problem), then the write, whose refusals come back to the form.
 */
export function useSaveFlow<Valid, Answer>({ validate, save, onSaved }: SaveFlowOptions<Valid, Answer>) {
  const [state, setState] = useState<SaveState>({ status: 'editing' });

  async function submit() {
    const checked = validate();
    if (!checked.valid) {
      setState({ status: 'invalid', problems: checked.problems });
      return;
    }
    setState({ status: 'saving' });
    let result: WriteResult<Answer>;
    try {
      result = await save(checked.value);
    } catch (error) {
      setState({ status: 'failed', message: error instanceof SettingsApiError ? error.message : unreachableMessage });
      return;
    }
    switch (result.outcome) {
      case 'accepted':
        setState({ status: 'editing' });
        onSaved(result.answer);
        return;
      case 'invalid':
        setState({ status: 'invalid', problems: problemLines(result.problems) });
        return;
      case 'conflict':
        setState({ status: 'conflict' });
        return;
    }
  }

  return { state, submit };
}
