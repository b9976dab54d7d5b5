import { Button, Modal, ModalBody, ModalFooter, Text, useExtensionActions } from '@hubspot/ui-extensions';
import type { TouchpointDefinition } from '../../shared/touchpoint.js';

interface DeleteTouchpointButtonProps {
  touchpoint: TouchpointDefinition;
  disabled: boolean;
  onConfirm: () => void;
}

/** Delete asks first: the button only opens a confirmation; the modal's own button deletes. */
export function DeleteTouchpointButton({ touchpoint, disabled, onConfirm }: DeleteTouchpointButtonProps) {
  const { closeOverlay } = useExtensionActions<'settings'>();
  const modalId = `delete-touchpoint-${touchpoint.id}`;
  return (
    <Button
      size="xs"
      disabled={disabled}
      overlay={
        <Modal id={modalId} title={`Delete “${touchpoint.name}”?`} variant="danger">
          <ModalBody>
            <Text>No more surveys go out for this touchpoint. This cannot be undone.</Text>
          </ModalBody>
          <ModalFooter>
            <Button
              variant="destructive"
              onClick={() => {
                closeOverlay(modalId);
                onConfirm();
              }}
            >
              Delete touchpoint
            </Button>
            <Button onClick={() => closeOverlay(modalId)}>Cancel</Button>
          </ModalFooter>
        </Modal>
      }
    >
      Delete
    </Button>
  );
}
