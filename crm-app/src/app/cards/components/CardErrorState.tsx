import { Button, ErrorState, Text } from '@hubspot/ui-extensions';

interface CardErrorStateProps {
  message: string;
  onRetry: () => void;
}

/** The card could not show this record's touchpoints; the rep can ask again. */
export function CardErrorState({ message, onRetry }: CardErrorStateProps) {
  return (
    <ErrorState title="Touchpoints could not be loaded">
      <Text>{message}</Text>
      <Button onClick={onRetry}>Try again</Button>
    </ErrorState>
  );
}
