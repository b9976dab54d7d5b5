import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CardData, type CardTouchpoint, surveysPausedMessage } from '@touchpoints/contracts';
import type { PortalReport, TouchpointReport } from '@touchpoints/contracts';
import { html, type Html } from '../lambdas/survey-pages/html.js';
import type { HttpHandler } from './gateway.js';
import type { HubSpotSandbox } from './hubspot-sandbox/server.js';

const phaseTitles: Record<CardTouchpoint['phase'], string> = {
  influence: 'Influence',
  pre_purchase: 'Before purchase',
  purchase: 'Purchase',
  post_purchase: 'After purchase',
};
const objectTypes = new Set(['contact', 'company', 'deal']);

function tag(touchpoint: CardTouchpoint): Html {
  if (touchpoint.light) return html`<span class="tag ${touchpoint.light}">${touchpoint.light[0]!.toUpperCase() + touchpoint.light.slice(1)}</span>`;
  const grey = { waiting: 'Waiting for answer', scheduled: `Scheduled ${touchpoint.nextSendAt?.slice(0, 16).replace('T', ' ') ?? ''}`, not_asked: 'Not asked yet', answered: '' };
  return html`<span class="tag grey">${grey[touchpoint.state]}</span>`;
}

function row(touchpoint: CardTouchpoint): Html {
  return html`<tr><td>${touchpoint.name}</td><td>${tag(touchpoint)}</td><td>${touchpoint.lastScore === null ? '–' : `${touchpoint.lastScore}/10`}</td>
<td>${touchpoint.meanScore === null ? '' : `mean ${touchpoint.meanScore} from ${touchpoint.responses} answer${touchpoint.responses === 1 ? '' : 's'}`}</td>
<td>${touchpoint.lastComment ? `“${touchpoint.lastComment}”` : ''}</td><td>${touchpoint.lastAnsweredAt?.slice(0, 10) ?? ''}</td></tr>`;
}

/** The card's layout as HTML, for a look at the product without a HubSpot account. */
export function renderCardPreview(card: CardData, title: string): string {
  const phases = (['influence', 'pre_purchase', 'purchase', 'post_purchase'] as const)
    .map((phase) => [phase, card.touchpoints.filter((touchpoint) => touchpoint.phase === phase)] as const)
    .filter(([, touchpoints]) => touchpoints.length);
  const { answered, sent } = card.responseRate;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} – Touchpoints preview</title>
<style>body{font:15px/1.45 system-ui,sans-serif;color:#1f2328;background:#f5f8fa;margin:0;padding:24px}main{max-width:960px;margin:auto;background:#fff;border:1px solid #cbd6e2;border-radius:6px;padding:20px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:20px 0 8px}table{border-collapse:collapse;width:100%;table-layout:fixed}td:nth-child(1){width:22%}td:nth-child(2){width:15%}td:nth-child(3){width:7%}td:nth-child(4){width:19%}td:nth-child(6){width:11%}td{border-top:1px solid #eaf0f6;padding:8px 6px;vertical-align:top}
.tag{display:inline-block;border-radius:3px;padding:1px 8px;font-size:13px;font-weight:600;border:1px solid}.red{background:#fde8e9;color:#8a1c25;border-color:#f2545b}
.yellow{background:#fef8f0;color:#6b4600;border-color:#f5c26b}.green{background:#e5f8f6;color:#0b5c4f;border-color:#00bda5}.grey{background:#eaf0f6;color:#33475b;border-color:#cbd6e2}
.alert{background:#fde8e9;border:1px solid #f2545b;border-radius:4px;padding:10px 14px;margin-bottom:12px}.muted{color:#516f90}</style></head>
<body><main><h1>${title}</h1>
${card.surveysPaused ? html`<div class="alert" role="status"><strong>Surveys paused</strong><p>${surveysPausedMessage(card.surveysPaused.senderDomain)}</p></div>` : ''}
${card.missedFollowUps.length ? html`<div class="alert" role="alert"><strong>Missed follow-ups</strong><ul>${card.missedFollowUps.map((missed) => html`<li>${missed.touchpointName} — ${missed.promise} — ${missed.daysOverdue} day${missed.daysOverdue === 1 ? '' : 's'} overdue${missed.ownerName ? ` — ${missed.ownerName}` : missed.ownerId ? ` — owner ${missed.ownerId}` : ''}</li>`)}</ul></div>` : ''}
${card.pendingAndKeptFollowUps.length ? html`<h2>Follow-ups</h2><ul>${card.pendingAndKeptFollowUps.map((followUp) => html`<li>${followUp.touchpointName} — ${followUp.promise} — ${followUp.status === 'pending' ? `${followUp.minutesLeft} minutes left` : followUp.status === 'kept' ? 'kept' : `kept ${followUp.daysLate} day${followUp.daysLate === 1 ? '' : 's'} late`}</li>`)}</ul>` : ''}
${card.mailSuppression ? html`<div class="alert" role="alert"><strong>${card.mailSuppression.reason === 'bounced' ? 'Email bounced' : 'Marked as spam'}</strong> — ${card.mailSuppression.address}, ${card.mailSuppression.since.slice(0, 10)}: no more surveys or reminders</div>` : ''}
<p class="muted">${sent ? `${answered} of ${sent} surveys answered` : 'No surveys sent yet'}</p>
${card.configured ? phases.map(([phase, touchpoints]) => html`<h2>${phaseTitles[phase]}</h2><table>${touchpoints.map(row)}</table>`) : html`<p>No touchpoints are set up yet: open the app's settings page.</p>`}
</main></body></html>`.toString();
}

/**
 * `GET /preview/{objectType}/{objectId}`: asks the card λ exactly as the card
 * does in HubSpot (a signed hubspot.fetch request for the demo portal) and
 * renders the answer.
 */
export function cardPreviewHandler({ appUrl, sandbox, portalId }: { appUrl: () => string; sandbox: HubSpotSandbox; portalId: number }): HttpHandler {
  return async (event): Promise<APIGatewayProxyStructuredResultV2> => {
    const { objectType = '', objectId = '' } = event.pathParameters ?? {};
    if (!objectTypes.has(objectType) || !/^\d{1,30}$/.test(objectId)) {
      return { statusCode: 404, headers: { 'content-type': 'text/plain' }, body: 'Preview a contact, company or deal: /preview/deal/301' };
    }
    const signed = sandbox.signFetchRequest({ url: `${appUrl()}/card?objectType=${objectType}&objectId=${objectId}`, portalId });
    const response = await fetch(signed.url, { method: signed.method, headers: signed.headers });
    if (!response.ok) return { statusCode: response.status, headers: { 'content-type': 'text/plain' }, body: `The card λ answered ${response.status}: ${await response.text()}` };
    const card = CardData.parse(await response.json());
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: renderCardPreview(card, `${objectType[0]!.toUpperCase()}${objectType.slice(1)} ${objectId}`) };
  };
}

/** The portal report as a page: the journey as a row of lights, the weakest first, thin knowledge flagged. */
export function renderReportPreview(report: PortalReport): string {
  const byId = new Map(report.touchpoints.map((touchpoint) => [touchpoint.touchpointId, touchpoint]));
  const light = (touchpoint: TouchpointReport) =>
    touchpoint.stats.light ? html`<span class="tag ${touchpoint.stats.light}">${touchpoint.stats.light}</span>` : html`<span class="tag grey">no answers</span>`;
  const number = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '–' : value.toFixed(digits));
  const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Touchpoint analysis – Touchpoints preview</title>
<style>body{font:15px/1.45 system-ui,sans-serif;color:#1f2328;background:#f5f8fa;margin:0;padding:24px}main{max-width:1100px;margin:auto;background:#fff;border:1px solid #cbd6e2;border-radius:6px;padding:20px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:20px 0 8px}table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #eaf0f6;padding:6px;text-align:left}
.journey{display:flex;gap:8px;flex-wrap:wrap}.step{border:1px solid #cbd6e2;border-radius:4px;padding:8px 10px;min-width:120px}
.tag{display:inline-block;border-radius:3px;padding:1px 8px;font-size:13px;font-weight:600;border:1px solid}.red{background:#fde8e9;color:#8a1c25;border-color:#f2545b}
.yellow{background:#fef8f0;color:#6b4600;border-color:#f5c26b}.green{background:#e5f8f6;color:#0b5c4f;border-color:#00bda5}.grey{background:#eaf0f6;color:#33475b;border-color:#cbd6e2}.thin{color:#8a1c25}</style></head>
<body><main><h1>Touchpoint analysis</h1><p>${report.customers} customers answered. <a href="?format=csv">Download CSV</a></p>
<h2>The journey</h2><div class="journey">${report.touchpoints.map((touchpoint) => html`<div class="step"><strong>${touchpoint.name}</strong><br>${light(touchpoint)} ${number(touchpoint.stats.mean)}${touchpoint.stats.thin ? html`<br><span class="thin">thin knowledge</span>` : ''}</div>`)}</div>
<h2>Weakest first</h2><table><tr><th>Touchpoint</th><th>Mean</th><th>Red / yellow / green</th><th>Impact on overall (95 % interval)</th><th>Response rate</th><th>Coverage</th><th>Missed follow-ups</th></tr>
${report.weakestFirst.map((id) => byId.get(id)!).map((touchpoint) => html`<tr><td>${touchpoint.name}</td><td>${number(touchpoint.stats.mean)}</td><td>${touchpoint.stats.distribution.red} / ${touchpoint.stats.distribution.yellow} / ${touchpoint.stats.distribution.green}</td>
<td>${touchpoint.impact ? `${number(touchpoint.impact.effect, 2)} (${number(touchpoint.impact.low, 2)} to ${number(touchpoint.impact.high, 2)})` : '–'}</td><td>${percent(touchpoint.stats.responseRate)}</td><td>${percent(touchpoint.stats.coverage)}</td><td>${percent(touchpoint.stats.missedFollowUpRate)}</td></tr>`)}</table>
</main></body></html>`.toString();
}

/** `GET /preview/report`: the report λ asked as the HubSpot page would ask it, rendered. `?format=csv` passes the CSV through. */
export function reportPreviewHandler({ appUrl, sandbox, portalId }: { appUrl: () => string; sandbox: HubSpotSandbox; portalId: number }): HttpHandler {
  return async (event): Promise<APIGatewayProxyStructuredResultV2> => {
    const csv = event.queryStringParameters?.format === 'csv';
    const signed = sandbox.signFetchRequest({ url: `${appUrl()}/report${csv ? '?format=csv' : ''}`, portalId });
    const response = await fetch(signed.url, { headers: signed.headers });
    if (!response.ok || csv) return { statusCode: response.status, headers: { 'content-type': response.headers.get('content-type') ?? 'text/plain' }, body: await response.text() };
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: renderReportPreview((await response.json()) as PortalReport) };
  };
}
