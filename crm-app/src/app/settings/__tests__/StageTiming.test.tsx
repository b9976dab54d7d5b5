import { BarChart, Heading, TableRow, Tabs, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it } from 'vitest';
import type { PortalReport } from '@touchpoints/contracts';
import { StageTiming } from '../components/StageTiming.js';
import { fakeSettingsApi, reportFixture, slowOfferTiming, timingFixture } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, visibleText } from '../test-utils/render.js';

/** The dealer's report with its deals' waits: the offer comes late against the 2 days promised after the meeting. */
function reportWithWaits(overrides: Partial<PortalReport> = {}): PortalReport {
  const fixture = reportFixture();
  const timings: Record<string, ReturnType<typeof timingFixture>> = {
    'sales-meeting': timingFixture({ waits: 40, medianDays: 2.04, p75Days: 3.1, p90Days: 3.9, reachedStageBefore: 44, fellOut: 2, stalled: 1 }),
    'the-offer': slowOfferTiming,
  };
  return {
    ...fixture,
    touchpoints: fixture.touchpoints.map((touchpoint) => ({ ...touchpoint, timing: timings[touchpoint.touchpointId] ?? touchpoint.timing })),
    slowestAgainstPromise: 'the-offer',
    ...overrides,
  };
}

function renderTiming(report: PortalReport) {
  const renderer = createRenderer('settings');
  renderer.render(<StageTiming report={report} />);
  return renderer;
}

describe('the waiting times on the report tab', () => {
  it('names the slowest step against its promise, with the counts behind the share', () => {
    const timing = renderTiming(reportWithWaits());
    expect(visibleText(timing.findByTestId(Text, 'slowest-against-promise'))).toBe(
      'The offer is the slowest step against its promise: customers wait 4.1 days (median) against 2 days promised; 80% (24 of 30) waited longer.',
    );
  });

  it('charts each waited-for step’s median and 90th percentile beside its promise', () => {
    const chart = renderTiming(reportWithWaits()).findByTestId(BarChart, 'waiting-times');
    expect(chart.props.data).toEqual([
      { step: 'Sales meeting', measure: 'Median', days: 2 },
      { step: 'Sales meeting', measure: '90th percentile', days: 3.9 },
      { step: 'The offer', measure: 'Median', days: 4.1 },
      { step: 'The offer', measure: '90th percentile', days: 5.8 },
      { step: 'The offer', measure: 'Promise', days: 2 },
    ]);
  });

  it('lists every step with its waits, percentiles, promise, late share and what happened at the stage before', () => {
    const timing = renderTiming(reportWithWaits());
    expect(timing.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('timing-'))).toHaveLength(4);
    expect(visibleText(timing.findByTestId(TableRow, 'timing-the-offer'))).toBe(
      'The offer 30 4.1 days 5.2 days 5.8 days 2 days 80% (24 of 30) 2.2 days 36 deals: 4 lost, 2 stalled over 6 days',
    );
    expect(visibleText(timing.findByTestId(TableRow, 'timing-test-drive'))).toBe('Test drive 0 — — — — — — —');
  });

  it('leaves out the overall question: it is asked after a step, not one of its own', () => {
    const fixture = reportWithWaits();
    const offer = fixture.touchpoints.find(({ touchpointId }) => touchpointId === 'the-offer')!;
    const overall = { ...offer, touchpointId: 'recommend', name: 'Would you recommend us?', measuresOverall: true };
    const timing = renderTiming({ ...fixture, touchpoints: [...fixture.touchpoints, overall] });
    expect(timing.findAll(TableRow, (row) => String(row.props.testId ?? '').startsWith('timing-'))).toHaveLength(4);
    expect(JSON.stringify(timing.findByTestId(BarChart, 'waiting-times').props.data)).not.toContain('Would you recommend us?');
  });

  it('says so when no step is slower than its promise', () => {
    const timing = renderTiming(reportWithWaits({ slowestAgainstPromise: null }));
    expect(visibleText(timing.findByTestId(Text, 'no-slow-step'))).toBe('No step keeps customers waiting longer than its promise.');
    expect(timing.maybeFind(Text, (text) => text.props.testId === 'slowest-against-promise')).toBeNull();
  });

  it('draws no chart before any deal has moved into a touchpoint’s stage', () => {
    const timing = renderTiming(reportFixture());
    expect(visibleText(timing.findByTestId(Text, 'no-slow-step'))).toBe('No deal has moved into a touchpoint’s stage in this period.');
    expect(timing.maybeFind(BarChart)).toBeNull();
  });

  it('is part of the report tab', async () => {
    const api = fakeSettingsApi();
    api.loadReport.mockResolvedValue(reportWithWaits());
    const page = await renderLoadedSettingsPage(api);
    page.find(Tabs).trigger('onSelectedChange', 'report' as never);
    await page.waitFor(() => expect(page.maybeFind(Text, (text) => text.props.testId === 'slowest-against-promise')).not.toBeNull());
    expect(page.findAll(Heading).map(visibleText)).toContain('Waiting times');
  });
});
