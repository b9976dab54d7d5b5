import { Flex, Tab, Tabs } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import type { SettingsView } from '@touchpoints/contracts';
import { PortalSettingsTab } from './PortalSettingsTab.js';
import { RecentChanges } from './RecentChanges.js';
import { ReportTab } from './ReportTab.js';
import { SurveysPausedAlert } from './SurveysPausedAlert.js';
import { TouchpointsTab } from './TouchpointsTab.js';

interface SettingsTabsProps {
  view: SettingsView;
  api: SettingsApi;
  reload: () => void;
  timeZone?: string;
}

/**
 * The loaded settings page: the touchpoints, the portal-wide settings, the log of changes, and
 * the report; above them, while the sender domain is not verified, that the surveys are paused.
 */
export function SettingsTabs({ view, api, reload, timeZone }: SettingsTabsProps) {
  // The report is only asked for once its tab is opened, and kept while the admin looks elsewhere.
  const [reportOpened, setReportOpened] = useState(false);
  const { senderDomain } = view;
  return (
    <Flex direction="column" gap="md">
      {senderDomain && senderDomain.state !== 'verified' && <SurveysPausedAlert domain={senderDomain.domain} />}
      <Tabs defaultSelected="touchpoints"
        onSelectedChange={(tabId: string | number) => {
          if (tabId === 'report') setReportOpened(true);
        }}
      >
        <Tab tabId="touchpoints" title="Touchpoints">
          <TouchpointsTab view={view} api={api} reload={reload} />
        </Tab>
        <Tab tabId="portal" title="Portal settings">
          <PortalSettingsTab portal={view.portal} senderDomain={senderDomain} api={api} reload={reload} timeZone={timeZone} />
        </Tab>
        <Tab tabId="changes" title="Recent changes">
          <RecentChanges changes={view.recentChanges} timeZone={timeZone} />
        </Tab>
        <Tab tabId="report" title="Report">
          {reportOpened && <ReportTab pipelines={view.pipelines} owners={view.owners} touchpoints={view.touchpoints} api={api} timeZone={timeZone} />}
        </Tab>
      </Tabs>
    </Flex>
  );
}
