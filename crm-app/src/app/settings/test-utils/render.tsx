import { LoadingSpinner } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { expect } from 'vitest';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import { SettingsPageView } from '../SettingsPage.js';

export const portalTimeZone = 'Europe/Copenhagen';

/** The settings page as HubSpot shows it in the portal's settings, with the test's API. */
export function renderSettingsPage(api: SettingsApi) {
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPageView api={api} timeZone={portalTimeZone} />);
  return renderer;
}

/** The settings page once the settings have arrived. */
export async function renderLoadedSettingsPage(api: SettingsApi) {
  const renderer = renderSettingsPage(api);
  await renderer.waitFor(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
  return renderer;
}

export type SettingsPageRenderer = ReturnType<typeof renderSettingsPage>;

/** Any input, select or toggle as the renderer hands it back. */
interface ChangeableNode {
  trigger(eventPropName: 'onChange', eventArg?: never): void;
}

/**
 * Types a value into an input, picks an option, flips a toggle. (0.17's `trigger` types its
 * argument as the handler itself rather than the handler's argument, hence the cast.)
 */
export function enter(input: ChangeableNode, value: string | number | boolean | undefined): void {
  input.trigger('onChange', value as never);
}

export { settle, visibleText } from '@touchpoints/ui-testing';
