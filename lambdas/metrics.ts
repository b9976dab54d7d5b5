import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricsNamespace, metricsService, type MetricName } from './metric-names.js';

export { metricNames, type MetricName } from './metric-names.js';

/**
 * What an operator watches, as CloudWatch metrics in the embedded metric format: Powertools
 * writes them into the function's log, CloudWatch turns them into metrics (the stack's dashboard
 * shows them), and locally they are lines in the terminal. Only counts above zero are recorded,
 * so an idle minute writes nothing.
 */
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName: metricsService });

export function count(name: MetricName, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Writes what the invocation counted (nothing when it counted nothing). */
export function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** A handler that writes its invocation's metrics when it returns or throws. */
export function withMetrics<Event, Result, Rest extends unknown[]>(handler: (event: Event, ...rest: Rest) => Promise<Result>) {
  return async (event: Event, ...rest: Rest): Promise<Result> => {
    try {
      return await handler(event, ...rest);
    } finally {
      publishMetrics();
    }
  };
}
