import { Tab, Tabs } from '@hubspot/ui-extensions';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import type { SettingsView } from '../settings-api.js';
import { PortalSettingsTab } from './PortalSettingsTab.js';
import { RecentChanges } from './RecentChanges.js';
import { TouchpointsTab } from './TouchpointsTab.js';

interface SettingsTabsProps {
  view: SettingsView;
  api: SettingsApi;
  reload: () => void;
  timeZone?: string;
}

/** The loaded settings page: the touchpoints, the portal-wide settings, and the log of changes. */
export function SettingsTabs({ view, api, reload, timeZone }: SettingsTabsProps) {
  return (
    <Tabs defaultSelected="touchpoints">
      <Tab tabId="touchpoints" title="Touchpoints">
        <TouchpointsTab view={view} api={api} reload={reload} />
      </Tab>
      <Tab tabId="portal" title="Portal settings">
        <PortalSettingsTab portal={view.portal} api={api} reload={reload} />
      </Tab>
      <Tab tabId="changes" title="Recent changes">
        <RecentChanges changes={view.recentChanges} timeZone={timeZone} />
      </Tab>
    </Tabs>
  );
}
