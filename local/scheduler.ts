import type { ScheduledEvent } from 'aws-lambda';

type ScheduledHandler = (event: Pick<ScheduledEvent, 'time'>) => Promise<unknown>;

/**
 * The local stand-in for the EventBridge rule that runs the due λ every
 * minute. Runs never overlap; `runAt` lets a test (or a demo) run the clock
 * forward without waiting.
 */
export function startMinuteScheduler(handler: ScheduledHandler, { everyMs = 60_000 }: { everyMs?: number } = {}) {
  let running: Promise<unknown> = Promise.resolve();
  const run = (at: Date) => {
    running = running.catch(() => undefined).then(() => handler({ time: at.toISOString() }));
    return running;
  };
  const interval = setInterval(() => {
    run(new Date()).catch((error: unknown) => console.error('scheduled due run failed', error));
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
