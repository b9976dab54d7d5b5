import { Button, ErrorState, Text } from '@hubspot/ui-extensions';
import { CONNECT_URL } from '@touchpoints/contracts';

interface SettingsErrorStateProps {
  message: string;
  /** The portal has not installed Touchpoints (or uninstalled it): connecting, not retrying, helps. */
  notConnected: boolean;
  onRetry: () => void;
}

/** The settings could not be loaded; the admin can ask again, or connect Touchpoints first. */
export function SettingsErrorState({ message, notConnected, onRetry }: SettingsErrorStateProps) {
  if (notConnected) {
    return (
      <ErrorState title={message}>
        <Text>Connect Touchpoints to this HubSpot account to set up touchpoints and see the report.</Text>
        <Button variant="primary" href={CONNECT_URL}>
          Connect
        </Button>
      </ErrorState>
    );
  }
  return (
    <ErrorState title="Touchpoints settings could not be loaded">
      <Text>{message}</Text>
      <Button onClick={onRetry}>Try again</Button>
    </ErrorState>
  );
}
