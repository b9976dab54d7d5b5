import type { z } from 'zod';

/**
 * A zod error as one line per problem, each naming the field it is about
 * ("trigger.stageId: must not be empty"), so settings pages and API callers
 * can put the message beside the field.
 */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}

/** Input that failed a schema; carries the field-named messages. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    readonly what: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${what}: ${problems.join('; ')}`);
  }
}

/** Parses with a schema or throws InvalidInputError naming every bad field. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(what, describeIssues(result.error));
  return result.data;
}
