/**
 * The local app's own pages and demo controls, beside the API's routes:
 *   GET  /                                   the home page (home-page.ts)
 *   POST /local/clock                        advance=3h: the demo clock moves on and the due λ runs as of then
 *   GET  /local/deals/{dealId}/next-steps    what happens next on a deal (the sandbox CLI prints it)
 * None of these exist on AWS.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { DueRunReport } from '../lambdas/journeys/due-work.js';
import type { TouchpointsStore } from '../lambdas/store/store.js';
import { rawBody } from '../lambdas/http/responses.js';
import { parseDuration, type DemoClock } from './demo-clock.js';
import { carDealerPortal } from './demo/car-dealer.js';
import { dealNextSteps } from './demo/next-steps.js';
import type { Route } from './gateway.js';
import { renderHomePage, type DemoRecord, type HomePageView } from './home-page.js';

export interface DemoRouteDependencies {
  clock: DemoClock;
  /** One due run as of `at`, as the minute schedule would fire it. */
  runDueAt: (at: Date) => Promise<DueRunReport>;
  /** Every webhook delivered and every queued event processed. */
  settled: () => Promise<void>;
  store: Pick<TouchpointsStore, 'listInvitations' | 'dealFollowUps' | 'listTouchpoints'>;
  portalId: number;
  urls: () => HomePageView['urls'];
  tableName: string;
  dataDir: string | undefined;
}

const SandboxDeals = z.object({ deals: z.array(z.object({ id: z.string(), dealname: z.string().nullable(), stageId: z.string().nullable(), stageLabel: z.string().nullable() })) });
const SandboxContacts = z.object({ contacts: z.array(z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() })) });
const SandboxCompanies = z.object({ companies: z.array(z.object({ id: z.string(), name: z.string().nullable(), city: z.string().nullable() })) });

const AdvancedQuery = z.object({
  advanced: z.string().refine((text) => parseDuration(text) !== undefined),
  surveys: z.coerce.number().int().nonnegative(),
  reminders: z.coerce.number().int().nonnegative(),
  missed: z.coerce.number().int().nonnegative(),
  settled: z.coerce.number().int().nonnegative(),
});

const page = (body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body });
const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The demo's own records (not the generated customers), as the sandbox has them now. */
async function demoRecords(sandboxUrl: string, portalId: number): Promise<Pick<HomePageView, 'deals' | 'contacts' | 'companies'>> {
  const read = async <T>(kind: string, schema: z.ZodType<T>) => schema.parse(await (await fetch(`${sandboxUrl}/_sandbox/portals/${portalId}/${kind}`)).json());
  const [{ deals }, { contacts }, { companies }] = await Promise.all([read('deals', SandboxDeals), read('contacts', SandboxContacts), read('companies', SandboxCompanies)]);
  const seeded = (kind: 'deals' | 'contacts' | 'companies') => new Set(carDealerPortal[kind]?.map(({ id }) => id));
  const ofSeed = <R extends { id: string }>(kind: 'deals' | 'contacts' | 'companies', list: R[], toRecord: (record: R) => DemoRecord) => list.filter(({ id }) => seeded(kind).has(id)).map(toRecord);
  return {
    deals: ofSeed('deals', deals, (deal) => ({ id: deal.id, name: deal.dealname ?? `Deal ${deal.id}`, detail: `${deal.stageLabel ?? '?'} (${deal.stageId ?? '?'})` })),
    contacts: ofSeed('contacts', contacts, (contact) => ({ id: contact.id, name: contact.name ?? `Contact ${contact.id}`, detail: contact.email ?? 'no email' })),
    companies: ofSeed('companies', companies, (company) => ({ id: company.id, name: company.name ?? `Company ${company.id}`, detail: company.city ?? '' })),
  };
}

export function demoRoutes(dependencies: DemoRouteDependencies): Route[] {
  const { clock, portalId, store } = dependencies;
  return [
    {
      method: 'GET',
      path: '/',
      functionName: 'home',
      handler: async (event) => {
        const urls = dependencies.urls();
        const advanced = AdvancedQuery.safeParse(event.queryStringParameters ?? {});
        return page(
          renderHomePage({
            urls,
            tableName: dependencies.tableName,
            dataDir: dependencies.dataDir,
            portalId,
            clock: { now: clock.now(), offsetMs: clock.offsetMs },
            ...(advanced.success
              ? { advanced: { by: advanced.data.advanced, surveysSent: advanced.data.surveys, remindersSent: advanced.data.reminders, missedFollowUps: advanced.data.missed, answersSettled: advanced.data.settled } }
              : {}),
            ...(await demoRecords(urls.sandboxUrl, portalId)),
          }),
        );
      },
    },
    {
      // The home page's button sends the form and is shown the page again; the CLI asks for JSON.
      method: 'POST',
      path: '/local/clock',
      functionName: 'clock',
      handler: async (event) => {
        const by = new URLSearchParams(rawBody(event)).get('advance') ?? '';
        const ms = parseDuration(by);
        if (ms === undefined) return json(400, { message: `Advance the clock by a duration such as 30m, 3h, 2d or 1h30m (at most a year), not ${JSON.stringify(by)}.` });
        const now = await clock.advance(ms);
        const report = await dependencies.runDueAt(now);
        if ((event.headers.accept ?? '').includes('application/json')) return json(200, { now: now.toISOString(), offsetMs: clock.offsetMs, report });
        const query = new URLSearchParams({ advanced: by, surveys: String(report.surveysSent), reminders: String(report.remindersSent), missed: String(report.missedFollowUps), settled: String(report.answersSettled) });
        return { statusCode: 303, headers: { location: `/?${query}#clock` } };
      },
    },
    {
      method: 'GET',
      path: '/local/deals/{dealId}/next-steps',
      functionName: 'demo',
      handler: async (event) => {
        const dealId = event.pathParameters?.dealId ?? '';
        const since = new Date(event.queryStringParameters?.since ?? clock.now().toISOString());
        if (!/^\d{1,30}$/.test(dealId) || Number.isNaN(since.getTime())) return json(400, { message: 'GET /local/deals/{dealId}/next-steps?since=<ISO time>' });
        await dependencies.settled(); // the move's webhook and its event, processed
        const [invitations, followUps, touchpoints, { contacts }] = await Promise.all([
          store.listInvitations(portalId, dealId),
          store.dealFollowUps(portalId, dealId),
          store.listTouchpoints(portalId),
          fetch(`${dependencies.urls().sandboxUrl}/_sandbox/portals/${portalId}/contacts`).then(async (response) => SandboxContacts.parse(await response.json())),
        ]);
        return json(
          200,
          dealNextSteps({
            invitations,
            followUps,
            touchpointNames: new Map(touchpoints.map(({ value }) => [value.id, value.name])),
            contactNames: new Map(contacts.map(({ id, name }) => [id, name ?? `contact ${id}`])),
            now: clock.now(),
            since,
          }),
        );
      },
    },
  ];
}
