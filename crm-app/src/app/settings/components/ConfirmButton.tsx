import { Button, Modal, ModalBody, ModalFooter, Text, useExtensionActions } from '@hubspot/ui-extensions';

interface ConfirmButtonProps {
  /** The button's own text; it only opens the warning. */
  label: string;
  modalId: string;
  title: string;
  warning: string;
  confirmLabel: string;
  onConfirm: () => void;
  size?: 'xs' | 'sm' | 'md';
  variant?: 'secondary' | 'destructive';
  disabled?: boolean;
}

/** Something that cannot be undone takes two clicks: the button opens a danger modal; only the modal's own button acts. */
export function ConfirmButton({ label, modalId, title, warning, confirmLabel, onConfirm, size = 'md', variant = 'secondary', disabled = false }: ConfirmButtonProps) {
  const { closeOverlay } = useExtensionActions<'settings'>();
  return (
    <Button
      size={size}
      variant={variant}
      disabled={disabled}
      overlay={
        <Modal id={modalId} title={title} variant="danger">
          <ModalBody>
            <Text>{warning}</Text>
          </ModalBody>
          <ModalFooter>
            <Button
              variant="destructive"
              onClick={() => {
                closeOverlay(modalId);
                onConfirm();
              }}
            >
              {confirmLabel}
            </Button>
            <Button onClick={() => closeOverlay(modalId)}>Cancel</Button>
          </ModalFooter>
        </Modal>
      }
    >
      {label}
    </Button>
  );
}
