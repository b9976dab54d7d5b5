import type { TouchpointDefinition } from '@touchpoints/contracts';
import { ConfirmButton } from './ConfirmButton.js';

interface DeleteTouchpointButtonProps {
  touchpoint: TouchpointDefinition;
  disabled: boolean;
  onConfirm: () => void;
}

export function DeleteTouchpointButton({ touchpoint, disabled, onConfirm }: DeleteTouchpointButtonProps) {
  return (
    <ConfirmButton
      label="Delete"
      size="xs"
      disabled={disabled}
      modalId={`delete-touchpoint-${touchpoint.id}`}
      title={`Delete “${touchpoint.name}”?`}
      warning="No more surveys go out for this touchpoint. This cannot be undone."
      confirmLabel="Delete touchpoint"
      onConfirm={onConfirm}
    />
  );
}
