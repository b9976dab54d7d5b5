import { Alert, Button, Checkbox, Form, Heading, Input, NumberInput, Select, TableRow, TextArea, Tile } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import {
  fakeSettingsApi,
  refused,
  rowFixture,
  settingsViewFixture,
  staleVersion,
  testDrive,
  theOffer,
} from '../test-utils/mocks.js';
import { enter, renderLoadedSettingsPage, settle, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

async function openEditor(api: SettingsApi, touchpointId: string, action: 'Edit' | 'Duplicate' = 'Edit') {
  const page = await renderLoadedSettingsPage(api);
  page
    .findByTestId(TableRow, `touchpoint-${touchpointId}`)
    .find(Button, (button) => button.text === action)
    .trigger('onClick');
  await page.waitFor(() => page.find(Form, { testId: 'touchpoint-editor' }));
  return page;
}

function save(page: SettingsPageRenderer) {
  page.find(Form, { testId: 'touchpoint-editor' }).trigger('onSubmit');
}

describe('editing a touchpoint', () => {
  it('opens on the touchpoint as saved, with the default language marked required', async () => {
    const page = await openEditor(fakeSettingsApi(), 'test-drive');
    expect(page.findAll(Heading).map(({ text }) => text)).toContain('Edit “Test drive”');
    expect(page.find(Input, { name: 'name' }).props.value).toBe('Test drive');
    expect(page.find(Select, { name: 'trigger.stageId' }).props.value).toBe('test-drive-booked');
    expect(page.find(TextArea, { name: 'question.da' }).props.value).toBe('Hvordan var din prøvetur?');
    expect(page.find(TextArea, { name: 'question.en' }).props).toMatchObject({
      label: 'Question in English (default language)',
      required: true,
    });
    expect(page.find(TextArea, { name: 'question.da' }).props.required).toBe(false);
  });

  it('previews the survey email with the question and the 1–10 scale', async () => {
    const page = await openEditor(fakeSettingsApi(), 'test-drive');
    enter(page.find(TextArea, { name: 'question.en' }), 'How did the test drive feel?');
    expect(visibleText(page.find(Tile))).toBe(
      'Email preview (English) · from Nordic Cars A quick question from Nordic Cars How did the test drive feel? ' +
        '1  2  3  4  5  6  7  8  9  10 1 = not at all satisfied, 10 = very satisfied · one click answers',
    );
  });

  it('shows beside the default language’s question that it is required when it is emptied', async () => {
    const page = await openEditor(fakeSettingsApi(), 'test-drive');
    enter(page.find(TextArea, { name: 'question.en' }), '   ');
    save(page);
    expect(page.find(TextArea, { name: 'question.en' }).props).toMatchObject({
      error: true,
      validationMessage: "is required, as it is the portal's default language",
    });
    expect(page.find(TextArea, { name: 'question.da' }).props.error).toBe(false);
  });

  it('shows beside the default language’s question that a survey needs a question at all', async () => {
    const page = await openEditor(fakeSettingsApi(), 'the-offer');
    enter(page.find(TextArea, { name: 'question.en' }), '');
    save(page);
    expect(page.find(TextArea, { name: 'question.en' }).props.validationMessage).toBe(
      'needs a question in at least one of en, da, nb',
    );
  });

  it('shows the 90-day limit beside a send delay of 91 days', async () => {
    const page = await openEditor(fakeSettingsApi(), 'test-drive');
    enter(page.find(NumberInput, { name: 'sendDelay.amount' }), 91);
    enter(page.find(Select, { name: 'sendDelay.unit' }), 'days');
    save(page);
    expect(page.find(NumberInput, { name: 'sendDelay.amount' }).props).toMatchObject({
      error: true,
      validationMessage: 'must not be longer than 90 days',
    });
  });

  it('sends nothing to the API while the schema finds a problem', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive');
    enter(page.find(Input, { name: 'name' }), '');
    save(page);
    await settle();
    expect(page.find(Input, { name: 'name' }).props.validationMessage).toBe('must not be empty');
    expect(api.saveTouchpoint).not.toHaveBeenCalled();
  });

  it('saves the edited touchpoint with the version it was opened at, then lists the touchpoints again', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive');
    enter(page.find(TextArea, { name: 'question.nb' }), '');
    save(page);

    await page.waitFor(() => expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Saved “Test drive”'));
    const { nb: _removed, ...remainingQuestions } = testDrive.touchpoint.question;
    expect(api.saveTouchpoint).toHaveBeenCalledExactlyOnceWith({ ...testDrive.touchpoint, question: remainingQuestions }, 7);
    expect(page.maybeFind(Form, { testId: 'touchpoint-editor' })).toBeNull();
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
  });

  it('saves what customers call the touchpoint in each language, and leaves a blank one out', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive');
    enter(page.find(Input, { name: 'customerName.da' }), 'prøveturen');
    enter(page.find(Input, { name: 'customerName.nb' }), '   ');
    save(page);

    await page.waitFor(() => expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Saved “Test drive”'));
    expect(api.saveTouchpoint).toHaveBeenCalledExactlyOnceWith({ ...testDrive.touchpoint, customerName: { da: 'prøveturen' } }, 7);
  });

  it('shows a customer name that is too long beside its input, and saves nothing', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive');
    enter(page.find(Input, { name: 'customerName.en' }), 'x'.repeat(81));
    save(page);
    await settle();
    expect(page.find(Input, { name: 'customerName.en' }).props.validationMessage).toBe('must be at most 80 characters');
    expect(api.saveTouchpoint).not.toHaveBeenCalled();
  });

  it('saves a touchpoint marked as asking about the whole experience with measuresOverall on', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive');
    expect(page.find(Checkbox, { name: 'measuresOverall' }).props.checked).toBe(false);
    enter(page.find(Checkbox, { name: 'measuresOverall' }), true);
    save(page);

    await page.waitFor(() => expect(api.saveTouchpoint).toHaveBeenCalledOnce());
    expect(api.saveTouchpoint).toHaveBeenCalledWith({ ...testDrive.touchpoint, measuresOverall: true }, 7);
  });

  it('puts the problems of a refused save beside their fields, and the rest in an alert', async () => {
    const api = fakeSettingsApi();
    api.saveTouchpoint.mockResolvedValue(
      refused(
        'trigger.stageId: the stage “test-drive-booked” no longer exists in HubSpot',
        'question.da: must be at most 300 characters',
        'survey.theme: is not a theme this portal has',
      ),
    );
    const page = await openEditor(api, 'test-drive');
    save(page);

    await page.waitFor(() => expect(page.find(Select, { name: 'trigger.stageId' }).props.error).toBe(true));
    expect(page.find(Select, { name: 'trigger.stageId' }).props.validationMessage).toBe(
      'the stage “test-drive-booked” no longer exists in HubSpot',
    );
    expect(page.find(TextArea, { name: 'question.da' }).props.validationMessage).toBe('must be at most 300 characters');
    const alert = page.find(Alert, { variant: 'danger' });
    expect(alert.props.title).toBe('Not saved');
    expect(visibleText(alert)).toContain('survey.theme: is not a theme this portal has');
  });

  it('says someone else changed the touchpoint when the save was based on an old version', async () => {
    const api = fakeSettingsApi();
    api.saveTouchpoint.mockResolvedValue(staleVersion());
    const page = await openEditor(api, 'test-drive');
    save(page);

    await page.waitFor(() => page.find(Alert, { variant: 'warning', title: 'Not saved' }));
    expect(visibleText(page.find(Alert, { variant: 'warning', title: 'Not saved' }))).toContain(
      'Someone else changed this touchpoint since you opened it — reload to see their version',
    );
  });

  it('reloads on Reload and shows the version someone else saved', async () => {
    const theirVersion = rowFixture({ ...testDrive.touchpoint, name: 'Test drive with coffee' }, { version: 8 });
    const api = fakeSettingsApi();
    api.loadSettings
      .mockResolvedValueOnce(settingsViewFixture())
      .mockResolvedValueOnce(settingsViewFixture({ touchpoints: [theirVersion, theOffer] }));
    api.saveTouchpoint.mockResolvedValue(staleVersion());
    const page = await openEditor(api, 'test-drive');
    enter(page.find(Input, { name: 'name' }), 'Test drive and a chat');
    save(page);
    await page.waitFor(() => page.find(Alert, { title: 'Not saved' }));

    page.find(Alert, { title: 'Not saved' }).find(Button, (button) => button.text === 'Reload').trigger('onClick');

    await page.waitFor(() => expect(page.find(Input, { name: 'name' }).props.value).toBe('Test drive with coffee'));
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
    expect(page.maybeFind(Alert, { title: 'Not saved' })).toBeNull();
  });

  it('goes back to the list with a warning when a reload shows someone deleted the touchpoint', async () => {
    const api = fakeSettingsApi();
    api.loadSettings
      .mockResolvedValueOnce(settingsViewFixture())
      .mockResolvedValueOnce(settingsViewFixture({ touchpoints: [theOffer] }));
    api.saveTouchpoint.mockResolvedValue(staleVersion());
    const page = await openEditor(api, 'test-drive');
    save(page);
    await page.waitFor(() => page.find(Alert, { title: 'Not saved' }));

    page.find(Alert, { title: 'Not saved' }).find(Button, (button) => button.text === 'Reload').trigger('onClick');

    await page.waitFor(() => expect(page.maybeFind(Form, { testId: 'touchpoint-editor' })).toBeNull());
    expect(visibleText(page.find(Alert, { title: 'That touchpoint is gone' }))).toBe(
      'Someone else deleted “test-drive” while you had it open.',
    );
  });

  it('warns in the editor of what is wrong with the touchpoint now', async () => {
    const page = await openEditor(fakeSettingsApi(), 'the-offer');
    expect(visibleText(page.find(Alert, { title: 'This touchpoint needs attention' }))).toContain(
      'Stage: no stage offer-drafted in pipeline Car sales',
    );
    expect(page.find(Select, { name: 'trigger.stageId' }).props.options).toContainEqual({
      label: 'Unknown stage (offer-drafted)',
      value: 'offer-drafted',
    });
  });

  it('offers the stages of another pipeline once it is chosen, with no stage chosen yet', async () => {
    const page = await openEditor(fakeSettingsApi(), 'test-drive');
    enter(page.find(Select, { name: 'trigger.pipelineId' }), 'fleet-sales');
    const stage = page.find(Select, { name: 'trigger.stageId' });
    expect(stage.props.value).toBe('');
    expect(stage.props.options.map((option) => option.label)).toEqual(['Enquiry', 'Test drive booked', 'Offer sent', 'Delivered']);
  });

  it('offers the stages after the trigger’s as the stage a follow-up promises', async () => {
    const page = await openEditor(fakeSettingsApi(), 'sales-meeting');
    expect(page.find(Select, { name: 'followUp.expect' }).props.value).toBe('stage');
    expect(page.find(Select, { name: 'followUp.stageId' }).props.options.map((option) => option.value)).toEqual([
      'offer-sent',
      'contract-signed',
      'delivered',
    ]);
    expect(page.find(NumberInput, { name: 'followUp.within.amount' }).props.value).toBe(2);
  });

  it('saves a promise of any logged sales activity within the chosen time', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive');
    enter(page.find(Select, { name: 'followUp.expect' }), 'engagement');
    enter(page.find(NumberInput, { name: 'followUp.within.amount' }), 7);
    save(page);

    await vi.waitFor(() => expect(api.saveTouchpoint).toHaveBeenCalledOnce());
    expect(api.saveTouchpoint.mock.calls[0]?.[0].followUp).toEqual({ expect: 'engagement', within: { amount: 7, unit: 'days' } });
  });
});

describe('creating a touchpoint', () => {
  it('duplicates a touchpoint into a new one under the id “<id>-copy”, to be created rather than updated', async () => {
    const api = fakeSettingsApi();
    const page = await openEditor(api, 'test-drive', 'Duplicate');
    expect(page.findAll(Heading).map(({ text }) => text)).toContain('New touchpoint');
    expect(page.find(Input, { name: 'id' }).props.value).toBe('test-drive-copy');
    expect(page.find(Input, { name: 'name' }).props.value).toBe('Test drive (copy)');
    expect(page.find(TextArea, { name: 'question.nb' }).props.value).toBe('Hvordan var prøvekjøringen din?');

    save(page);

    await vi.waitFor(() =>
      expect(api.saveTouchpoint).toHaveBeenCalledExactlyOnceWith(
        { ...testDrive.touchpoint, id: 'test-drive-copy', name: 'Test drive (copy)' },
        null,
      ),
    );
  });

  it('suggests an id from the name until the admin types one', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi());
    page.find(Button, (button) => button.text === 'Add touchpoint').trigger('onClick');
    enter(page.find(Input, { name: 'name' }), 'Prøvetur på værkstedet');
    expect(page.find(Input, { name: 'id' }).props.value).toBe('proevetur-paa-vaerkstedet');

    enter(page.find(Input, { name: 'id' }), 'workshop-test-drive');
    enter(page.find(Input, { name: 'name' }), 'Workshop test drive');
    expect(page.find(Input, { name: 'id' }).props.value).toBe('workshop-test-drive');
  });

  it('shows beside the id that another touchpoint has it already', async () => {
    const api = fakeSettingsApi();
    api.saveTouchpoint.mockResolvedValue(staleVersion());
    const page = await openEditor(api, 'test-drive', 'Duplicate');
    enter(page.find(Input, { name: 'id' }), 'sales-meeting');
    save(page);

    await page.waitFor(() =>
      expect(page.find(Input, { name: 'id' }).props.validationMessage).toBe('is taken by another touchpoint; choose another'),
    );
  });
});
