import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { metricNames, metrics } from '../../lambdas/metrics.js';
import { mailsTo } from '../support/local-ses.js';
import { asPerson, postAsPerson, settleClicks, startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
/** Every metric each invocation published, summed by name (read from the embedded-metric-format document Powertools writes). */
const published = new Map<string, number>();

beforeAll(async () => {
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    const document = metrics.serializeMetrics() as unknown as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] } };
    for (const { Namespace, Metrics } of document._aws.CloudWatchMetrics) {
      expect(Namespace).toBe('Touchpoints');
      for (const { Name, Unit } of Metrics) {
        expect(Unit).toBe('Count');
        const value = document[Name];
        published.set(Name, (published.get(Name) ?? 0) + (Array.isArray(value) ? value.reduce((sum: number, one: number) => sum + one, 0) : Number(value)));
      }
    }
    metrics.clearMetrics();
    return metrics;
  });
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
  vi.restoreAllMocks();
});

describe('the metrics an operator watches', () => {
  it('counts accepted webhook events, sent surveys, answers by light and the owner tasks they make', async () => {
    stack.sandbox.moveDeal(demoPortalId, '302', 'offersent');
    await stack.settled();
    expect(published.get('WebhookEventsAccepted')).toBeGreaterThanOrEqual(1);

    await stack.runDueAt(new Date(Date.now() + 25 * 3_600_000));
    expect(published.get('SurveysSent')).toBe(2);

    const [mail] = await mailsTo(stack.info.sesUrl, 'emma.wilson@example.com');
    const token = mail!.body.text!.match(/\/s\/([^\s?]+)/)![1]!;
    expect((await asPerson(`${stack.info.appUrl}/s/${token}?score=3`)).status).toBe(200);
    expect(published.get('SurveyClicks')).toBe(1);
    await settleClicks(stack);
    expect(published.get('AnswersSettled')).toBe(1);
    expect(published.get('AnswersRed')).toBe(1);
    expect(published.get('OwnerTasksMade')).toBe(1);

    // A comment on the same answer is not another answer.
    expect((await postAsPerson(`${stack.info.appUrl}/s/${token}`, { comment: 'The offer came late' })).status).toBe(200);
    await settleClicks(stack);
    expect(published.get('AnswersRed')).toBe(1);
    expect(published.get('OwnerTasksMade')).toBe(1);

    // A scanner's sweep of another mail's links is counted, and answers nothing.
    const [another] = await mailsTo(stack.info.sesUrl, 'peter.smith@example.com');
    const scanned = another!.body.text!.match(/\/s\/([^\s?]+)/)![1]!;
    for (const score of [1, 5, 10]) await fetch(`${stack.info.appUrl}/s/${scanned}?score=${score}`);
    await settleClicks(stack);
    expect(published.get('ClicksJudgedAutomated')).toBe(3);
    expect(published.get('AnswersSettled')).toBe(2);
    expect(published.get('AnswersRed')).toBe(1);
  });

  it('counts a webhook request that is refused', async () => {
    const before = published.get('WebhookRequestsRefused') ?? 0;
    expect((await fetch(stack.info.webhookUrl, { method: 'POST', body: '[]' })).status).toBe(401);
    expect(published.get('WebhookRequestsRefused')).toBe(before + 1);
  });

  it('publishes only names the dashboard knows', () => {
    expect([...published.keys()].filter((name) => !(metricNames as readonly string[]).includes(name))).toEqual([]);
  });
});
