import type { ButtonProps, ButtonRowProps, LoadingButtonProps, ModalBodyProps, ModalFooterProps, ModalProps } from '@hubspot/ui-extensions';
import { isValidElement, useEffect, useId, useRef, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useOverlays } from '../runtime.js';
import { extensionEvent, noReactions } from './feedback.js';
import { classNames, sizeName } from './spacing.js';

/** The id of the `<Modal>` a button opens: HubSpot's `overlay` prop takes a Modal (or Panel) element. */
function overlayId(overlay: ReactNode): string | undefined {
  if (overlay === undefined || overlay === null) return undefined;
  if (isValidElement<{ id?: unknown }>(overlay) && overlay.type === Modal && typeof overlay.props.id === 'string') return overlay.props.id;
  throw new Error('The local HubSpot host opens only a <Modal id="…"> as an overlay');
}

interface ButtonLookProps extends Omit<ButtonProps, 'variant'> {
  variant?: ButtonProps['variant'];
  loading?: boolean;
}

function ButtonLook({ onClick, href, disabled, variant = 'secondary', type = 'button', size = 'md', truncate, overlay, loading, testId, children }: ButtonLookProps) {
  const overlays = useOverlays();
  const opens = overlayId(overlay);
  const className = classNames('hs-button', `hs-button--${variant}`, `hs-button--${sizeName(size)}`, truncate && 'hs-text--truncate');
  const click = (event: MouseEvent) => {
    if (opens) overlays.open(opens);
    void onClick?.(extensionEvent(event.nativeEvent), noReactions);
  };
  if (href !== undefined) {
    const { url, external } = typeof href === 'string' ? { url: href, external: !href.startsWith('/') } : href;
    return (
      <a className={className} href={url} data-testid={testId} onClick={click} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
        {children}
      </a>
    );
  }
  return (
    <>
      <button type={type} className={className} disabled={disabled || loading} aria-busy={loading || undefined} data-testid={testId} onClick={click}>
        {loading && <span className="hs-spinner__wheel hs-spinner__wheel--button" aria-hidden="true" />}
        {children}
      </button>
      {overlay}
    </>
  );
}

export function Button(props: ButtonProps) {
  return <ButtonLook {...props} />;
}

/** HubSpot's LoadingButton; `overlayOptions.openBehavior` is not supported here: its overlay opens on click. */
export function LoadingButton({ loading, ...props }: LoadingButtonProps) {
  return <ButtonLook {...props} loading={loading ?? false} />;
}

/** Buttons side by side. HubSpot folds overflowing buttons into a "More" dropdown; here they wrap. */
export function ButtonRow({ testId, children }: ButtonRowProps) {
  return (
    <div className="hs-button-row" data-testid={testId}>
      {children}
    </div>
  );
}

export function Modal({ id, title, variant = 'default', width = 'md', onOpen, onClose, 'aria-label': ariaLabel, testId, children }: ModalProps) {
  const overlays = useOverlays();
  const open = overlays.isOpen(id);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open === wasOpen.current) return;
    wasOpen.current = open;
    if (open) {
      onOpen?.();
      dialog.current?.focus();
    } else onClose?.();
  }, [open, onOpen, onClose]);
  if (!open) return null;
  return createPortal(
    <div className="hs-modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && overlays.close(id)}>
      <div
        ref={dialog}
        className={`hs-modal hs-modal--${sizeName(width)} hs-modal--${variant}`}
        role="dialog"
        aria-modal="true"
        tabIndex={-1}
        {...(title ? { 'aria-labelledby': titleId } : { 'aria-label': ariaLabel ?? id })}
        data-testid={testId}
      >
        <div className="hs-modal__header">
          {title && (
            <p id={titleId} className="hs-modal__title">
              {title}
            </p>
          )}
          <button type="button" className="hs-close" aria-label="Close" onClick={() => overlays.close(id)}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>,
    document.body,
  );
}

export function ModalBody({ testId, children }: ModalBodyProps) {
  return (
    <div className="hs-modal__body" data-testid={testId}>
      {children}
    </div>
  );
}

export function ModalFooter({ testId, children }: ModalFooterProps) {
  return (
    <div className="hs-modal__footer" data-testid={testId}>
      {children}
    </div>
  );
}
