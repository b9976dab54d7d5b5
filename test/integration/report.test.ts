import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalReport } from '@touchpoints/contracts';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { generateDemoCustomers } from '../../local/demo/generate-customers.js';
import { startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;

function reportRequest(query = '', portalId = demoPortalId) {
  const signed = stack.sandbox.signFetchRequest({ url: `${stack.info.appUrl}/report${query}`, portalId });
  return fetch(signed.url, { headers: signed.headers });
}

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('the portal report', () => {
  it('shows each touchpoint of the seeded demo journey in journey order with its answers and light', async () => {
    const response = await reportRequest();
    expect(response.status).toBe(200);
    const report = (await response.json()) as PortalReport;
    expect(report.touchpoints.map(({ touchpointId, stats }) => `${touchpointId}:${stats.answers}:${stats.light ?? '-'}`)).toEqual([
      'test-drive:1:green',
      'sales-meeting:1:yellow',
      'offer:1:red',
      'contract:0:-',
      'delivery:0:-',
    ]);
  });

  it('marks every touchpoint’s knowledge as thin while it has few answers, and counts the missed promise', async () => {
    const report = (await (await reportRequest()).json()) as PortalReport;
    expect(report.touchpoints.every(({ stats }) => stats.thin)).toBe(true);
    expect(report.touchpoints.find(({ touchpointId }) => touchpointId === 'sales-meeting')?.stats.missedFollowUpRate).toBe(1);
  });

  it('exports the report as CSV', async () => {
    const response = await reportRequest('?format=csv');
    expect(response.headers.get('content-type')).toContain('text/csv');
    const [touchpointTable, timingTable] = (await response.text()).trim().split('\n\n');
    const [header, , , offer] = touchpointTable!.split('\n');
    expect(header).toBe(
      'touchpoint,phase,overall_question,rank,answers,mean,light,red,yellow,green,invited,response_rate,passed,coverage,thin,follow_ups,follow_ups_missed,missed_follow_up_rate,impact,impact_low,impact_high,' +
        'closed_deals_red,won_red,win_rate_red,average_amount_red,closed_deals_yellow,won_yellow,win_rate_yellow,average_amount_yellow,closed_deals_green,won_green,win_rate_green,average_amount_green,win_rate_red_vs_rest,win_rate_red_vs_rest_low,win_rate_red_vs_rest_high,finding,themes',
    );
    expect(offer).toBe(
      'The offer,purchase,false,,1,3,red,1,0,0,1,1,1,1,true,0,0,,,,,0,0,,,0,0,,,0,0,,,,,,The offer has the most red answers so far: 100% (1 of 1) rate it red and customers wait 3.9 days against a promise of 2 (33 of 42 waited longer). Not enough answers to rank yet (1 of 30).,',
    );
    // Then the waiting times from the demo deals' stage history, read at install.
    const [title, timingHeader, ...timingRows] = timingTable!.split('\n');
    expect([title, timingHeader]).toEqual(['timing', 'touchpoint,waits,median_days,p75_days,p90_days,promise_days,late,late_share,typical_lateness_days,reached_stage_before,fell_out,stalled,stall_after_days']);
    expect(timingRows).toHaveLength(5);
    expect(timingRows.find((row) => row.startsWith('The offer,'))).toMatch(/^The offer,42,3\.85,5,5\.45,2,33,0\.786,2\.72,50,6,0,6$/);
  });

  it('filters by owner and period', async () => {
    const byOtherOwner = (await (await reportRequest('?ownerId=61001')).json()) as PortalReport;
    expect(byOtherOwner.touchpoints.every(({ stats }) => stats.answers === 0)).toBe(true);
    const future = (await (await reportRequest('?since=2099-01-01')).json()) as PortalReport;
    expect(future.customers).toBe(0);
  });

  it('refuses a bad filter with 400 naming it, and an unsigned request with 401', async () => {
    const response = await reportRequest('?since=yesterday');
    expect([response.status, ((await response.json()) as { problems: string[] }).problems]).toEqual([400, ['since: must be a date (YYYY-MM-DD)']]);
    expect((await fetch(`${stack.info.appUrl}/report?portalId=${demoPortalId}`)).status).toBe(401);
  });
});

describe('the demo report with generated customers', () => {
  it('shows the car dealer’s slow offer as the weakest touchpoint', async () => {
    await generateDemoCustomers(stack.store, new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl }), demoPortalId, 80, new Date());
    const response = await reportRequest();
    expect(response.status).toBe(200);
    const report = (await response.json()) as PortalReport;
    expect(report.weakestFirst[0]).toBe('offer');
    const offer = report.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!;
    expect(offer.stats).toMatchObject({ light: 'red', thin: false });
    // Asked "would you recommend us?", customers' answers follow the offer most: it is the most impactful touchpoint too.
    const impacts = report.touchpoints.filter(({ impact }) => impact).sort((a, b) => b.impact!.effect - a.impact!.effect);
    expect(impacts[0]?.touchpointId).toBe('offer');
    // Their comments complain most about the late offer (local/demo/customer-comments.ts).
    expect(offer.themes.filter(({ light }) => light === 'red').map(({ label }) => label)).toContain('for sent');
  }, 30_000);
});
