import { Button, EmptyState, Text } from '@hubspot/ui-extensions';

/**
 * Where the portal's installed apps are listed; the app's settings are one click further
 * (a card has no documented link straight to its app's settings page).
 */
export function connectedAppsUrl(portalId: number): string {
  return `https://app.hubspot.com/connected-apps/${portalId}/installed`;
}

/** The portal has installed Touchpoints but set up no touchpoints yet. */
export function NotConfiguredState({ portalId }: { portalId: number }) {
  return (
    <EmptyState title="No touchpoints set up yet" layout="vertical" imageName="customerExperience">
      <Text>
        Touchpoints asks customers to rate each step of their journey, from the test drive to the delivery. Set up
        the touchpoints in the app&apos;s settings to start.
      </Text>
      <Button variant="primary" href={connectedAppsUrl(portalId)}>
        Open connected apps
      </Button>
      <Text variant="microcopy">Settings › Integrations › Connected apps › Touchpoints › Settings</Text>
    </EmptyState>
  );
}
