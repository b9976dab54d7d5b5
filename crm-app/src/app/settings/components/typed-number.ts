/** A cleared number input may hand over nothing, or NaN: both mean "no number", for the schema to judge. */
export function typedNumber(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
