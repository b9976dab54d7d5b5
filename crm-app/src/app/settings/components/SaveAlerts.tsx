import { Alert, Button, List, Text } from '@hubspot/ui-extensions';
import type { SaveState } from '../hooks/useSaveFlow.js';

interface SaveAlertsProps {
  state: SaveState;
  /** Problems no input on the form can show. */
  elsewhere: readonly string[];
  /** What a 409 means for this form, ending in what Reload does. */
  conflictMessage: string;
  onReload: () => void;
}

/** Why the last save did not go through, above the form. */
export function SaveAlerts({ state, elsewhere, conflictMessage, onReload }: SaveAlertsProps) {
  switch (state.status) {
    case 'editing':
    case 'saving':
      return null;
    case 'conflict':
      return (
        <Alert variant="warning" title="Not saved">
          <Text>{conflictMessage}</Text>
          <Button onClick={onReload}>Reload</Button>
        </Alert>
      );
    case 'failed':
      return (
        <Alert variant="danger" title="Not saved">
          <Text>{state.message}</Text>
        </Alert>
      );
    case 'invalid': {
      const anyBesideFields = state.problems.length > elsewhere.length;
      return (
        <Alert variant="danger" title="Not saved">
          {anyBesideFields && <Text>Fix the fields marked below, then save again.</Text>}
          {elsewhere.length > 0 && (
            <List>
              {elsewhere.map((problem) => (
                <Text key={problem}>{problem}</Text>
              ))}
            </List>
          )}
        </Alert>
      );
    }
  }
}
