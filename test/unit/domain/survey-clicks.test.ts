import { describe, expect, it } from 'vitest';
import type { Score } from '@touchpoints/contracts';
import { clickRules, clicksSettleAt, isAutomatedAgent, judgeClicks, type SurveyClick } from '../../../lambdas/domain/survey-clicks.js';

const sentAt = new Date('2026-12-01T09:00:00.000Z');
const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0';
const after = (ms: number) => new Date(sentAt.getTime() + ms);
const minutes = 60_000;
const link = (atMs: number, score: number, userAgent = browser): SurveyClick => ({ at: after(atMs), via: 'link', score: score as Score, userAgent });
const form = (atMs: number, score: number, comment?: string): SurveyClick => ({ at: after(atMs), via: 'form', score: score as Score, ...(comment === undefined ? {} : { comment }) });
const trap = (atMs: number): SurveyClick => ({ at: after(atMs), via: 'trap', userAgent: browser });

/** A scanner's sweep: every score link and the hidden link within a second of `startMs`, posing as a browser. */
const sweep = (startMs: number) => [...Array.from({ length: 10 }, (_, index) => link(startMs + index * 90, index + 1)), trap(startMs + 950)];

describe('judgeClicks', () => {
  it('takes a person’s one click, minutes after the mail came, as their answer', () => {
    expect(judgeClicks([link(40 * minutes, 3)], sentAt)).toEqual({ verdicts: [null], answer: { score: 3, firstAnsweredAt: after(40 * minutes), answeredAt: after(40 * minutes) } });
  });

  it('takes a scanner’s sweep of every link for no answer, naming a sign for each click', () => {
    const { verdicts, answer } = judgeClicks(sweep(3 * minutes), sentAt);
    expect(answer).toBeUndefined();
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill('near_hidden_link'));
    expect(verdicts[10]).toBe('hidden_link');
  });

  it('sees a sweep without the hidden link by its many scores within seconds', () => {
    const clicks = sweep(3 * minutes).slice(0, 10);
    expect(judgeClicks(clicks, sentAt)).toEqual({ verdicts: Array(10).fill('score_burst') });
  });

  it('answers a person who clicks after the scanner, and keeps the scanner out', () => {
    const clicks = [...sweep(2_000), link(2 * 60 * minutes, 3)];
    const { verdicts, answer } = judgeClicks(clicks, sentAt);
    expect(verdicts.at(-1)).toBeNull();
    expect(answer).toEqual({ score: 3, firstAnsweredAt: after(2 * 60 * minutes), answeredAt: after(2 * 60 * minutes) });
  });

  it('takes two different scores within two seconds for a scanner, a few seconds apart for a person changing their mind', () => {
    expect(judgeClicks([link(40 * minutes, 4), link(40 * minutes + 1_500, 9)], sentAt).verdicts).toEqual(['score_burst', 'score_burst']);
    expect(judgeClicks([link(40 * minutes, 4), link(40 * minutes + 6_000, 9)], sentAt)).toEqual({
      verdicts: [null, null],
      answer: { score: 9, firstAnsweredAt: after(40 * minutes), answeredAt: after(40 * minutes + 6_000) },
    });
    // A third score within the half minute is a sweep, however slow.
    expect(judgeClicks([link(40 * minutes, 4), link(40 * minutes + 6_000, 9), link(40 * minutes + 12_000, 2)], sentAt).verdicts).toEqual(Array(3).fill('score_burst'));
  });

  it('takes clicks with the page’s form sent between them for a person’s, however quick', () => {
    const clicks = [link(40 * minutes, 4), form(40 * minutes + 400, 4, 'Slow offer'), link(40 * minutes + 900, 9)];
    expect(judgeClicks(clicks, sentAt)).toEqual({
      verdicts: [null, null, null],
      answer: { score: 9, comment: 'Slow offer', firstAnsweredAt: after(40 * minutes), answeredAt: after(40 * minutes + 900) },
    });
  });

  it('takes a click within seconds of sending for the delivery scan, and one a little later for a person', () => {
    expect(judgeClicks([link(clickRules.atDeliveryMs - 1, 8)], sentAt).verdicts).toEqual(['at_delivery']);
    expect(judgeClicks([link(clickRules.atDeliveryMs, 8)], sentAt).verdicts).toEqual([null]);
    // Before the send was claimed (a clock apart): no sign of a scan on delivery.
    expect(judgeClicks([link(-5_000, 8)], sentAt).verdicts).toEqual([null]);
  });

  it.each([
    ['no user agent', undefined],
    ['an empty one', '  '],
    ['Barracuda’s link protection', 'Mozilla/5.0 (compatible; Barracuda Sentinel)'],
    ['a headless browser', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'],
    ['an HTTP library', 'python-requests/2.32.3'],
    ['a chat’s link preview', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
    ['Office’s link check', 'Microsoft Office Existence Discovery'],
  ])('takes a score link fetched with %s for a machine, alone as it may be', (_, userAgent) => {
    const click: SurveyClick = { at: after(50 * minutes), via: 'link', score: 9 as Score, ...(userAgent === undefined ? {} : { userAgent }) };
    expect(judgeClicks([click], sentAt)).toEqual({ verdicts: ['scanner_agent'] });
  });

  it('takes everyday browsers for people', () => {
    expect(isAutomatedAgent(browser)).toBe(false);
    expect(isAutomatedAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1')).toBe(false);
    expect(isAutomatedAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(false);
    // A phone brand that ends in "bot" is no crawler.
    expect(isAutomatedAgent('Mozilla/5.0 (Linux; Android 13; CUBOT X30 Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toBe(false);
    expect(isAutomatedAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toBe(true);
  });

  it('takes the page’s form for a person even within a sweep, and its comment into the answer', () => {
    const clicks = [...sweep(2_000), link(2_500, 3), form(20_000, 3, 'Nobody called about the delivery')];
    const { verdicts, answer } = judgeClicks(clicks, sentAt);
    expect(verdicts.slice(-2)).toEqual(['near_hidden_link', null]);
    expect(answer).toEqual({ score: 3, comment: 'Nobody called about the delivery', firstAnsweredAt: after(20_000), answeredAt: after(20_000) });
  });

  it('follows a person changing their mind on the page within seconds: the page’s form is no sweep', () => {
    const clicks = [link(30 * minutes, 4), form(30 * minutes + 5_000, 3), form(30 * minutes + 9_000, 2, 'Actually worse')];
    expect(judgeClicks(clicks, sentAt)).toEqual({
      verdicts: [null, null, null],
      answer: { score: 2, comment: 'Actually worse', firstAnsweredAt: after(30 * minutes), answeredAt: after(30 * minutes + 9_000) },
    });
  });

  it('keeps the last comment sent, an emptied one as empty, and none when no click sent one', () => {
    expect(judgeClicks([form(minutes, 5, 'Slow'), link(90 * minutes, 6)], sentAt).answer).toMatchObject({ score: 6, comment: 'Slow' });
    expect(judgeClicks([form(minutes, 5, 'Slow'), form(2 * minutes, 5, '')], sentAt).answer).toMatchObject({ comment: '' });
    expect(judgeClicks([link(minutes, 5), form(2 * minutes, 4)], sentAt).answer).not.toHaveProperty('comment');
  });

  it('judges nothing from no clicks', () => {
    expect(judgeClicks([], sentAt)).toEqual({ verdicts: [] });
  });
});

describe('clicksSettleAt', () => {
  it('is the settle window after the last click, whatever their order', () => {
    expect(clicksSettleAt([link(5 * minutes, 3), link(minutes, 4)])).toEqual(after(5 * minutes + clickRules.settleMs));
    expect(clicksSettleAt([])).toBeUndefined();
  });
});
