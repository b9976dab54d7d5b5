import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalReport } from '@touchpoints/contracts';
import { periodOf } from '../../lambdas/domain/period-summary.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;

function reportRequest(query = '') {
  const signed = stack.sandbox.signFetchRequest({ url: `${stack.info.appUrl}/report${query}`, portalId: demoPortalId });
  return fetch(signed.url, { headers: signed.headers });
}

const fillers = ['Bilen er flot.', 'Vi kom om lørdagen.', 'Min kone var med.', 'Kaffen smagte.', ''];
const redSaid = ['Lang ventetid på bilen.', 'Meget lang ventetid.', 'Lang ventetid igen, desværre.'];
const greenSaid = ['God service.', 'Virkelig god service.', 'God service hele vejen.'];

/** Danish customers' answers about the delivery, with comments, in a month two months back: 14 red, 14 green. */
async function answerDeliveryWithComments(month: Date): Promise<void> {
  const answers = [
    ...Array.from({ length: 14 }, (_, index) => ({ score: 2 + (index % 3), comment: `${redSaid[index % 3]} ${fillers[index % 5]}`.trim() })),
    ...Array.from({ length: 14 }, (_, index) => ({ score: 8 + (index % 3), comment: `${greenSaid[index % 3]} ${fillers[(index + 2) % 5]}`.trim() })),
  ];
  for (const [index, { score, comment }] of answers.entries()) {
    const [dealId, contactId] = [String(9100 + index), String(9300 + index)];
    const at = new Date(month.getTime() + index * 3_600_000);
    await stack.store.createInvitation(demoPortalId, { dealId, touchpointId: 'delivery', contactId, status: 'sent', language: 'da', createdAt: at, sendAt: at, ownerId: '61001' });
    await stack.store.saveResponse(demoPortalId, { dealId, touchpointId: 'delivery', contactId, score, comment, firstAnsweredAt: at, answeredAt: at });
  }
}

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('the comment themes of a closed month', () => {
  it('are counted into the month’s stored summary and shown in the report, then read from the summary alone', async () => {
    const start = new Date(Date.UTC(stack.clock.now().getUTCFullYear(), stack.clock.now().getUTCMonth() - 2, 3));
    const month = periodOf(start);
    await answerDeliveryWithComments(start);

    const first = (await (await reportRequest()).json()) as PortalReport;
    expect(first.readFromAnswers).toContain(month);
    const delivery = first.touchpoints.find(({ touchpointId }) => touchpointId === 'delivery')!;
    expect(delivery.comments).toEqual({ red: 14, yellow: 0, green: 14 });
    expect(delivery.themes.map(({ light, label, language, comments }) => `${light}:${label}:${language}:${comments}`)).toEqual(['red:lang ventetid:da:14', 'green:god service:da:14']);
    expect(delivery.themes[0]!.quotes).toHaveLength(3);
    for (const quote of delivery.themes[0]!.quotes) expect(quote.toLowerCase()).toContain('lang ventetid');

    const [stored] = await stack.store.periodSummaries(demoPortalId, month, month);
    const terms = stored!.touchpoints.find(({ touchpointId }) => touchpointId === 'delivery')!.commentTerms;
    expect(Object.keys(terms)).toEqual(['da']);
    expect(terms.da!['2']!.terms['lang ventetid']).toEqual([5, 'lang ventetid', 5]);

    const again = (await (await reportRequest()).json()) as PortalReport;
    expect(again.readFromAnswers).not.toContain(month);
    expect(again.touchpoints.find(({ touchpointId }) => touchpointId === 'delivery')!.themes).toEqual(delivery.themes);
  });

  it('are in the CSV, light by light with their counts', async () => {
    const csv = await (await reportRequest('?format=csv')).text();
    expect(csv.split('\n').find((row) => row.startsWith('Delivery of the car,'))).toMatch(/,red: lang ventetid \(14\) \| green: god service \(14\)$/);
  });

  it('leave the summary when a customer is forgotten: the month is computed again without their words', async () => {
    await stack.store.forgetContact(demoPortalId, '9300');
    const month = periodOf(new Date(Date.UTC(stack.clock.now().getUTCFullYear(), stack.clock.now().getUTCMonth() - 2, 3)));
    expect(await stack.store.periodSummaries(demoPortalId, month, month)).toEqual([]);
    const report = (await (await reportRequest()).json()) as PortalReport;
    expect(report.readFromAnswers).toContain(month);
    expect(report.touchpoints.find(({ touchpointId }) => touchpointId === 'delivery')!.comments.red).toBe(13);
  });
});
