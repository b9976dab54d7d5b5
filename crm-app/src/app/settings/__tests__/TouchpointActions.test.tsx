import { Alert, Button, Modal, TableRow } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { delivery, fakeSettingsApi, refused, staleVersion, testDrive } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, settle, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

function buttonOf(page: SettingsPageRenderer, touchpointId: string, label: string) {
  return page
    .findByTestId(TableRow, `touchpoint-${touchpointId}`)
    .find(Button, (button) => button.text === label);
}

function deleteConfirmationOf(page: SettingsPageRenderer, touchpointId: string) {
  return page.find(Modal, { id: `delete-touchpoint-${touchpointId}` });
}

/** The renderer's action mocks are tinyspy spies, which vitest's call matchers do not read. */
function closedOverlays(page: SettingsPageRenderer): string[] {
  return page.mocks.actions.closeOverlay.calls.map(([overlayId]) => overlayId);
}

describe('deleting a touchpoint', () => {
  it('asks for confirmation first: the Delete button only opens a danger modal', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    const modal = buttonOf(page, 'test-drive', 'Delete').props.overlay?.find(Modal);
    expect(modal?.props).toMatchObject({ title: 'Delete “Test drive”?', variant: 'danger' });
    expect(buttonOf(page, 'test-drive', 'Delete').props.onClick).toBeUndefined();
    await settle();
    expect(api.deleteTouchpoint).not.toHaveBeenCalled();
  });

  it('deletes with the version the admin saw once confirmed, then reloads the touchpoints', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);

    deleteConfirmationOf(page, 'test-drive').find(Button, (button) => button.text === 'Delete touchpoint').trigger('onClick');

    await page.waitFor(() => expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Deleted “Test drive”'));
    expect(api.deleteTouchpoint).toHaveBeenCalledExactlyOnceWith('test-drive', 7);
    expect(closedOverlays(page)).toEqual(['delete-touchpoint-test-drive']);
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
  });

  it('deletes nothing when the admin cancels', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);

    deleteConfirmationOf(page, 'test-drive').find(Button, (button) => button.text === 'Cancel').trigger('onClick');

    await settle();
    expect(closedOverlays(page)).toEqual(['delete-touchpoint-test-drive']);
    expect(api.deleteTouchpoint).not.toHaveBeenCalled();
  });
});

describe('disabling and enabling a touchpoint', () => {
  it('saves the touchpoint with enabled flipped, based on the version in the list', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);

    buttonOf(page, 'test-drive', 'Disable').trigger('onClick');

    await page.waitFor(() => expect(page.find(Alert, { variant: 'success' }).props.title).toBe('“Test drive” is disabled'));
    expect(api.saveTouchpoint).toHaveBeenCalledExactlyOnceWith({ ...testDrive.touchpoint, enabled: false }, 7);
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
  });

  it('offers Enable for a disabled touchpoint and saves it enabled', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);

    buttonOf(page, 'delivery', 'Enable').trigger('onClick');

    await vi.waitFor(() =>
      expect(api.saveTouchpoint).toHaveBeenCalledExactlyOnceWith({ ...delivery.touchpoint, enabled: true }, 3),
    );
  });

  it('says someone else changed the touchpoint when the list was out of date, and Reload reloads', async () => {
    const api = fakeSettingsApi();
    api.saveTouchpoint.mockResolvedValue(staleVersion());
    const page = await renderLoadedSettingsPage(api);
    buttonOf(page, 'test-drive', 'Disable').trigger('onClick');
    await page.waitFor(() => page.find(Alert, { title: 'Not saved' }));
    expect(visibleText(page.find(Alert, { title: 'Not saved' }))).toContain(
      'Someone else changed this touchpoint since you opened it — reload to see their version',
    );

    page.find(Alert, { title: 'Not saved' }).find(Button, (button) => button.text === 'Reload').trigger('onClick');

    await vi.waitFor(() => expect(api.loadSettings).toHaveBeenCalledTimes(2));
  });
});

describe('sending a test survey', () => {
  it('says where the test survey went', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);

    buttonOf(page, 'test-drive', 'Send me a test survey').trigger('onClick');

    await page.waitFor(() =>
      expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Sent to mette@nordiccars.example'),
    );
    expect(api.sendTestSurvey).toHaveBeenCalledExactlyOnceWith('test-drive');
    expect(api.loadSettings).toHaveBeenCalledOnce();
  });

  it('says why no test survey was sent when the λ refuses', async () => {
    const api = fakeSettingsApi();
    api.sendTestSurvey.mockResolvedValue(refused('sender: is required: a name and an email address'));
    const page = await renderLoadedSettingsPage(api);

    buttonOf(page, 'test-drive', 'Send me a test survey').trigger('onClick');

    await page.waitFor(() => page.find(Alert, { variant: 'danger' }));
    const alert = page.find(Alert, { variant: 'danger' });
    expect(alert.props.title).toBe('No test survey was sent for “Test drive”');
    expect(visibleText(alert)).toBe('sender: is required: a name and an email address');
  });
});
