import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardData } from '@touchpoints/contracts';
import { clickRules } from '../../lambdas/domain/survey-clicks.js';
import type { DueRunReport } from '../../lambdas/journeys/due-work.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { NextSteps } from '../../local/demo/next-steps.js';
import { advanceDemoClock, asPerson, hubspotFetchAs, startTestStack } from '../support/local-stack.js';
import { mailsTo } from '../support/local-ses.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const hour = 3_600_000;

const advance = (by: string) => advanceDemoClock(stack, by);

async function moveDeal(dealId: string, stageId: string): Promise<void> {
  stack.sandbox.moveDeal(demoPortalId, dealId, stageId);
  await stack.settled();
}

describe('the local stack’s demo clock', () => {
  it('sends the survey of a just-moved deal at once when advanced by the survey’s delay', async () => {
    await moveDeal('301', 'salesmeeting');
    expect(await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk')).toHaveLength(0);

    const response = await advance('2h');
    const answer = (await response.json()) as { now: string; offsetMs: number; report: DueRunReport };

    expect([response.status, answer.report.surveysSent]).toEqual([200, 1]);
    expect(Date.parse(answer.now) - Date.now()).toBeGreaterThan(2 * hour - 60_000);
    const mails = await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk');
    expect(mails.map(({ subject }) => subject)).toEqual(['Et hurtigt spørgsmål fra Bilhuset Nord']);
  });

  it('settles a person’s click on the advanced clock, so the answer reaches the card as it would in real time', async () => {
    await moveDeal('306', 'salesmeeting');
    await advance('2h');
    const [mail] = await mailsTo(stack.info.sesUrl, 'kari.nordmann@example.no');
    const scoreLink = mail?.body.text?.match(/https?:\/\/\S+\/s\/\S+\?score=9/)?.[0];
    expect(scoreLink).toBeDefined();
    // Kari reads the mail a minute after it came: a click within seconds of the send is a mail scanner's.
    await stack.clock.advance(60_000);
    expect((await asPerson(scoreLink!)).status).toBe(200);

    // The minute's run two minutes (the settle window) after the click, by the same clock the click was kept on.
    const report = await stack.runDueAt(new Date(stack.clock.nowMs() + clickRules.settleMs));
    await stack.settled();

    expect(report.answersSettled).toBe(1);
    const card = (await (await hubspotFetchAs(stack, demoPortalId, 'GET', '/card?objectType=deal&objectId=306')).json()) as CardData;
    expect(card.touchpoints.find(({ touchpointId }) => touchpointId === 'sales-meeting')).toMatchObject({ light: 'green', lastScore: 9 });
  });

  it('tells what a move set off: the survey’s send time and the promise’s deadline, on the stack’s clock', async () => {
    const movedAt = stack.clock.now();
    await moveDeal('302', 'offersent');
    const response = await fetch(`${stack.info.appUrl}/local/deals/302/next-steps?since=${movedAt.toISOString()}`);
    const steps = NextSteps.parse(await response.json());
    expect(steps.surveys.map(({ contactName, touchpointName }) => `${contactName}: ${touchpointName}`).sort()).toEqual(['Emma Wilson: The offer', 'Peter Smith: The offer']);
    const delays = steps.surveys.map(({ sendAt }) => Date.parse(sendAt) - movedAt.getTime());
    expect(delays.every((delay) => delay >= 24 * hour && delay < 24 * hour + 60_000)).toBe(true);
  });

  it('moves on from the home page’s button and shows there what the due run did', async () => {
    const before = stack.clock.offsetMs;
    const response = await fetch(`${stack.info.appUrl}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'advance=30m', redirect: 'manual' });
    expect([response.status, stack.clock.offsetMs - before]).toEqual([303, 30 * 60_000]);
    const home = await (await fetch(new URL(response.headers.get('location')!, stack.info.appUrl))).text();
    expect(home).toContain('Advanced by 30m: 0 surveys and 0 reminders sent, 0 promises missed, 0 answers settled.');
  });

  it('refuses a duration it cannot read and stays where it is', async () => {
    const before = stack.clock.offsetMs;
    const response = await advance('soon');
    expect([response.status, stack.clock.offsetMs]).toEqual([400, before]);
  });
});
