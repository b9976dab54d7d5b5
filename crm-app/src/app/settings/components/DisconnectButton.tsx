import { Button, Modal, ModalBody, ModalFooter, Text, useExtensionActions } from '@hubspot/ui-extensions';

/** Leaving is two clicks: the button opens a warning; only the modal's own button disconnects. */
export function DisconnectButton({ onConfirm }: { onConfirm: () => void }) {
  const { closeOverlay } = useExtensionActions<'settings'>();
  const modalId = 'disconnect-touchpoints';
  return (
    <Button
      variant="destructive"
      overlay={
        <Modal id={modalId} title="Disconnect Touchpoints?" variant="danger">
          <ModalBody>
            <Text>
              The app is uninstalled from this HubSpot account, and everything Touchpoints stored for it is deleted: touchpoints,
              surveys, answers, comments and follow-ups. The Touchpoints properties on your records stay. This cannot be undone.
            </Text>
          </ModalBody>
          <ModalFooter>
            <Button
              variant="destructive"
              onClick={() => {
                closeOverlay(modalId);
                onConfirm();
              }}
            >
              Disconnect and delete
            </Button>
            <Button onClick={() => closeOverlay(modalId)}>Cancel</Button>
          </ModalFooter>
        </Modal>
      }
    >
      Disconnect Touchpoints
    </Button>
  );
}
