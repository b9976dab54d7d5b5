import { Flex, NumberInput, Select } from '@hubspot/ui-extensions';
import type { ShownProblems } from './field-problems.js';
import { durationUnitOptions, type DurationUnit } from './format.js';
import { typedNumber } from './typed-number.js';
import type { DurationDraft } from './touchpoint-draft.js';

interface DurationFieldsProps {
  label: string;
  /** The path of the duration in the touchpoint, e.g. "sendDelay": names both inputs. */
  path: string;
  duration: DurationDraft;
  onChange: (duration: DurationDraft) => void;
  amountProblems: ShownProblems;
  unitProblems: ShownProblems;
  description?: string;
}

/** "2 days": an amount and its unit, side by side. */
export function DurationFields({ label, path, duration, onChange, amountProblems, unitProblems, description }: DurationFieldsProps) {
  return (
    <Flex direction="row" gap="sm" align="start">
      <NumberInput
        label={label}
        name={`${path}.amount`}
        description={description}
        min={0}
        precision={0}
        value={duration.amount}
        onChange={(amount) => onChange({ ...duration, amount: typedNumber(amount) })}
        {...amountProblems}
      />
      <Select
        label="Unit"
        name={`${path}.unit`}
        options={durationUnitOptions}
        value={duration.unit}
        onChange={(unit) => onChange({ ...duration, unit: unit as DurationUnit })}
        {...unitProblems}
      />
    </Flex>
  );
}
