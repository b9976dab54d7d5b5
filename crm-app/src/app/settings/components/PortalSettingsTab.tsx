import { Alert, Flex } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import type { SettingsView } from '../settings-api.js';
import { PortalSettingsForm } from './PortalSettingsForm.js';

interface PortalSettingsTabProps {
  portal: SettingsView['portal'];
  api: SettingsApi;
  reload: () => void;
}

/** The portal settings form; it starts over from each version the λ hands back (after a save or a reload). */
export function PortalSettingsTab({ portal, api, reload }: PortalSettingsTabProps) {
  const [saved, setSaved] = useState(false);
  return (
    <Flex direction="column" gap="md">
      {saved && <Alert variant="success" title="Portal settings saved" />}
      <PortalSettingsForm
        key={portal?.version ?? 'unsaved'}
        portal={portal}
        api={api}
        onSaved={() => {
          setSaved(true);
          reload();
        }}
        onReload={() => {
          setSaved(false);
          reload();
        }}
      />
    </Flex>
  );
}
