import { Alert, Button, Form, Select, Tile } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { emptySettingsViewFixture, fakeSettingsApi } from '../test-utils/mocks.js';
import { enter, renderLoadedSettingsPage, settle, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

async function chooseTemplate(page: SettingsPageRenderer, templateId: string) {
  page.find(Tile, { testId: `template-${templateId}` }).find(Button).trigger('onClick');
  await page.waitFor(() => page.find(Form, { testId: 'template-mapping' }));
}

function applyTemplate(page: SettingsPageRenderer) {
  page.find(Form, { testId: 'template-mapping' }).trigger('onSubmit');
}

describe('starting from a template', () => {
  it('maps each step onto the stage of the same name in the first pipeline', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(emptySettingsViewFixture()));
    await chooseTemplate(page, 'car-dealer');
    expect(page.find(Select, { name: 'pipelineId' }).props.value).toBe('car-sales');
    expect(page.find(Select, { name: 'stageOfStep.test-drive' }).props.value).toBe('test-drive-booked');
    expect(page.find(Select, { name: 'stageOfStep.offer' }).props.value).toBe('offer-sent');
    expect(page.find(Select, { name: 'stageOfStep.handover' }).props.value).toBe('');
  });

  it('posts the chosen template with the pipeline and the stage of each step, then reloads', async () => {
    const api = fakeSettingsApi(emptySettingsViewFixture());
    const page = await renderLoadedSettingsPage(api);
    await chooseTemplate(page, 'car-dealer');
    enter(page.find(Select, { name: 'stageOfStep.handover' }), 'delivered');
    applyTemplate(page);

    await page.waitFor(() =>
      expect(page.find(Alert, { variant: 'success' }).props.title).toBe('Created 3 touchpoints from “Car dealer”'),
    );
    expect(api.applyTemplate).toHaveBeenCalledExactlyOnceWith('car-dealer', {
      pipelineId: 'car-sales',
      stageOfStep: { 'test-drive': 'test-drive-booked', offer: 'offer-sent', handover: 'delivered' },
    });
    expect(api.loadSettings).toHaveBeenCalledTimes(2);
  });

  it('maps the steps afresh onto another pipeline once it is chosen', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(emptySettingsViewFixture()));
    await chooseTemplate(page, 'car-dealer');
    enter(page.find(Select, { name: 'pipelineId' }), 'fleet-sales');
    expect(page.find(Select, { name: 'stageOfStep.test-drive' }).props.value).toBe('fleet-test-drive');
    expect(page.find(Select, { name: 'stageOfStep.offer' }).props.value).toBe('fleet-offer');
    expect(page.find(Select, { name: 'stageOfStep.handover' }).props.options.map((option) => option.label)).toEqual([
      'Enquiry',
      'Test drive booked',
      'Offer sent',
      'Delivered',
    ]);
  });

  it('shows beside a step that it has no stage yet, and posts nothing', async () => {
    const api = fakeSettingsApi(emptySettingsViewFixture());
    const page = await renderLoadedSettingsPage(api);
    await chooseTemplate(page, 'car-dealer');
    applyTemplate(page);

    expect(page.find(Select, { name: 'stageOfStep.handover' }).props.validationMessage).toBe(
      'choose the stage for this step',
    );
    await settle();
    expect(api.applyTemplate).not.toHaveBeenCalled();
  });

  it('lists the touchpoints a template left alone because they exist already', async () => {
    const api = fakeSettingsApi(emptySettingsViewFixture());
    api.applyTemplate.mockResolvedValue({ outcome: 'accepted', answer: { created: ['the-offer'], skipped: ['test-drive', 'delivery'] } });
    const page = await renderLoadedSettingsPage(api);
    await chooseTemplate(page, 'car-dealer');
    enter(page.find(Select, { name: 'stageOfStep.handover' }), 'delivered');
    applyTemplate(page);

    await page.waitFor(() => page.find(Alert, { variant: 'success' }));
    expect(visibleText(page.find(Alert, { variant: 'success' }))).toBe(
      'Already there, so left as they were: test-drive, delivery.',
    );
  });

  it('offers the templates later too, from a button above the touchpoints', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    expect(page.maybeFind(Tile, { testId: 'template-b2b-software' })).toBeNull();

    page.find(Button, (button) => button.text === 'Add from a template').trigger('onClick');
    await chooseTemplate(page, 'b2b-software');
    enter(page.find(Select, { name: 'stageOfStep.demo' }), 'meeting-held');
    enter(page.find(Select, { name: 'stageOfStep.proposal' }), 'offer-sent');
    applyTemplate(page);

    await vi.waitFor(() =>
      expect(api.applyTemplate).toHaveBeenCalledExactlyOnceWith('b2b-software', {
        pipelineId: 'car-sales',
        stageOfStep: { demo: 'meeting-held', proposal: 'offer-sent' },
      }),
    );
  });
});
