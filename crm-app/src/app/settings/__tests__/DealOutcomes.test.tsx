import { BarChart, LoadingSpinner, TableRow, Tabs, Tile } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import type { PortalReport, TouchpointOutcomes } from '@touchpoints/contracts';
import { fakeSettingsApi, reportFixture } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, type SettingsPageRenderer, visibleText } from '../test-utils/render.js';

/** The sales meeting's closed deals: 4 of 12 rated red won, 9 of 12 rated yellow or green. */
const salesMeetingOutcomes: TouchpointOutcomes = {
  closedDeals: 24,
  byLight: [
    { light: 'red', closedDeals: 12, won: 4, winRate: { rate: 4 / 12, low: 0.1381, high: 0.6094 }, averageAmount: 305_500 },
    { light: 'yellow', closedDeals: 3, won: 2, winRate: null, averageAmount: 280_000 },
    { light: 'green', closedDeals: 9, won: 7, winRate: null, averageAmount: null },
  ],
  redVersusRest: { difference: -0.4167, low: -0.7081, high: -0.0419 },
  needMore: null,
};

function reportWithOutcomes(overrides: Partial<PortalReport> = {}): PortalReport {
  const report = reportFixture();
  return reportFixture({
    touchpoints: report.touchpoints.map((touchpoint) => (touchpoint.touchpointId === 'sales-meeting' ? { ...touchpoint, outcomes: salesMeetingOutcomes } : touchpoint)),
    ...overrides,
  });
}

async function openedReport(report: PortalReport): Promise<SettingsPageRenderer> {
  const api = fakeSettingsApi();
  api.loadReport.mockResolvedValue(report);
  const page = await renderLoadedSettingsPage(api);
  page.find(Tabs).trigger('onSelectedChange', 'report' as never);
  await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
  return page;
}

describe('won and lost deals on the report tab', () => {
  it('shows each touchpoint’s win rate by light with its counts and interval, and red against the rest', async () => {
    const page = await openedReport(reportWithOutcomes());
    expect(visibleText(page.findByTestId(TableRow, 'outcomes-sales-meeting'))).toBe(
      'Sales meeting 33% won (4 of 12), 95% interval 14%–61%; average amount 305,500 2 of 3 won; too few for a rate; average amount 280,000 7 of 9 won; too few for a rate -42 points (95% interval -71 to -4)',
    );
    expect(page.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('outcomes-'))).toHaveLength(1);
  });

  it('charts the win rates it can show', async () => {
    const page = await openedReport(reportWithOutcomes());
    const chart = page.find(BarChart, (candidate) => String(candidate.props.options?.title).includes('win rate'));
    expect(chart.props.data).toEqual([{ light: 'Red', winRate: 33 }]);
  });

  it('says how many closed deals are still needed before red can be set against the rest', async () => {
    const waiting: TouchpointOutcomes = { ...salesMeetingOutcomes, redVersusRest: null, needMore: { red: 7, rest: 0 } };
    const report = reportFixture();
    const page = await openedReport(
      reportFixture({ touchpoints: report.touchpoints.map((touchpoint) => (touchpoint.touchpointId === 'sales-meeting' ? { ...touchpoint, outcomes: waiting } : touchpoint)) }),
    );
    expect(visibleText(page.findByTestId(TableRow, 'outcomes-sales-meeting'))).toContain('Needs 7 more closed deals rated red');
  });

  it('says so while no deal with an answer has closed', async () => {
    const page = await openedReport(reportFixture());
    expect(page.maybeFind(TableRow, (row) => String(row.props.testId ?? '').startsWith('outcomes-'))).toBeNull();
    expect(visibleText(page.find(Tabs))).toContain('No deal with an answer has closed yet.');
  });
});

describe('deals at risk on the report tab', () => {
  it('lists open deals with a red answer with their amount, owner and red touchpoints, most valuable first, naming a touchpoint the filtered report leaves out', async () => {
    const page = await openedReport(
      reportWithOutcomes({
        dealsAtRisk: [
          { dealId: '303', dealName: 'Toyota RAV4 Hybrid', amount: 415_000, ownerId: '61002', redTouchpointIds: ['sales-meeting', 'the-offer', 'delivery'], redSince: '2025-04-20T10:00:00.000Z' },
          { dealId: '307', dealName: null, amount: null, ownerId: null, redTouchpointIds: ['gone'], redSince: '2025-04-21T10:00:00.000Z' },
        ],
      }),
    );
    const rows = page.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('at-risk-'));
    expect(rows.map((row) => visibleText(row))).toEqual(['Toyota RAV4 Hybrid 415,000 Jonas Holm Sales meeting, The offer, Delivery', 'Deal 307 — No owner gone']);
  });

  it('says so when no open deal has a red answer', async () => {
    const page = await openedReport(reportFixture());
    expect(visibleText(page.find(Tabs))).toContain('No open deal has a red answer.');
  });
});

describe('lost deals on the report tab', () => {
  it('shows the lost-deal touchpoint apart, with its answers and latest comments', async () => {
    const stats = reportFixture().touchpoints[1]!.stats;
    const page = await openedReport(
      reportFixture({
        lostDeals: {
          touchpoints: [
            {
              touchpointId: 'lost-deal',
              name: 'Lost deal',
              stats: { ...stats, touchpointId: 'lost-deal' },
              latestComments: [{ score: 3, comment: 'Billigere hos konkurrenten', answeredAt: '2025-04-22T09:00:00.000Z' }],
            },
          ],
        },
      }),
    );
    expect(visibleText(page.findByTestId(Tile, 'lost-lost-deal'))).toBe('Lost deal Mean 6.5 4 answers: 1 red, 2 yellow, 1 green “Billigere hos konkurrenten” (3/10, 2025-04-22)');
  });

  it('shows no lost-deal section where no touchpoint asks lost customers', async () => {
    const page = await openedReport(reportFixture());
    expect(visibleText(page.find(Tabs))).not.toContain('Lost deals');
  });
});
