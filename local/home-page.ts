/**
 * `GET /` of the local app: what runs where, the five-minute story of the
 * car-dealer demo, the demo records' cards by name, the settings page and
 * report, the mail catcher, the clock and the commands. Server-rendered, every
 * value escaped; the clock's form is the page's only action.
 */
import { html, type Html } from '../lambdas/survey-pages/html.js';
import { formatDuration } from './demo-clock.js';
import { utcTime } from './demo/next-steps.js';

export interface DemoRecord {
  id: string;
  name: string;
  /** A deal's stage label, a contact's email, a company's city. */
  detail: string;
}

export interface HomePageView {
  urls: { appUrl: string; sandboxUrl: string; sesUrl: string; dynamoEndpoint: string };
  tableName: string;
  dataDir: string | undefined;
  portalId: number;
  clock: { now: Date; offsetMs: number };
  /** What the last advance did, shown once after the clock's form was sent. */
  advanced?: { by: string; surveysSent: number; remindersSent: number; missedFollowUps: number; answersSettled: number };
  deals: readonly DemoRecord[];
  contacts: readonly DemoRecord[];
  companies: readonly DemoRecord[];
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function records(title: string, objectType: 'deal' | 'contact' | 'company', list: readonly DemoRecord[], appUrl: string): Html {
  return html`<section aria-labelledby="${objectType}-records"><h3 id="${objectType}-records">${title}</h3><ul class="records">${list.map(
    (record) => html`<li><a href="${appUrl}/ui/record/${objectType}/${record.id}">${record.name}</a> <span class="muted">${record.id} · ${record.detail}</span></li>`,
  )}</ul></section>`;
}

function clockSection({ clock, advanced }: HomePageView): Html {
  const ahead = clock.offsetMs > 0 ? `${formatDuration(clock.offsetMs)} ahead of this machine` : 'the machine’s own time';
  return html`<section aria-labelledby="clock"><h2 id="clock">The clock</h2>
<p>The stack’s time is <strong>${utcTime(clock.now.toISOString())}</strong> (${ahead}). Advancing it runs the due work as of then: surveys, reminders, expired links and promise deadlines.</p>
${advanced ? html`<p role="status" class="done">Advanced by ${advanced.by}: ${plural(advanced.surveysSent, 'survey')} and ${plural(advanced.remindersSent, 'reminder')} sent, ${plural(advanced.missedFollowUps, 'promise')} missed, ${plural(advanced.answersSettled, 'answer')} settled.</p>` : ''}
<form method="post" action="/local/clock"><label for="advance">Advance the clock by</label> <input id="advance" name="advance" value="2h" size="6" pattern="(\\d+[dhm])+" aria-describedby="advance-help" required> <button type="submit">Advance</button>
<span id="advance-help" class="muted">30m, 2h, 1d, 1h30m</span></form></section>`;
}

export function renderHomePage(view: HomePageView): string {
  const { urls, portalId } = view;
  const card = (objectType: string, id: string) => `${urls.appUrl}/ui/record/${objectType}/${id}`;
  const nameOf = (list: readonly DemoRecord[], id: string) => list.find((record) => record.id === id)?.name ?? `${id}`;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Touchpoints – local stack</title>
<style>body{font:15px/1.5 system-ui,sans-serif;color:#1f2328;background:#f5f8fa;margin:0;padding:24px}main{max-width:980px;margin:auto;background:#fff;border:1px solid #cbd6e2;border-radius:6px;padding:8px 24px 24px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-top:1px solid #eaf0f6;padding-top:16px}h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #eaf0f6;padding:6px;text-align:left;vertical-align:top}code{background:#eaf0f6;border-radius:3px;padding:1px 4px;font-size:14px}
.muted{color:#516f90}.records{columns:2;padding-left:20px}.records li{break-inside:avoid}a{color:#0b5cad}.done{background:#e5f8f6;border:1px solid #00bda5;border-radius:4px;padding:8px 12px}
ol li{margin-bottom:6px}button{font:inherit;padding:4px 14px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;border-radius:3px}input{font:inherit;padding:3px 6px;border:1px solid #7c98b6;border-radius:3px}</style></head>
<body><main><h1>Touchpoints, running locally</h1>
<p>The car dealer Bilhuset Nord (HubSpot portal ${portalId}) with the Touchpoints app installed: its card on every contact, company and deal, its <a href="${urls.appUrl}/ui/settings">settings page</a> (the <strong>Report</strong> tab holds the touchpoint analysis), and every mail it sends in the <a href="${urls.sesUrl}">mail catcher</a>.</p>

<section aria-labelledby="story"><h2 id="story">Try it: the five-minute story</h2><ol>
<li>Open the card of <a href="${card('deal', '303')}">${nameOf(view.deals, '303')}</a>: Ingrid’s lights, her comments, and the offer that came after the 2-day promise, kept late.</li>
<li>Move Anders’s deal to the sales meeting: <code>npm run sandbox -- move-deal 301 salesmeeting</code>. The command says when his survey goes and when the promise of an offer falls due.</li>
<li>Advance the clock two hours: <code>npm run demo -- advance 2h</code>, or the button below. The survey goes at once.</li>
<li>Read it in the <a href="${urls.sesUrl}">mail catcher</a> (Danish: Anders speaks Danish) and click a score; a 5 or lower is red. Add a comment on the thank-you page.</li>
<li>About three minutes later (clicks settle for two minutes, then the minute’s run) the card of <a href="${card('deal', '301')}">${nameOf(view.deals, '301')}</a> and of <a href="${card('contact', '101')}">${nameOf(view.contacts, '101')}</a> show the light and the comment, and the pending promise with the time left. A red score gives the owner a task in HubSpot; <code>npm run demo -- advance 2d</code> misses the promise and gives another (<code>npm run sandbox -- list-tasks</code> shows them).</li>
</ol></section>

${clockSection(view)}

<section aria-labelledby="records"><h2 id="records">The demo’s records</h2><p>Each name opens that record’s Touchpoints card.</p>
${records('Deals', 'deal', view.deals, urls.appUrl)}${records('Contacts', 'contact', view.contacts, urls.appUrl)}${records('Companies', 'company', view.companies, urls.appUrl)}</section>

<section aria-labelledby="running"><h2 id="running">What is running</h2><table>
<thead><tr><th scope="col">Service</th><th scope="col">URL</th><th scope="col">What it is</th></tr></thead><tbody>
<tr><td>The app</td><td><a href="${urls.appUrl}">${urls.appUrl}</a></td><td>The Lambda handlers behind a local API Gateway, the card and settings pages (<code>/ui/…</code>); health at <a href="${urls.appUrl}/healthz">/healthz</a></td></tr>
<tr><td>HubSpot sandbox</td><td>${urls.sandboxUrl}</td><td>A local HubSpot: CRM records, pipelines, owners, tasks, OAuth; signs webhooks and <code>hubspot.fetch</code> requests</td></tr>
<tr><td>Mail catcher (local SES)</td><td><a href="${urls.sesUrl}">${urls.sesUrl}</a></td><td>Every mail the app sends</td></tr>
<tr><td>DynamoDB (dynalite)</td><td>${urls.dynamoEndpoint}</td><td>Table <code>${view.tableName}</code>${view.dataDir ? html`, data in <code>${view.dataDir}</code>` : ''}</td></tr>
</tbody></table></section>

<section aria-labelledby="commands"><h2 id="commands">Commands</h2><table><tbody>
<tr><td><code>npm run sandbox -- list-deals</code>, <code>list-contacts</code>, <code>list-companies</code></td><td>Records with their ids (deals with their stage ids)</td></tr>
<tr><td><code>npm run sandbox -- list-tasks</code></td><td>The owners&#8217; tasks a red answer or a missed promise made</td></tr>
<tr><td><code>npm run sandbox -- move-deal &lt;dealId&gt; &lt;stageId&gt;</code></td><td>A salesperson moves a deal; says what happens next and when</td></tr>
<tr><td><code>npm run sandbox -- log-activity &lt;dealId&gt; [CALL|EMAIL|MEETING]</code></td><td>Logs contact with the customer: keeps a promise of a follow-up</td></tr>
<tr><td><code>npm run sandbox -- uninstall &lt;portalId&gt;</code></td><td>A user uninstalls the app</td></tr>
<tr><td><code>npm run demo -- advance &lt;30m|3h|2d&gt;</code></td><td>Moves the stack’s clock forward and runs the due work</td></tr>
<tr><td><code>npm run demo -- customers [count]</code></td><td>Adds customers with deals, contacts and answers for the report</td></tr>
<tr><td><code>npm run demo -- verify-sender &lt;domain&gt;</code></td><td>The sender domain’s DNS records are in place</td></tr>
<tr><td><code>npm run demo -- bounce &lt;email&gt;</code>, <code>complain &lt;email&gt;</code></td><td>The last mail to that address bounces, or is marked as spam</td></tr>
</tbody></table><p class="muted">Delete the data folder to start from the demo again.</p></section>
</main></body></html>`.toString();
}
