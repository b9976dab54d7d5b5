import type { AlertProps, EmptyStateProps, ErrorStateProps, LoadingSpinnerProps, StatusTagProps, TagProps } from '@hubspot/ui-extensions';
import { classNames, sizeName } from './spacing.js';
import type { ReactNode } from 'react';

export function Alert({ title, variant = 'info', testId, children }: AlertProps) {
  const urgent = variant === 'danger' || variant === 'error';
  return (
    <div className={`hs-alert hs-alert--${variant === 'error' ? 'danger' : variant}`} role={urgent ? 'alert' : 'status'} data-testid={testId}>
      <p className="hs-alert__title">{title}</p>
      {children !== undefined && <div className="hs-alert__body">{children}</div>}
    </div>
  );
}

/**
 * HubSpot draws one of its illustrations (`imageName`); the host has none of HubSpot's artwork and
 * draws a neutral mark in its place.
 */
function Illustration({ kind }: { kind: 'empty' | 'error' }) {
  return (
    <svg className={`hs-illustration hs-illustration--${kind}`} viewBox="0 0 64 64" width="64" height="64" aria-hidden="true" focusable="false">
      <circle cx="32" cy="32" r="30" />
      {kind === 'error' ? <path d="M32 16v22M32 44v4" /> : <path d="M20 34h24M20 26h24M20 42h14" />}
    </svg>
  );
}

/** The picture-and-words layout HubSpot's EmptyState and ErrorState share. */
function StateLayout({ className, kind, title, imageWidth, testId, children }: { className: string; kind: 'empty' | 'error'; title: string; imageWidth?: number | undefined; testId?: string | undefined; children?: ReactNode }) {
  return (
    <div className={className} data-testid={testId}>
      <div className="hs-state__image" style={imageWidth ? { width: imageWidth } : {}}>
        <Illustration kind={kind} />
      </div>
      <div className="hs-state__content">
        <p className="hs-state__title">{title}</p>
        {children}
      </div>
    </div>
  );
}

export function EmptyState({ title = 'All is not lost.', layout = 'horizontal', reverseOrder, flush, imageWidth, testId, children }: EmptyStateProps) {
  const className = classNames('hs-state', `hs-state--${layout}`, reverseOrder && 'hs-state--reverse', flush && 'hs-state--flush');
  return <StateLayout className={className} kind="empty" title={title} imageWidth={imageWidth} testId={testId}>{children}</StateLayout>;
}

export function ErrorState({ title = 'All is not lost.', type = 'error', testId, children }: ErrorStateProps) {
  return <StateLayout className={`hs-state hs-state--vertical hs-state--${type}`} kind="error" title={title} testId={testId}>{children}</StateLayout>;
}

export function LoadingSpinner({ label, showLabel, size = 'sm', layout = 'inline', testId }: LoadingSpinnerProps) {
  return (
    <div className={`hs-spinner hs-spinner--${layout} hs-spinner--${sizeName(size, 'sm')}`} role="status" data-testid={testId}>
      <span className="hs-spinner__wheel" aria-hidden="true" />
      <span className={showLabel ? 'hs-spinner__label' : 'hs-visually-hidden'}>{label}</span>
    </div>
  );
}

export function StatusTag({ variant = 'default', hollow, onClick, showRemoveIcon, onRemoveClick, testId, children }: StatusTagProps) {
  const content = (
    <>
      <span className={classNames('hs-status-tag__dot', hollow && 'hs-status-tag__dot--hollow')} aria-hidden="true" />
      {children}
    </>
  );
  return (
    <span className={`hs-status-tag hs-status-tag--${variant}`} data-testid={testId}>
      {onClick ? (
        <button type="button" className="hs-link-button" onClick={onClick}>
          {content}
        </button>
      ) : (
        content
      )}
      {showRemoveIcon && (
        <button type="button" className="hs-close" aria-label="Remove" onClick={onRemoveClick}>
          ×
        </button>
      )}
    </span>
  );
}

export function Tag({ variant = 'default', onClick, inline, testId, children }: TagProps) {
  const className = classNames('hs-tag', `hs-tag--${variant}`, inline && 'hs-inline');
  if (!onClick) {
    return (
      <span className={className} data-testid={testId}>
        {children}
      </span>
    );
  }
  return (
    <button type="button" className={className} data-testid={testId} onClick={(event) => void onClick(extensionEvent(event.nativeEvent), noReactions)}>
      {children}
    </button>
  );
}

/** HubSpot hands event handlers a serialisable copy of the DOM event (`ExtensionEvent`). */
export function extensionEvent(event: Event) {
  return { type: event.type, bubbles: event.bubbles, timeStamp: event.timeStamp, id: (event.target as Element | null)?.id ?? '' };
}

/** HubSpot's legacy panel and modal reactions; the extensions open overlays through the `overlay` prop instead. */
export const noReactions = {
  openPanel: refuseReaction,
  closePanel: refuseReaction,
  openModal: refuseReaction,
  closeModal: refuseReaction,
};
function refuseReaction(id: string): never {
  throw new Error(`The local HubSpot host has no panel or modal reactions (asked for ${id}): open overlays with the overlay prop`);
}
