import { ErrorState, Text } from '@hubspot/ui-extensions';

/** The card's configuration puts it only on these objects; this says so if that ever changes. */
export function UnsupportedRecordState() {
  return (
    <ErrorState title="Touchpoints is not available here">
      <Text>Touchpoints shows survey answers on contacts, companies and deals.</Text>
    </ErrorState>
  );
}
