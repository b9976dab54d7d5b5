import { StatusTag, type StatusTagProps } from '@hubspot/ui-extensions';
import type { CardTouchpoint } from '@touchpoints/contracts';
import { formatDateTime } from './format.js';

type TagVariant = NonNullable<StatusTagProps['variant']>;

const lightTags: Record<NonNullable<CardTouchpoint['light']>, { variant: TagVariant; label: string }> = {
  red: { variant: 'danger', label: 'Red' },
  yellow: { variant: 'warning', label: 'Yellow' },
  green: { variant: 'success', label: 'Green' },
};

function tagFor(touchpoint: CardTouchpoint, timeZone: string | undefined): { variant: TagVariant; label: string } {
  switch (touchpoint.state) {
    case 'answered':
      // An answer without a light should not happen; grey says "answered" without inventing a colour.
      return touchpoint.light ? lightTags[touchpoint.light] : { variant: 'default', label: 'Answered' };
    case 'waiting':
      return { variant: 'default', label: 'Waiting for answer' };
    case 'scheduled':
      return {
        variant: 'default',
        label: touchpoint.nextSendAt ? `Scheduled ${formatDateTime(touchpoint.nextSendAt, timeZone)}` : 'Scheduled',
      };
    case 'not_asked':
      return { variant: 'default', label: 'Not asked yet' };
  }
}

/** The touchpoint's traffic light, or in grey why there is none yet. */
export function TouchpointStatusTag({ touchpoint, timeZone }: { touchpoint: CardTouchpoint; timeZone?: string }) {
  const { variant, label } = tagFor(touchpoint, timeZone);
  return <StatusTag variant={variant}>{label}</StatusTag>;
}
