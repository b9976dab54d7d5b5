import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardData, SettingsView } from '@touchpoints/contracts';
import type { PortalReport } from '@touchpoints/contracts';
import { carDealerPortal, demoPortalId } from '../../local/demo/car-dealer.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/server.js';
import { mailsTo } from '../support/local-ses.js';
import { asPerson, hubspotFetchAs, installThroughOAuth, settleClicks, startTestStack, tableSnapshot } from '../support/local-stack.js';

// Portal A is the demo, with its seeded answers on deal 303; portal B is a second dealer with the same CRM ids.
const portalA = demoPortalId;
const portalB = 13572468;
const secondPortal: PortalSeed = { ...carDealerPortal, portalId: portalB, hubDomain: 'fjordbilen.sandbox.hubspot.invalid', staticAccessToken: 'local-second-portal-token' };
const questionOfA = 'Hvor klart og hurtigt fik du vores tilbud?';
const questionOfB = 'Fjordbilen spør: hvordan var tilbudet vårt?';
let stack: Awaited<ReturnType<typeof startTestStack>>;
let tokenOfA = '';

/** A `hubspot.fetch` request HubSpot signed for a user of portal B. */
const asPortalB = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown) => hubspotFetchAs(stack, portalB, method, path, body);

/** Every item in the table that names portal A. */
async function itemsOfA(): Promise<string[]> {
  return (await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).filter((item) => item.includes(String(portalA)));
}

/** Runs what portal B does and shows that not one of portal A's items changed. */
async function leavesPortalAAlone<T>(act: () => Promise<T>): Promise<T> {
  await stack.settled();
  const before = await itemsOfA();
  expect(before.length).toBeGreaterThan(10);
  const result = await act();
  await stack.settled();
  expect(await itemsOfA()).toEqual(before);
  return result;
}

const touchpointOfB = () => ({
  id: 'offer',
  name: 'Fjordbilen’s offer',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' },
  question: { da: questionOfB, en: 'Fjordbilen asks: how was our offer?' },
  sendDelay: { amount: 1, unit: 'days' },
  followUp: null,
  enabled: true,
  position: 2,
});

beforeAll(async () => {
  stack = await startTestStack([secondPortal]);
  expect((await installThroughOAuth(stack, portalA)).status).toBe(200);
  expect((await installThroughOAuth(stack, portalB)).status).toBe(200);
  // Portal A surveys Emma about the offer: the link is hers, for portal A.
  stack.sandbox.moveDeal(portalA, '302', 'offersent');
  await stack.settled();
  await stack.runDueAt(new Date(Date.now() + 25 * 3_600_000));
  const [mail] = await mailsTo(stack.info.sesUrl, 'emma.wilson@example.com');
  tokenOfA = mail!.body.text!.match(/\/s\/([^\s?]+)/)![1]!;
});
afterAll(() => stack.close());

describe('a request HubSpot signed for portal B', () => {
  it.each([
    ['deal', '303'],
    ['contact', '103'],
    ['company', '204'],
  ])('shows B’s card for %s %s none of A’s seeded answers', async (objectType, objectId) => {
    const response = await leavesPortalAAlone(() => asPortalB('GET', `/card?objectType=${objectType}&objectId=${objectId}`));
    expect(response.status).toBe(200);
    const card = (await response.json()) as CardData;
    expect(card.touchpoints.filter(({ light, lastScore }) => light ?? lastScore)).toEqual([]);
    expect([card.responseRate, card.missedFollowUps]).toEqual([{ answered: 0, sent: 0 }, []]);
  });

  it('creates B’s own “offer” touchpoint, leaving A’s “offer” as it was', async () => {
    const created = await leavesPortalAAlone(() => asPortalB('PUT', '/settings/touchpoints/offer', { touchpoint: touchpointOfB(), expectedVersion: null }));
    expect([created.status, await created.json()]).toEqual([200, { version: 1 }]);
    expect((await stack.store.getTouchpoint(portalA, 'offer'))?.value.question).toMatchObject({ da: questionOfA });
  });

  it('saves B’s portal settings, leaving A’s', async () => {
    const settings = (await stack.store.getSettings(portalB))!;
    const saved = await leavesPortalAAlone(() =>
      asPortalB('PUT', '/settings/portal', { settings: { ...settings.value, sender: { name: 'Fjordbilen', email: 'post@fjordbilen.example' } }, expectedVersion: settings.version }),
    );
    expect(saved.status).toBe(200);
    expect((await stack.store.getSettings(portalB))?.value.sender.email).toBe('post@fjordbilen.example');
    expect((await stack.store.getSettings(portalA))?.value.sender.email).not.toBe('post@fjordbilen.example');
  });

  it('mails a test survey with B’s question, and none for a touchpoint only A has', async () => {
    const sent = await leavesPortalAAlone(() => asPortalB('POST', '/settings/test-survey', { touchpointId: 'offer' }));
    expect(sent.status).toBe(200);
    const mails = await mailsTo(stack.info.sesUrl, 'mette.kjaer@bilhuset.example');
    const questionsOfA = Object.values((await stack.store.getTouchpoint(portalA, 'offer'))!.value.question);
    expect(mails.map(({ body }) => [Object.values(touchpointOfB().question).some((question) => body.text!.includes(question)), questionsOfA.some((question) => body.text!.includes(question))])).toEqual([[true, false]]);

    const onlyA = await leavesPortalAAlone(() => asPortalB('POST', '/settings/test-survey', { touchpointId: 'delivery' }));
    expect(onlyA.status).toBe(400); // "no such touchpoint": A's is not B's
    expect(await mailsTo(stack.info.sesUrl, 'mette.kjaer@bilhuset.example')).toHaveLength(1);
  });

  it('applies a template to B’s touchpoints only', async () => {
    const stageOfStep = { testdrive: 'testdrive', salesmeeting: 'salesmeeting', offersent: 'offersent', contractsigned: 'contractsigned', cardelivered: 'cardelivered' };
    const applied = await leavesPortalAAlone(() => asPortalB('POST', '/settings/templates/car-dealer', { pipelineId: 'car-sales', stageOfStep }));
    expect(applied.status).toBe(200);
  });

  it('lists B’s touchpoints in B’s settings view, none of A’s', async () => {
    const response = await leavesPortalAAlone(() => asPortalB('GET', '/settings'));
    const view = (await response.json()) as SettingsView;
    const offer = view.touchpoints.find(({ touchpoint }) => touchpoint.id === 'offer');
    expect(offer?.touchpoint.question).toMatchObject({ da: questionOfB });
    expect(view.touchpoints).toHaveLength((await stack.store.listTouchpoints(portalB)).length);
    expect(JSON.stringify(view)).not.toContain(questionOfA);
  });

  it('deletes B’s “offer”, and A’s “offer” remains', async () => {
    const deleted = await leavesPortalAAlone(() => asPortalB('DELETE', '/settings/touchpoints/offer?expectedVersion=1'));
    expect(deleted.status).toBe(204);
    expect(await stack.store.getTouchpoint(portalB, 'offer')).toBeUndefined();
    expect((await stack.store.getTouchpoint(portalA, 'offer'))?.value.question).toMatchObject({ da: questionOfA });
  });

  it('counts none of A’s answers in B’s report', async () => {
    const response = await leavesPortalAAlone(() => asPortalB('GET', '/report'));
    expect(response.status).toBe(200);
    const report = (await response.json()) as PortalReport;
    expect(report.customers).toBe(0);
    expect(report.touchpoints.map(({ stats }) => stats.answers).filter((answers) => answers > 0)).toEqual([]);
  });

  it('uninstalls B, and every item of A remains', async () => {
    const uninstalled = await leavesPortalAAlone(() => asPortalB('DELETE', '/settings/install'));
    expect(uninstalled.status).toBe(204);
    expect(await stack.store.getInstall(portalB)).toBeUndefined();
    expect(await stack.store.getInstall(portalA)).toBeDefined();
  });
});

describe('a survey link signed for portal A', () => {
  it('cannot answer as portal B by naming portal B in the token', async () => {
    const [payload, signature] = tokenOfA.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p: number };
    expect(claims.p).toBe(portalA);
    const asB = `${Buffer.from(JSON.stringify({ ...claims, p: portalB })).toString('base64url')}.${signature}`;
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    expect((await fetch(`${stack.info.appUrl}/s/${asB}?score=9`)).status).toBe(404);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('still answers for portal A, untouched', async () => {
    expect((await asPerson(`${stack.info.appUrl}/s/${tokenOfA}?score=9`)).status).toBe(200);
    await settleClicks(stack);
    expect((await stack.store.recordResponses(portalA, { objectType: 'deal', objectId: '302' })).map(({ score }) => score)).toEqual([9]);
  });
});
