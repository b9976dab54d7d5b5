/** How the report's numbers read, the same in its sentences (report λ), its tab and its CSV. */

/** "62% (31 of 50)"; "—" of nothing. */
export function percentOf(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)}% (${part} of ${whole})`;
}

/** A number with two decimals that never reads "-0.00". */
export function twoDecimals(value: number): string {
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}
