import {
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  StatusTag,
  Table,
  TableRow,
  Tag,
  Tile,
} from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { NotConnectedError, SettingsApiError } from '../hooks/settings-api-client.js';
import { CONNECT_URL, type SettingsView } from '@touchpoints/contracts';
import { emptySettingsViewFixture, fakeSettingsApi, settingsViewFixture, testDrive } from '../test-utils/mocks.js';
import {
  renderLoadedSettingsPage,
  renderSettingsPage,
  settle,
  visibleText,
  type SettingsPageRenderer,
} from '../test-utils/render.js';

function rowOf(page: SettingsPageRenderer, touchpointId: string) {
  return page.findByTestId(TableRow, `touchpoint-${touchpointId}`);
}

describe('the settings page listing the touchpoints', () => {
  it('shows a spinner while the settings are on their way', () => {
    const api = fakeSettingsApi();
    api.loadSettings.mockReturnValue(Promise.withResolvers<SettingsView>().promise); // never answered
    const { find } = renderSettingsPage(api);
    expect(find(LoadingSpinner).props.label).toBe('Loading Touchpoints settings');
  });

  it('groups the touchpoints by phase in journey order, each in its order within the phase', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    const phases = page.findAll(Flex, (flex) => String(flex.props.testId ?? '').startsWith('phase-'));
    expect(phases.map((phase) => phase.find(Heading).text)).toEqual([
      'Influence',
      'Before purchase',
      'Purchase',
      'After purchase',
    ]);
    const beforePurchase = phases[1]?.findAll(TableRow).map((row) => row.props.testId);
    expect(beforePurchase).toEqual([undefined, 'touchpoint-test-drive', 'touchpoint-sales-meeting']);
  });

  it('names each trigger by its pipeline and stage as HubSpot labels them', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    expect(visibleText(rowOf(page, 'test-drive'))).toContain('Car sales › Test drive booked');
    expect(visibleText(rowOf(page, 'sales-meeting'))).toContain('Car sales › Sales meeting held');
  });

  it('shows the languages a touchpoint asks in, and the ones it is missing', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    const tagsOf = (touchpointId: string) =>
      rowOf(page, touchpointId)
        .findAll(Tag)
        .map((tag) => `${tag.text} (${tag.props.variant})`);
    expect(tagsOf('test-drive')).toEqual(['en (success)', 'da (success)', 'nb (success)']);
    expect(tagsOf('sales-meeting')).toEqual(['en (success)', 'da (success)', 'nb missing (default)']);
  });

  it('flags a touchpoint whose stage was deleted in HubSpot, with the reason on its row', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    const row = rowOf(page, 'the-offer');
    expect(row.find(StatusTag, { variant: 'warning' }).text).toBe('Needs attention');
    expect(visibleText(row)).toContain('Stage: no stage offer-drafted in pipeline Car sales');
    expect(visibleText(row)).toContain('Car sales › Unknown stage (offer-drafted)');
    expect(rowOf(page, 'test-drive').maybeFind(StatusTag, { variant: 'warning' })).toBeNull();
  });

  it('says whether each touchpoint is enabled', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    expect(rowOf(page, 'test-drive').find(StatusTag, { variant: 'success' }).text).toBe('Enabled');
    expect(rowOf(page, 'delivery').find(StatusTag, { variant: 'default' }).text).toBe('Disabled');
  });

  it('lists who changed what, and when in the portal’s time zone', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    const changes = page.findAll(Table).at(-1);
    expect(changes && visibleText(changes)).toContain(
      'May 2, 2025, 10:00 AM GMT+2 mette@nordiccars.example Changed “Test drive”',
    );
  });
});

describe('the settings page when there is nothing to list or loading fails', () => {
  it('offers the templates when the portal has no touchpoints', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(emptySettingsViewFixture()));
    expect(page.find(EmptyState).props.title).toBe('No touchpoints yet');
    expect(page.findAll(Tile).map((tile) => tile.find(Heading).text)).toEqual(['Car dealer', 'B2B software', 'Blank']);
    expect(page.maybeFind(TableRow, (row) => String(row.props.testId ?? '').startsWith('touchpoint-'))).toBeNull();
  });

  it('shows the reason in an error state when loading fails', async () => {
    const api = fakeSettingsApi();
    api.loadSettings.mockRejectedValue(new SettingsApiError('Touchpoints is busy right now. Try again in a moment.'));
    const { find, waitFor } = renderSettingsPage(api);
    await waitFor(() => expect(find(ErrorState).props.title).toBe('Touchpoints settings could not be loaded'));
    expect(visibleText(find(ErrorState))).toContain('Touchpoints is busy right now. Try again in a moment.');
  });

  it('offers to connect Touchpoints when the portal has not installed it (or has uninstalled it)', async () => {
    const api = fakeSettingsApi();
    api.loadSettings.mockRejectedValue(new NotConnectedError());
    const { find, waitFor } = renderSettingsPage(api);
    await waitFor(() => expect(find(ErrorState).props.title).toBe('Touchpoints is not connected to this HubSpot account'));
    expect(find(Button, (button) => button.text === 'Connect').props.href).toBe(CONNECT_URL);
  });

  it('asks again when the admin clicks Try again, then shows the touchpoints', async () => {
    const api = fakeSettingsApi();
    api.loadSettings
      .mockRejectedValueOnce(new TypeError('fetch failed'))
      .mockResolvedValueOnce(settingsViewFixture());
    const { find, maybeFind, waitFor } = renderSettingsPage(api);
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain('Could not reach Touchpoints. Check your connection and try again.');

    find(Button, (button) => button.text === 'Try again').trigger('onClick');

    await waitFor(() => expect(maybeFind(TableRow, { testId: 'touchpoint-test-drive' })).not.toBeNull());
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
  });

  it('keeps the newest settings when an older reload answers last', async () => {
    const firstReload = Promise.withResolvers<SettingsView>();
    const api = fakeSettingsApi();
    api.loadSettings
      .mockResolvedValueOnce(settingsViewFixture())
      .mockReturnValueOnce(firstReload.promise)
      .mockResolvedValueOnce(settingsViewFixture({ touchpoints: [testDrive] }));
    const page = await renderLoadedSettingsPage(api);
    rowOf(page, 'test-drive').find(Button, (button) => button.text === 'Disable').trigger('onClick');
    await vi.waitFor(() => expect(api.loadSettings).toHaveBeenCalledTimes(2));
    rowOf(page, 'delivery').find(Button, (button) => button.text === 'Enable').trigger('onClick');
    await page.waitFor(() => expect(page.maybeFind(TableRow, { testId: 'touchpoint-delivery' })).toBeNull());

    firstReload.resolve(settingsViewFixture());
    await settle();

    expect(page.maybeFind(TableRow, { testId: 'touchpoint-delivery' })).toBeNull();
  });
});
