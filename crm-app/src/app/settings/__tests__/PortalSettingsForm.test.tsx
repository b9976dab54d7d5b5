import { Alert, Button, Checkbox, Form, Input, NumberInput } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { PortalSettings } from '@touchpoints/contracts';
import { fakeSettingsApi, portalFixture, refused, settingsViewFixture, staleVersion } from '../test-utils/mocks.js';
import { enter, renderLoadedSettingsPage, settle, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

function save(page: SettingsPageRenderer) {
  page.find(Form, { testId: 'portal-settings' }).trigger('onSubmit');
}

describe('the portal settings form', () => {
  it('shows beside yellow that it must stay above red, and sends nothing', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    enter(page.find(NumberInput, { name: 'lightThresholds.redMax' }), 7);
    save(page);

    expect(page.find(NumberInput, { name: 'lightThresholds.yellowMax' }).props).toMatchObject({
      error: true,
      validationMessage: 'must be greater than redMax so yellow keeps a score',
    });
    await settle();
    expect(api.savePortalSettings).not.toHaveBeenCalled();
  });

  it('saves what the schema parsed with the version it was opened at', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    enter(page.find(Input, { name: 'sender.name' }), '  Nordic Cars Aarhus ');
    enter(page.find(NumberInput, { name: 'reminderAfterDays' }), 5);
    enter(page.find(Checkbox, { name: 'closedLoop.emailOwnerOnRed' }), true);
    enter(page.find(Checkbox, { name: 'closedLoop.completeTaskWhenGreen' }), true);
    enter(page.find(Checkbox, { name: 'confirmScoreOnPage' }), true);
    save(page);

    await page.waitFor(() => expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Portal settings saved'));
    expect(api.savePortalSettings).toHaveBeenCalledExactlyOnceWith(
      {
        ...portalFixture.settings,
        sender: { name: 'Nordic Cars Aarhus', email: 'hello@nordiccars.example' },
        reminderAfterDays: 5,
        closedLoop: { ...portalFixture.settings.closedLoop, emailOwnerOnRed: true, completeTaskWhenGreen: true },
        confirmScoreOnPage: true,
      },
      4,
    );
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
  });

  it('asks a portal that has saved nothing for a sender, starting from the defaults', async () => {
    const api = fakeSettingsApi(settingsViewFixture({ portal: null, senderDomain: null }));
    const page = await renderLoadedSettingsPage(api);
    expect(page.find(NumberInput, { name: 'fatigue.atMostOneSurveyPerDays' }).props.value).toBe(30);
    save(page);

    expect(page.find(Input, { name: 'sender.name' }).props.validationMessage).toBe('must not be empty');
    expect(page.find(Input, { name: 'sender.email' }).props.validationMessage).toBe('must be an email address');
  });

  it('creates the settings of a new portal with no expected version', async () => {
    const api = fakeSettingsApi(settingsViewFixture({ portal: null, senderDomain: null }));
    const page = await renderLoadedSettingsPage(api);
    enter(page.find(Input, { name: 'sender.name' }), 'Nordic Cars');
    enter(page.find(Input, { name: 'sender.email' }), 'hello@nordiccars.example');
    save(page);

    await vi.waitFor(() =>
      expect(api.savePortalSettings).toHaveBeenCalledExactlyOnceWith(
        PortalSettings.parse({ sender: { name: 'Nordic Cars', email: 'hello@nordiccars.example' } }),
        null,
      ),
    );
  });

  it('puts the problems of a refused save beside their fields', async () => {
    const api = fakeSettingsApi();
    api.savePortalSettings.mockResolvedValue(refused('sender.email: is not verified for sending yet'));
    const page = await renderLoadedSettingsPage(api);
    save(page);

    await page.waitFor(() =>
      expect(page.find(Input, { name: 'sender.email' }).props.validationMessage).toBe('is not verified for sending yet'),
    );
  });

  it('says someone else changed the settings when they were saved in the meantime, and Reload reloads', async () => {
    const api = fakeSettingsApi();
    api.savePortalSettings.mockResolvedValue(staleVersion());
    const page = await renderLoadedSettingsPage(api);
    save(page);
    await page.waitFor(() => page.find(Alert, { title: 'Not saved' }));
    expect(visibleText(page.find(Alert, { title: 'Not saved' }))).toContain(
      'Someone else changed the portal settings since you opened them — reload to see their version',
    );

    page.find(Alert, { title: 'Not saved' }).find(Button, (button) => button.text === 'Reload').trigger('onClick');

    await vi.waitFor(() => expect(api.loadSettings).toHaveBeenCalledTimes(2));
  });
});
