import type { AllDistances } from '@hubspot/ui-extensions';

/** HubSpot's distance tokens in pixels (both spellings HubSpot accepts). */
const pixels: Record<AllDistances, number> = {
  flush: 0,
  xs: 4, 'extra-small': 4,
  sm: 8, small: 8,
  md: 16, medium: 16,
  lg: 24, large: 24,
  xl: 32, 'extra-large': 32,
};

export function distance(value: AllDistances | undefined, fallback = 0): number {
  return value === undefined ? fallback : pixels[value];
}

/** HubSpot's `xs`/`extra-small` … as the one short name the style sheet's class names use. */
export function sizeName(size: string | undefined, fallback: 'xs' | 'sm' | 'md' | 'lg' = 'md'): string {
  const short: Record<string, string> = { 'extra-small': 'xs', small: 'sm', medium: 'md', large: 'lg', default: 'md' };
  return size === undefined ? fallback : (short[size] ?? size);
}

export const classNames = (...names: (string | false | undefined | null)[]) => names.filter(Boolean).join(' ');
