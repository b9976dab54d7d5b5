import { Button, ErrorState, Text } from '@hubspot/ui-extensions';

interface SettingsErrorStateProps {
  message: string;
  onRetry: () => void;
}

/** The settings could not be loaded; the admin can ask again. */
export function SettingsErrorState({ message, onRetry }: SettingsErrorStateProps) {
  return (
    <ErrorState title="Touchpoints settings could not be loaded">
      <Text>{message}</Text>
      <Button onClick={onRetry}>Try again</Button>
    </ErrorState>
  );
}
