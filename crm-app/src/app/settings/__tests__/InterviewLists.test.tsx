import { LoadingButton, LoadingSpinner, Tabs, TableRow, Text } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { SettingsApiError } from '../hooks/settings-api-client.js';
import { fakeSettingsApi, interviewTaskFixture, reportFixture } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, settle, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

/** The report tab with the dealer’s report loaded (0.17’s `trigger` types its argument as the handler itself, hence the cast). */
async function renderOpenedReport(api = fakeSettingsApi()) {
  const page = await renderLoadedSettingsPage(api);
  page.find(Tabs).trigger('onSelectedChange', 'report' as never);
  await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
  return page;
}

const jonasCustomer = 'interview-sales-meeting/302/102';
const metteCustomer = 'interview-sales-meeting/304/105';

function interviewRows(page: SettingsPageRenderer) {
  return page.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('interview-'));
}

function makeTaskFor(page: SettingsPageRenderer, rowTestId: string) {
  page.findByTestId(TableRow, rowTestId).find(LoadingButton).trigger('onClick');
}

describe('the customers to interview on the report tab', () => {
  it('lists the weak sales meeting’s customers with their owner, answer, day and comment, each with a button', async () => {
    const page = await renderOpenedReport();
    expect(interviewRows(page).map((row) => row.props.testId)).toEqual([jonasCustomer, metteCustomer]);
    expect(visibleText(page.findByTestId(TableRow, jonasCustomer))).toBe(
      'Contact 102, deal 302 Jonas Holm 2/10 Apr 28, 2025 “Nobody explained the financing.” Make interview task',
    );
    expect(visibleText(page.findByTestId(TableRow, metteCustomer))).toContain('Mette Kjær 6/10');
  });

  it('names the listed customers as HubSpot has them, asked once for all, and keeps the id where a name is missing', async () => {
    const api = fakeSettingsApi();
    api.customerNames.mockResolvedValue({ '102': 'Anders Berg' });
    const page = await renderOpenedReport(api);
    await page.waitFor(() => expect(visibleText(page.findByTestId(TableRow, jonasCustomer))).toContain('Anders Berg, deal 302'));
    expect(api.customerNames).toHaveBeenCalledExactlyOnceWith(['102', '105']);
    expect(visibleText(page.findByTestId(TableRow, metteCustomer))).toContain('Contact 105, deal 304');
  });

  it('keeps the ids when the names cannot be read', async () => {
    const api = fakeSettingsApi();
    api.customerNames.mockRejectedValue(new SettingsApiError('Touchpoints is busy right now. Try again in a moment.'));
    const page = await renderOpenedReport(api);
    await settle();
    expect(visibleText(page.findByTestId(TableRow, jonasCustomer))).toContain('Contact 102, deal 302');
  });

  it('makes the deal owner’s interview task on one click and shows it in place of the button', async () => {
    const api = fakeSettingsApi();
    const page = await renderOpenedReport(api);

    makeTaskFor(page, jonasCustomer);

    await page.waitFor(() => expect(page.findByTestId(TableRow, jonasCustomer).maybeFind(LoadingButton)).toBeNull());
    expect(api.requestInterview).toHaveBeenCalledExactlyOnceWith({ touchpointId: 'sales-meeting', dealId: '302', contactId: '102' });
    expect(visibleText(page.findByTestId(TableRow, jonasCustomer))).toContain('Task made “Interview Ingrid about Sales meeting” for Jonas Holm');
    expect(page.findByTestId(TableRow, metteCustomer).maybeFind(LoadingButton)).not.toBeNull();
  });

  it('says so when the task was made by an earlier click', async () => {
    const api = fakeSettingsApi();
    api.requestInterview.mockResolvedValueOnce({ outcome: 'accepted', task: { ...interviewTaskFixture, created: false } });
    const page = await renderOpenedReport(api);

    makeTaskFor(page, jonasCustomer);

    await page.waitFor(() => expect(visibleText(page.findByTestId(TableRow, jonasCustomer))).toContain('Task made earlier'));
  });

  it('shows why Touchpoints made no task and leaves the button to try again', async () => {
    const api = fakeSettingsApi();
    api.requestInterview.mockResolvedValueOnce({ outcome: 'refused', message: 'This contact got an interview task on 2025-04-02: not again within 90 days' });
    const page = await renderOpenedReport(api);

    makeTaskFor(page, metteCustomer);

    const row = () => page.findByTestId(TableRow, metteCustomer);
    await page.waitFor(() => expect(visibleText(row())).toContain('This contact got an interview task on 2025-04-02: not again within 90 days'));
    expect(row().find(LoadingButton).props.loading).toBe(false);
  });

  it('shows a failure to reach Touchpoints in the row', async () => {
    const api = fakeSettingsApi();
    api.requestInterview.mockRejectedValueOnce(new SettingsApiError('Touchpoints is busy right now. Try again in a moment.'));
    const page = await renderOpenedReport(api);

    makeTaskFor(page, jonasCustomer);

    await page.waitFor(() => expect(visibleText(page.findByTestId(TableRow, jonasCustomer))).toContain('Touchpoints is busy right now. Try again in a moment.'));
  });

  it('says there is no one to interview when no weak touchpoint has a customer to list', async () => {
    const api = fakeSettingsApi();
    api.loadReport.mockResolvedValue(reportFixture({ interviews: [{ touchpointId: 'sales-meeting', candidates: [] }] }));
    const page = await renderOpenedReport(api);
    await settle();
    expect(interviewRows(page)).toHaveLength(0);
    expect(page.findByTestId(Text, 'interviews-none').text).toBe('No one to interview: no recent red or yellow answer with a comment on a weak touchpoint.');
  });
});
