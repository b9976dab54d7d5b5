import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsView } from '@touchpoints/contracts';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { mailsTo } from '../support/local-ses.js';
import { startTestStack, tableSnapshot } from '../support/local-stack.js';

const portal = demoPortalId;
let stack: Awaited<ReturnType<typeof startTestStack>>;
let hubspot: Client;
let tradeInStage: string;

/** A request from the settings page, signed by HubSpot for the demo portal's first owner (Mette). */
function settingsRequest(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const signed = stack.sandbox.signFetchRequest({ method, url: `${stack.info.appUrl}${path}`, portalId: portal, ...(body === undefined ? {} : { body }) });
  return fetch(signed.url, { method, headers: signed.headers, ...(signed.body ? { body: signed.body } : {}) });
}

async function view(): Promise<SettingsView> {
  const response = await settingsRequest('GET', '/settings');
  expect(response.status).toBe(200);
  return (await response.json()) as SettingsView;
}

const tradeIn = () => ({
  id: 'trade-in',
  name: 'Trade-in valuation',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: tradeInStage },
  question: { da: 'Hvordan oplevede du vurderingen af din gamle bil?', en: 'How did you find the valuation of your old car?' },
  sendDelay: { amount: 1, unit: 'hours' },
  followUp: null,
  enabled: true,
  position: 3,
});

beforeAll(async () => {
  stack = await startTestStack();
  hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
  // An admin adds a stage to the pipeline in HubSpot.
  tradeInStage = (await hubspot.crm.pipelines.pipelineStagesApi.create('deals', 'car-sales', { label: 'Trade-in valued', displayOrder: 2, metadata: { probability: '0.4' } })).id;
});
afterAll(() => stack.close());

describe('the settings page’s back end', () => {
  it('shows the touchpoints with the live pipelines, the templates and no problems', async () => {
    const settings = await view();
    expect(settings.touchpoints.map(({ touchpoint }) => touchpoint.id).sort()).toEqual(['contract', 'delivery', 'lost-deal', 'offer', 'sales-meeting', 'test-drive']);
    expect(settings.touchpoints.every(({ problems }) => problems.length === 0)).toBe(true);
    expect(settings.pipelines[0]!.stages.map(({ label }) => label)).toContain('Trade-in valued');
    expect(settings.templates.map(({ name }) => name)).toEqual(['Car dealer', 'B2B software', 'Blank']);
  });

  it('creates a touchpoint on a stage, and a deal entering that stage invites its contacts', async () => {
    const created = await settingsRequest('PUT', '/settings/touchpoints/trade-in', { touchpoint: tradeIn(), expectedVersion: null });
    expect([created.status, await created.json()]).toEqual([200, { version: 1 }]);
    stack.sandbox.moveDeal(portal, '301', tradeInStage);
    await stack.settled();
    const invitations = await stack.store.listInvitations(portal, '301');
    expect(invitations.map(({ touchpointId, contactId, status }) => `${touchpointId}:${contactId}:${status}`)).toEqual(['trade-in:101:scheduled']);
  });

  it('stops new invitations once the touchpoint is disabled', async () => {
    const disabled = await settingsRequest('PUT', '/settings/touchpoints/trade-in', { touchpoint: { ...tradeIn(), enabled: false }, expectedVersion: 1 });
    expect(await disabled.json()).toEqual({ version: 2 });
    stack.sandbox.moveDeal(portal, '306', tradeInStage);
    await stack.settled();
    expect(await stack.store.listInvitations(portal, '306')).toEqual([]);
  });

  it('refuses an edit based on a stale version with 409 and keeps the newer one', async () => {
    const stale = await settingsRequest('PUT', '/settings/touchpoints/trade-in', { touchpoint: { ...tradeIn(), name: 'Old edit' }, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect((await stack.store.getTouchpoint(portal, 'trade-in'))?.value).toMatchObject({ name: 'Trade-in valuation', enabled: false });
  });

  it('records who changed what and when', async () => {
    const { recentChanges } = await view();
    expect(recentChanges.slice(0, 2).map(({ changedBy, change }) => `${changedBy}: ${change}`)).toEqual([
      'mette.kjaer@bilhuset.example: Saved touchpoint "Trade-in valuation" (disabled) (version 2)',
      'mette.kjaer@bilhuset.example: Created touchpoint "Trade-in valuation" (version 1)',
    ]);
  });

  it('flags a touchpoint whose stage was deleted in HubSpot', async () => {
    stack.sandbox.moveDeal(portal, '301', 'offersent');
    stack.sandbox.moveDeal(portal, '306', 'offersent');
    await stack.settled();
    await hubspot.crm.pipelines.pipelineStagesApi.archive('deals', 'car-sales', tradeInStage);
    const flagged = (await view()).touchpoints.find(({ touchpoint }) => touchpoint.id === 'trade-in');
    expect(flagged?.problems).toEqual([`trigger.stageId: no stage ${tradeInStage} in pipeline Car sales`]);
  });

  it('adds a template’s touchpoints on the stages the admin maps its steps to', async () => {
    const stageOfStep = { demo: 'testdrive', proposal: 'offersent', won: 'contractsigned', live: 'cardelivered', renewal: 'salesmeeting' };
    const applied = await settingsRequest('POST', '/settings/templates/b2b-software', { pipelineId: 'car-sales', stageOfStep });
    expect(await applied.json()).toEqual({ created: ['demo', 'proposal', 'onboarding', 'consultants-and-software', 'renewal'], skipped: [] });
  });

  it('mails the admin a test survey', async () => {
    const sent = await settingsRequest('POST', '/settings/test-survey', { touchpointId: 'offer' });
    expect(await sent.json()).toEqual({ sentTo: 'mette.kjaer@bilhuset.example' });
    const [mail] = await mailsTo(stack.info.sesUrl, 'mette.kjaer@bilhuset.example');
    expect(mail?.body.text).toContain('Hvor klart og hurtigt fik du vores tilbud?');
  });

  it('deletes a touchpoint only with its current version', async () => {
    expect((await settingsRequest('DELETE', '/settings/touchpoints/renewal?expectedVersion=2')).status).toBe(409);
    expect((await settingsRequest('DELETE', '/settings/touchpoints/renewal?expectedVersion=1')).status).toBe(204);
    expect(await stack.store.getTouchpoint(portal, 'renewal')).toBeUndefined();
  });
});

describe('invalid settings', () => {
  const offer = async () => (await stack.store.getTouchpoint(portal, 'offer'))!;
  const offerWith = async (change: Record<string, unknown>) => ({ touchpoint: { ...(await offer()).value, ...change }, expectedVersion: (await offer()).version });

  it.each([
    ['an unknown stage', async () => settingsRequest('PUT', '/settings/touchpoints/offer', await offerWith({ trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'nope' } })), 'trigger.stageId: no stage nope in pipeline Car sales'],
    ['thresholds out of order', async () => settingsRequest('PUT', '/settings/portal', { settings: { sender: { name: 'B', email: 'b@bilhuset.example' }, lightThresholds: { redMax: 7, yellowMax: 6 } }, expectedVersion: 1 }), 'lightThresholds.yellowMax: must be greater than redMax so yellow keeps a score'],
    ['an empty question for the default language', async () => settingsRequest('PUT', '/settings/touchpoints/offer', await offerWith({ question: { en: 'How was our offer?' } })), "question.da: is required, as it is the portal's default language"],
    ['a send delay over 90 days', async () => settingsRequest('PUT', '/settings/touchpoints/offer', await offerWith({ sendDelay: { amount: 91, unit: 'days' } })), 'sendDelay.amount: must not be longer than 90 days'],
    ['an unknown field in a touchpoint', async () => settingsRequest('PUT', '/settings/touchpoints/offer', await offerWith({ colour: 'red' })), 'Unrecognized key: "colour"'],
    ['an unknown field in the request', async () => settingsRequest('PUT', '/settings/touchpoints/offer', { ...(await offerWith({})), force: true }), 'Unrecognized key: "force"'],
    ['a body that is not JSON', async () => {
      const signed = stack.sandbox.signFetchRequest({ method: 'PUT', url: `${stack.info.appUrl}/settings/portal`, portalId: portal });
      return fetch(signed.url, { method: 'PUT', headers: signed.headers, body: '' });
    }, 'body'],
    ['a template step left unmapped', async () => settingsRequest('POST', '/settings/templates/car-dealer', { pipelineId: 'car-sales', stageOfStep: { testdrive: 'testdrive' } }), 'stageOfStep.salesmeeting: choose the stage for this step'],
    ['an unknown template', async () => settingsRequest('POST', '/settings/templates/florist', { pipelineId: 'car-sales', stageOfStep: {} }), 'templateId: no template florist'],
  ])('refuses %s with 400 naming the field, and the stored config is unchanged', async (_, send, problem) => {
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    const response = await send();
    expect(response.status).toBe(400);
    const { problems = [] } = (await response.json()) as { problems?: string[] };
    expect(problems.join('\n')).toContain(problem);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('refuses an unsigned request with 401', async () => {
    expect((await fetch(`${stack.info.appUrl}/settings?portalId=${portal}`)).status).toBe(401);
  });
});

describe('the owners for the report’s filter', () => {
  it('lists the portal’s owners by name', async () => {
    expect((await view()).owners).toEqual([
      { id: '61001', name: 'Mette Kjær' },
      { id: '61002', name: 'Jesper Holm' },
      { id: '61003', name: 'Sofie Lund' },
    ]);
  });
});

describe('a touchpoint made by hand on a lost stage', () => {
  it('marks a touchpoint an admin puts on a stage HubSpot marks closed lost as asking lost customers', async () => {
    const lostStage = { ...tradeIn(), id: 'why-not-us', name: 'Why not us', trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'closedlost' } };
    const created = await settingsRequest('PUT', '/settings/touchpoints/why-not-us', { touchpoint: lostStage, expectedVersion: null });
    expect(created.status).toBe(200);
    const saved = (await view()).touchpoints.find(({ touchpoint }) => touchpoint.id === 'why-not-us')?.touchpoint;
    expect(saved?.afterLostDeal).toBe(true);
    expect((await settingsRequest('DELETE', '/settings/touchpoints/why-not-us?expectedVersion=1')).status).toBe(204);
  });
});
