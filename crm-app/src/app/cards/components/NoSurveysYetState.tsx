import { EmptyState, Text } from '@hubspot/ui-extensions';

/** Touchpoints are set up, but nobody on this record has been asked anything yet. */
export function NoSurveysYetState() {
  return (
    <EmptyState title="No surveys yet" layout="vertical" imageName="emailConfirmation">
      <Text>
        A survey goes out when a deal reaches a pipeline stage that has a touchpoint. The answers will show here.
      </Text>
    </EmptyState>
  );
}
