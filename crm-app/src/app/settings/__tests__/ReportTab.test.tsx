import {
  BarChart,
  Button,
  ErrorState,
  Flex,
  LineChart,
  LoadingButton,
  LoadingSpinner,
  Select,
  StatusTag,
  Tabs,
  Tag,
  TableRow,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { SettingsApiError } from '../hooks/settings-api-client.js';
import { carSales, fakeSettingsApi, reportCsvFixture, reportFixture } from '../test-utils/mocks.js';
import { enter, renderLoadedSettingsPage, settle, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

/** Clicks the Report tab (0.17's `trigger` types its argument as the handler itself, hence the cast). */
function openReport(page: SettingsPageRenderer) {
  page.find(Tabs).trigger('onSelectedChange', 'report' as never);
}

async function renderOpenedReport(api = fakeSettingsApi()) {
  const page = await renderLoadedSettingsPage(api);
  openReport(page);
  await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
  return page;
}

function journeyTile(page: SettingsPageRenderer, touchpointId: string) {
  return page.findByTestId(Tile, `journey-${touchpointId}`);
}

describe('the report tab', () => {
  it('asks for the report only once the tab is opened', async () => {
    const api = fakeSettingsApi();
    const page = await renderLoadedSettingsPage(api);
    await settle();
    expect(api.loadReport).not.toHaveBeenCalled();
    openReport(page);
    expect(page.find(LoadingSpinner).props.label).toBe('Loading the report');
    await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
    expect(api.loadReport).toHaveBeenCalledExactlyOnceWith({});
  });

  it('shows the journey in order, each touchpoint with its light and mean', async () => {
    const page = await renderOpenedReport();
    const journey = page.findAll(Tile, (tile) => String(tile.props.testId ?? '').startsWith('journey-'));
    expect(journey.map((tile) => tile.props.testId)).toEqual([
      'journey-showroom-visit',
      'journey-test-drive',
      'journey-sales-meeting',
      'journey-the-offer',
    ]);
    const lightOf = (touchpointId: string) => {
      const tag = journeyTile(page, touchpointId).find(StatusTag);
      return `${tag.text} (${tag.props.variant})`;
    };
    expect(lightOf('showroom-visit')).toBe('Mean 8.6 (success)');
    expect(lightOf('test-drive')).toBe('Mean 6.5 (warning)');
    expect(lightOf('sales-meeting')).toBe('Mean 4.2 (danger)');
    expect(lightOf('the-offer')).toBe('No answers (default)');
  });

  it('marks the touchpoints whose knowledge is thin', async () => {
    const page = await renderOpenedReport();
    expect(journeyTile(page, 'test-drive').find(Tag).text).toBe('Thin knowledge');
    expect(journeyTile(page, 'the-offer').find(Tag).text).toBe('Thin knowledge');
    expect(journeyTile(page, 'sales-meeting').maybeFind(Tag)).toBeNull();
  });

  it('lists the weakest touchpoints first, as the back end ranks them, with the impact and its interval', async () => {
    const page = await renderOpenedReport();
    const rows = page.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('weakest-'));
    expect(rows.map((row) => row.props.testId)).toEqual([
      'weakest-sales-meeting',
      'weakest-showroom-visit',
      'weakest-test-drive',
      'weakest-the-offer',
    ]);
    expect(visibleText(page.findByTestId(TableRow, 'weakest-sales-meeting'))).toBe(
      'Sales meeting 4.2 20 (67%) 7 (23%) 3 (10%) 0.45 (0.30 to 0.61) 60% (30 of 50) 50% (30 of 60) 25% (2 of 8)',
    );
    expect(visibleText(page.findByTestId(TableRow, 'weakest-the-offer'))).toContain('Not enough answers');
    expect(visibleText(page.find(Flex))).toContain('Ranked by (10 − mean) × impact');
  });

  it('leads with the findings as sentences, counts beside the percentages', async () => {
    const page = await renderOpenedReport();
    expect(visibleText(page.findByTestId(Tile, 'findings'))).toBe(
      'Sales meeting is where you lose customers: 67% (20 of 30) rate it red. Each point less on it takes 0.45 points off the overall score.',
    );
  });

  it('says how many answers the ranking still needs instead of ranking silently in journey order', async () => {
    const api = fakeSettingsApi();
    api.loadReport.mockResolvedValue(reportFixture({ weakestFirst: [], ranking: { status: 'not_enough_answers', customers: 12, needed: 30 }, findings: [] }));
    const page = await renderOpenedReport(api);
    expect(visibleText(page.findByTestId(Text, 'ranking-not-enough'))).toMatch(/^Not enough answers to rank yet \(12 of 30\)/);
    const rows = page.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('weakest-'));
    expect(rows.map((row) => row.props.testId)).toEqual(['weakest-showroom-visit', 'weakest-test-drive', 'weakest-sales-meeting', 'weakest-the-offer']);
    expect(page.maybeFind(Tile, (tile) => tile.props.testId === 'findings')).toBeNull();
  });

  it('labels the overall question, keeps it out of the ranking table, and prints a tiny negative interval end as 0.00', async () => {
    const fixture = reportFixture();
    const overall = {
      ...fixture.touchpoints[0]!,
      touchpointId: 'recommend',
      name: 'Would you recommend us?',
      phase: 'post_purchase' as const,
      measuresOverall: true,
      impact: null,
    };
    const showroom = { ...fixture.touchpoints[0]!, impact: { touchpointId: 'showroom-visit', effect: 0.12, low: -0.001, high: 0.3, answers: 38 } };
    const api = fakeSettingsApi();
    api.loadReport.mockResolvedValue({ ...fixture, touchpoints: [showroom, ...fixture.touchpoints.slice(1), overall] });
    const page = await renderOpenedReport(api);
    expect(journeyTile(page, 'recommend').find(Tag).text).toBe('Overall question');
    expect(page.maybeFind(TableRow, (row) => row.props.testId === 'weakest-recommend')).toBeNull();
    expect(visibleText(page.findByTestId(Text, 'overall-recommend'))).toBe('Overall question — Would you recommend us?: mean 8.6 from 40 answers.');
    expect(visibleText(page.findByTestId(TableRow, 'weakest-showroom-visit'))).toContain('0.12 (0.00 to 0.30)');
  });

  it('charts each answered touchpoint’s lights and monthly trend', async () => {
    const page = await renderOpenedReport();
    expect(page.findAll(BarChart)).toHaveLength(3);
    expect(page.findAll(LineChart)[0]?.props.data).toEqual([
      { month: '2025-03', mean: 8.2 },
      { month: '2025-04', mean: 8.9 },
    ]);
  });

  it('reloads the report for the chosen pipeline when the admin clicks Apply', async () => {
    const api = fakeSettingsApi();
    const page = await renderOpenedReport(api);
    enter(page.find(Select, { name: 'pipelineId' }), carSales.id);
    await settle();
    expect(api.loadReport).toHaveBeenCalledOnce();

    page.find(Button, (button) => button.text === 'Apply').trigger('onClick');

    await page.waitFor(() => expect(api.loadReport).toHaveBeenLastCalledWith({ pipelineId: carSales.id }));
    await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
    expect(api.loadReport).toHaveBeenCalledTimes(2);
  });

  it('offers all owners and each owner by name, and reloads the report for the chosen owner on Apply', async () => {
    const api = fakeSettingsApi();
    const page = await renderOpenedReport(api);
    const owner = page.find(Select, { name: 'ownerId' });
    expect(owner.props.options.map((option) => option.label)).toEqual(['All owners', 'Jonas Holm', 'Mette Kjær']);

    enter(owner, '61002');
    enter(page.find(Select, { name: 'pipelineId' }), carSales.id);
    page.find(Button, (button) => button.text === 'Apply').trigger('onClick');

    await page.waitFor(() => expect(api.loadReport).toHaveBeenLastCalledWith({ ownerId: '61002', pipelineId: carSales.id }));
    await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
  });

  it('fetches the CSV for the applied filter on Show CSV and shows it read-only for copying', async () => {
    const api = fakeSettingsApi();
    const page = await renderOpenedReport(api);
    enter(page.find(Select, { name: 'ownerId' }), '61002');
    page.find(Button, (button) => button.text === 'Apply').trigger('onClick');
    await page.waitFor(() => expect(api.loadReport).toHaveBeenCalledTimes(2));
    await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
    expect(page.maybeFind(TextArea)).toBeNull();

    page.find(LoadingButton, (button) => button.text === 'Show CSV').trigger('onClick');

    await page.waitFor(() => expect(page.find(TextArea).props.value).toBe(reportCsvFixture));
    expect(api.loadReportCsv).toHaveBeenCalledExactlyOnceWith({ ownerId: '61002' });
    expect(page.find(TextArea).props).toMatchObject({ label: 'CSV — copy into a spreadsheet', readOnly: true });
    expect(visibleText(page.find(Tabs))).not.toContain('no CSV download yet');
  });

  it('shows why the report could not be loaded and asks again on Try again', async () => {
    const api = fakeSettingsApi();
    api.loadReport
      .mockRejectedValueOnce(new SettingsApiError('Touchpoints is busy right now. Try again in a moment.'))
      .mockResolvedValueOnce(reportFixture());
    const page = await renderLoadedSettingsPage(api);
    openReport(page);
    await page.waitFor(() => expect(page.find(ErrorState).props.title).toBe('The report could not be loaded'));
    expect(visibleText(page.find(ErrorState))).toContain('Touchpoints is busy right now. Try again in a moment.');

    page.find(ErrorState).find(Button, (button) => button.text === 'Try again').trigger('onClick');

    await page.waitFor(() => expect(page.maybeFind(Tile, { testId: 'journey-sales-meeting' })).not.toBeNull());
    expect(api.loadReport).toHaveBeenCalledTimes(2);
  });
});
