import { withMetrics } from './metrics.js';

/** What time it is. The system's on AWS; the local stack hands every handler its demo clock (`npm run demo -- advance 3h`). */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Configuration comes from the environment, read once at cold start; a missing value fails fast. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} must be set`);
  return value;
}

/** Set only where the default does not do: local endpoints, for instance. */
export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A Lambda entry point built from the environment on its first invocation (the
 * cold start) and reused after: importing a handler module has no side effects,
 * so tests build handlers with their own dependencies. Each invocation writes
 * the metrics it counted when it ends.
 */
export function entryPoint<Event, Result, Rest extends unknown[]>(
  build: () => Promise<(event: Event, ...rest: Rest) => Promise<Result>>,
): (event: Event, ...rest: Rest) => Promise<Result> {
  let built: Promise<(event: Event, ...rest: Rest) => Promise<Result>> | undefined;
  return withMetrics(async (event: Event, ...rest: Rest) => {
    built ??= build();
    built.catch(() => (built = undefined)); // a failed cold start (secrets unreachable) is tried again
    return (await built)(event, ...rest);
  });
}
