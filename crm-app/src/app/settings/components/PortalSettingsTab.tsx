import { Alert, Flex } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import type { SettingsView } from '@touchpoints/contracts';
import { DisconnectButton } from './DisconnectButton.js';
import { PortalSettingsForm } from './PortalSettingsForm.js';
import { SenderDomainPanel } from './SenderDomainPanel.js';

interface PortalSettingsTabProps {
  portal: SettingsView['portal'];
  senderDomain: SettingsView['senderDomain'];
  api: SettingsApi;
  reload: () => void;
  timeZone?: string;
}

/**
 * The portal settings form (it starts over from each version the λ hands back, after a save or a
 * reload) and the sender domain's DNS records.
 */
export function PortalSettingsTab({ portal, senderDomain, api, reload, timeZone }: PortalSettingsTabProps) {
  const [saved, setSaved] = useState(false);
  const [disconnected, setDisconnected] = useState<'done' | 'failed' | undefined>();
  if (disconnected === 'done') {
    return <Alert variant="success" title="Touchpoints is disconnected">The app was uninstalled and its data deleted. You can close this page.</Alert>;
  }
  return (
    <Flex direction="column" gap="md">
      {saved && <Alert variant="success" title="Portal settings saved" />}
      {disconnected === 'failed' && <Alert variant="danger" title="Could not disconnect">Nothing was deleted. Please try again.</Alert>}
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
      {senderDomain && <SenderDomainPanel senderDomain={senderDomain} timeZone={timeZone} />}
      <DisconnectButton
        onConfirm={() => {
          api.disconnect().then(
            (result) => setDisconnected(result.outcome === 'accepted' ? 'done' : 'failed'),
            () => setDisconnected('failed'),
          );
        }}
      />
    </Flex>
  );
}
