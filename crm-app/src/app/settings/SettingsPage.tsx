import { hubspot, LoadingSpinner } from '@hubspot/ui-extensions';
import { SettingsErrorState } from './components/SettingsErrorState.js';
import { SettingsTabs } from './components/SettingsTabs.js';
import { settingsApiFromHubSpot, type SettingsApi } from './hooks/settings-api-client.js';
import { useSettingsView } from './hooks/useSettingsView.js';

hubspot.extend<'settings'>(({ context }) => <SettingsPageView timeZone={context.portal.timezone} />);

export interface SettingsPageViewProps {
  /** Where the settings come from and go to; the settings λ unless a test says otherwise. */
  api?: SettingsApi;
  /** The portal's time zone, for the times in the change log. */
  timeZone?: string;
}

/** Where a portal's admins set up touchpoint analysis: the touchpoints, the portal's rules, who changed what. */
export function SettingsPageView({ api = settingsApiFromHubSpot, timeZone }: SettingsPageViewProps) {
  const { state, retry, reload } = useSettingsView(api);
  switch (state.status) {
    case 'loading':
      return <LoadingSpinner label="Loading Touchpoints settings" showLabel layout="centered" />;
    case 'error':
      return <SettingsErrorState message={state.message} notConnected={state.notConnected} onRetry={retry} />;
    case 'loaded':
      return <SettingsTabs view={state.view} api={api} reload={reload} timeZone={timeZone} />;
  }
}
