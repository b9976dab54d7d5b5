type Handler<Event, Context, Result> = (event: Event, context: Context) => Promise<Result>;

/**
 * A function's instances, as Lambda keeps them: each runs one invocation at a time, and at most
 * its maximum concurrency run side by side
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html). What a handler keeps
 * between invocations (the due sender's pace, its SES quota) therefore belongs to one run at a
 * time, locally as on AWS. They are all started at once, while the stack's environment is the
 * one they are configured from.
 */
export async function lambdaInstances<Event, Context, Result>(count: number, start: () => Promise<Handler<Event, Context, Result>>): Promise<Handler<Event, Context, Result>> {
  const idle = await Promise.all(Array.from({ length: count }, start));
  return async (event, context) => {
    const instance = idle.pop();
    if (!instance) throw new Error(`more than ${count} invocations at once: the function's maximum concurrency is ${count}`);
    try {
      return await instance(event, context);
    } finally {
      idle.push(instance);
    }
  };
}
