import type { ScheduledEvent } from 'aws-lambda';

/**
 * The local stand-in for the EventBridge rule that runs the due λ every
 * minute, each run at the time `now` tells (the demo clock, once advanced).
 * Runs never overlap; `runAt` lets a test (or a demo) run the clock forward
 * without waiting.
 */
export function startMinuteScheduler<Report>(handler: (event: Pick<ScheduledEvent, 'time'>) => Promise<Report>, { everyMs = 60_000, now = () => new Date() }: { everyMs?: number; now?: () => Date } = {}) {
  let running: Promise<unknown> = Promise.resolve();
  const run = (at: Date): Promise<Report> => {
    const thisRun = running.catch(() => undefined).then(() => handler({ time: at.toISOString() }));
    running = thisRun;
    return thisRun;
  };
  const interval = setInterval(() => {
    run(now()).catch((error: unknown) => console.error('scheduled due run failed', error));
  }, everyMs);
  interval.unref();
  return {
    /** One run of the due λ as if the schedule fired at `at`. */
    runAt: (at: Date) => run(at),
    async stop() {
      clearInterval(interval);
      await running.catch(() => undefined);
    },
  };
}
