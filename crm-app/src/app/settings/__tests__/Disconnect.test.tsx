import { Alert, Button, Modal } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { fakeSettingsApi, refused } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, settle, type SettingsPageRenderer } from '../test-utils/render.js';

function confirmation(page: SettingsPageRenderer) {
  return page.find(Modal, { id: 'disconnect-touchpoints' });
}

describe('disconnecting Touchpoints', () => {
  it('only warns on the first click: the button opens a danger modal', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    expect(confirmation(page).props).toMatchObject({ title: 'Disconnect Touchpoints?', variant: 'danger' });
    await settle();
    expect(api.disconnect).not.toHaveBeenCalled();
  });

  it('disconnects once confirmed and says so', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    confirmation(page).find(Button, (button) => button.text === 'Disconnect and delete').trigger('onClick');
    await page.waitFor(() => expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Touchpoints is disconnected'));
    expect(api.disconnect).toHaveBeenCalledOnce();
  });

  it('says nothing was deleted when the back end refuses', async () => {
    const api = fakeSettingsApi();
    api.disconnect.mockResolvedValue(refused('portal: not installed'));
    const page = await renderLoadedSettingsPage(api);
    confirmation(page).find(Button, (button) => button.text === 'Disconnect and delete').trigger('onClick');
    await page.waitFor(() => expect(page.find(Alert, { variant: 'danger' }).props.title).toBe('Could not disconnect'));
  });
});
