import { ConfirmButton } from './ConfirmButton.js';

export function DisconnectButton({ onConfirm }: { onConfirm: () => void }) {
  return (
    <ConfirmButton
      label="Disconnect Touchpoints"
      variant="destructive"
      modalId="disconnect-touchpoints"
      title="Disconnect Touchpoints?"
      warning="The app is uninstalled from this HubSpot account, and everything Touchpoints stored for it is deleted: touchpoints, surveys, answers, comments and follow-ups. The Touchpoints properties on your records stay. This cannot be undone."
      confirmLabel="Disconnect and delete"
      onConfirm={onConfirm}
    />
  );
}
