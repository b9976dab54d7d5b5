import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import type { Timer } from '../../../lambdas/domain/journey.js';
import { dueWorkLeaseMs, sendRateHeadroom, senderSafetyMarginMs } from '../../../lambdas/domain/due-work-sharing.js';
import { createDueSenderHandler } from '../../../lambdas/handlers/due-sender.js';
import { doDueWork, handOutDueWork, type DueHandOutPorts, type DueTimer, type DueWork, type DueWorkPorts } from '../../../lambdas/journeys/due-work.js';
import { PacedMailSender, SenderOutOfTime } from '../../../lambdas/journeys/paced-mail.js';
import { dueWorkMessage } from '../../../lambdas/queue/due-work-queue.js';

const now = new Date('2026-12-05T09:00:00.000Z');
const leasedUntil = new Date(now.getTime() + dueWorkLeaseMs);

const followUpTimer = (portalId: number, index: number, dueAt = now): DueTimer => ({ id: `followup-${portalId}-${index}`, kind: 'follow_up', dueAt, dealId: `${portalId}${index}`, touchpointId: 'offer', portalId });
const surveyWork = (portalId: number, index: number): DueWork & { messageId: string } => ({
  messageId: `message-${portalId}-${index}`,
  runAt: now,
  timer: { id: `survey-${index}`, kind: 'survey', dueAt: leasedUntil, dealId: String(300 + index), touchpointId: 'offer', contactId: String(100 + index), portalId },
});

/** Ports whose every call is logged and refused: a sender that takes no work makes none of them. */
function refusingPorts(calls: string[]): DueWorkPorts {
  const refuse = (name: string) => (..._args: unknown[]) => {
    calls.push(name);
    return Promise.reject(new Error(`${name} was called`));
  };
  const store = new Proxy({}, { get: (_target, name) => refuse(`store.${String(name)}`) }) as DueWorkPorts['store'];
  return {
    store,
    hubspot: { forPortal: refuse('hubspot.forPortal') },
    sendMail: refuse('sendMail'),
    sendPacedMail: refuse('sendPacedMail'),
    announceAnswer: refuse('announceAnswer'),
    surveyBaseUrl: 'https://touchpoints.example',
    surveyTokenSecret: 'secret',
    now: () => now,
  };
}

describe('a due sender’s time budget', () => {
  it('takes no new work when given 5 s of remaining time, and gives every timer back', async () => {
    const calls: string[] = [];
    const work = [surveyWork(1, 1), surveyWork(1, 2), surveyWork(2, 3)];
    const { report, notTaken } = await doDueWork(refusingPorts(calls), work, { remainingMs: () => 5_000 });
    expect(calls).toEqual([]);
    expect(notTaken).toEqual(work);
    expect(report).toMatchObject({ leftForLater: 3, surveysSent: 0, failed: 0 });
  });

  it('reports each timer it did not take as a batch item failure, so SQS hands it out again', async () => {
    const calls: string[] = [];
    const work = [surveyWork(1, 1), surveyWork(2, 2)];
    const event = { Records: work.map(({ messageId, ...due }) => ({ messageId, body: JSON.stringify(dueWorkMessage(due)) })) } as SQSEvent;
    const response = await createDueSenderHandler(refusingPorts(calls))(event, { getRemainingTimeInMillis: () => 5_000 });
    expect(calls).toEqual([]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-1-1' }, { itemIdentifier: 'message-2-2' }]);
  });

  it('drops a timer whose lease lapsed before a sender got it: a later minute run hands it out again', async () => {
    const calls: string[] = [];
    const stale = { ...surveyWork(1, 1), timer: { ...surveyWork(1, 1).timer, dueAt: new Date(now.getTime() - 1) } };
    const { report, notTaken } = await doDueWork(refusingPorts(calls), [stale], { remainingMs: () => 60_000 });
    expect([calls, notTaken, report.lapsed]).toEqual([[], [], 1]);
  });
});

/** A minute run's ports over timers in memory (follow-up deadlines: the sender check lets them through unasked). */
function handOutPorts(due: DueTimer[], { maxSendRate = 100, queued = 0 } = {}) {
  const handedOut: DueWork[][] = [];
  const timers = new Map(due.map((timer) => [timer.id, timer]));
  const ports: DueHandOutPorts = {
    store: {
      async dueTimers(shard: number, upTo: Date, limit: number, after?: Timer) {
        if (shard !== 0) return [];
        const waiting = [...timers.values()].filter(({ dueAt }) => dueAt <= upTo);
        return waiting.slice(after ? waiting.findIndex(({ id }) => id === after.id) + 1 : 0).slice(0, limit);
      },
      async moveTimer(_portalId: number, timer: Timer, dueAt: Date) {
        const stored = timers.get(timer.id);
        if (stored?.dueAt.getTime() !== timer.dueAt.getTime()) return false;
        timers.set(timer.id, { ...stored, dueAt });
        return true;
      },
    } as unknown as DueHandOutPorts['store'],
    identities: undefined as never,
    sharedSenderDomains: [],
    dueWork: { batchSize: 10, queued: async () => queued, handOut: async (work) => void handedOut.push([...work]) },
    sendQuota: async () => ({ maxSendRate }),
  };
  return { ports, handedOut, timers };
}

describe('handing out due work', () => {
  const bigPortal = Array.from({ length: 500 }, (_, index) => followUpTimer(1, index, new Date(now.getTime() - 3_600_000)));
  const smallPortal = Array.from({ length: 3 }, (_, index) => followUpTimer(2, index));

  it('hands a small portal’s timers out in the second batch, though a large portal’s backlog came due an hour earlier', async () => {
    const { ports, handedOut } = handOutPorts([...bigPortal, ...smallPortal]);
    await handOutDueWork(ports, now);
    expect(handedOut.map((batch) => batch[0]!.timer.portalId).slice(0, 3)).toEqual([1, 2, 1]);
    expect(handedOut[1]!.map(({ timer }) => timer.id)).toEqual(smallPortal.map(({ id }) => id));
  });

  it('leases each timer it hands out, so the next minute’s run does not read it again', async () => {
    const { ports, handedOut, timers } = handOutPorts(smallPortal);
    const report = await handOutDueWork(ports, now);
    expect(report.handedOut).toBe(3);
    expect([...timers.values()].map(({ dueAt }) => dueAt)).toEqual([leasedUntil, leasedUntil, leasedUntil]);
    expect(handedOut.flat().map(({ timer }) => timer.dueAt)).toEqual([leasedUntil, leasedUntil, leasedUntil]);
    expect((await handOutDueWork(ports, new Date(now.getTime() + 60_000))).handedOut).toBe(0);
  });

  it('hands out about a minute of sending at SES’s rate, less what the queue still holds', async () => {
    const { ports } = handOutPorts([...bigPortal, ...smallPortal], { maxSendRate: 2, queued: 100 });
    expect((await handOutDueWork(ports, now)).handedOut).toBe(2 * 60 - 100);
  });
});

describe('PacedMailSender', () => {
  /** A sender on a clock that only its own waits move; SES's answers scripted. */
  function pacedSender(answers: ('accept' | 'throttle')[], { maxSendRate = 40, senders = 4 } = {}) {
    const clock = { ms: 0 };
    const waits: number[] = [];
    const sender = new PacedMailSender({
      sendMail: async () => {
        const answer = answers.shift() ?? 'accept';
        if (answer === 'throttle') throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
        return `message-${clock.ms}`;
      },
      sendQuota: async () => ({ maxSendRate }),
      senders,
      sleep: async (ms) => {
        waits.push(ms);
        clock.ms += ms;
      },
      nowMs: () => clock.ms,
    });
    return { sender, waits, clock };
  }
  const plentyOfTime = { remainingMs: () => 60_000 };

  it('keeps to its share of SES’s rate: one of 4 senders at 40 mails a second sends about one every 111 ms', async () => {
    const { sender, waits } = pacedSender([]);
    for (let index = 0; index < 3; index += 1) await sender.send(Buffer.from('mail'), plentyOfTime);
    expect(waits).toHaveLength(2);
    for (const wait of waits) expect(wait).toBeCloseTo(100 / sendRateHeadroom);
  });

  it('slows down and sends the same mail again when SES throttles', async () => {
    const { sender, waits } = pacedSender(['throttle', 'throttle', 'accept']);
    expect(await sender.send(Buffer.from('mail'), plentyOfTime)).toMatch(/^message-/);
    expect(waits.map(Math.round)).toEqual([222, 444]);
  });

  it('gives the mail up unsent when throttling would take it past the run’s safety margin', async () => {
    const { sender, clock } = pacedSender(Array(100).fill('throttle'));
    const deadline = senderSafetyMarginMs + 5_000;
    await expect(sender.send(Buffer.from('mail'), { remainingMs: () => deadline - clock.ms })).rejects.toBeInstanceOf(SenderOutOfTime);
    expect(deadline - clock.ms).toBeGreaterThan(senderSafetyMarginMs);
  });

  it('fails a mail SES refuses for another reason at once', async () => {
    const sender = new PacedMailSender({
      sendMail: async () => Promise.reject(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' })),
      sendQuota: async () => ({ maxSendRate: 14 }),
      senders: 1,
      sleep: async () => undefined,
      nowMs: () => 0,
    });
    await expect(sender.send(Buffer.from('mail'), plentyOfTime)).rejects.toThrow('not verified');
  });
});
