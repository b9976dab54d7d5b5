import { addDueRunReport, doDueWork, emptyDueRunReport, type DueRunReport, type DueWorkPorts, type DueWorkQueue, type SenderRun } from '../../lambdas/journeys/due-work.js';
import { dueWorkBatchSize } from '../../lambdas/queue/due-work-queue.js';

/**
 * The due work queue and its senders in the test's own process: each batch the minute run hands
 * out is worked at once, in the run, and the senders' reports add up in `worked`. What the queue
 * adds (redelivery, concurrency) the local stack's tests cover.
 */
export function sendersInProcess(ports: DueWorkPorts, run: SenderRun = { remainingMs: () => 60_000 }): { dueWork: DueWorkQueue; worked: DueRunReport } {
  const worked = emptyDueRunReport();
  return {
    worked,
    dueWork: {
      batchSize: dueWorkBatchSize,
      queued: async () => 0,
      async handOut(work) {
        addDueRunReport(worked, (await doDueWork(ports, work, run)).report);
      },
    },
  };
}
