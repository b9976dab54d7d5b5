import type { Problems } from '@touchpoints/contracts';

/** Problems sorted to the inputs they are about. */
export interface FieldProblems<Field extends string> {
  beside: Partial<Record<Field, string[]>>;
  /** Problems about no input on the form, or naming no field at all: shown together in an alert. */
  elsewhere: string[];
}

export function noProblems<Field extends string>(): FieldProblems<Field> {
  return { beside: {}, elsewhere: [] };
}

// "trigger.stageId: must not be empty", as `describeIssues` and the λ's 400s write them.
const fieldNamedLine = /^([\w-]+(?:\.[\w-]+)*): (.+)$/s;

function parentOf(path: string): string | undefined {
  const lastDot = path.lastIndexOf('.');
  return lastDot === -1 ? undefined : path.slice(0, lastDot);
}

/**
 * Puts each "field.path: message" line beside the input `fieldAt` names for its path, or for its
 * nearest ancestor path ("sendDelay" when "sendDelay" as a whole is wrong).
 */
export function placeProblems<Field extends string>(
  lines: readonly string[],
  fieldAt: (path: string) => Field | undefined,
): FieldProblems<Field> {
  const placed: FieldProblems<Field> = { beside: {}, elsewhere: [] };
  for (const line of lines) {
    const [, path, message] = fieldNamedLine.exec(line) ?? [];
    let field: Field | undefined;
    for (let candidate = path; candidate !== undefined && field === undefined; candidate = parentOf(candidate)) {
      field = fieldAt(candidate);
    }
    if (field === undefined || message === undefined) {
      placed.elsewhere.push(line);
    } else {
      placed.beside[field] = [...(placed.beside[field] ?? []), message];
    }
  }
  return placed;
}

/** How an input shows its problems: the props every HubSpot input and select takes. */
export interface ShownProblems {
  error: boolean;
  validationMessage: string | undefined;
}

/** The `error` and `validationMessage` props of the input for `field`. */
export function shownBeside<Field extends string>(problems: FieldProblems<Field>, field: Field): ShownProblems {
  const messages = problems.beside[field];
  return messages ? { error: true, validationMessage: messages.join('; ') } : { error: false, validationMessage: undefined };
}

/** A refusal's problems as lines; a refusal naming no field still says why. */
export function problemLines(problems: Problems): string[] {
  return problems.problems && problems.problems.length > 0 ? problems.problems : [problems.message];
}
