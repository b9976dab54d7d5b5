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

/** Days as the report shows them: to one decimal. */
export function oneDecimal(days: number): number {
  return Math.round(days * 10) / 10;
}

/** Days to one decimal, a whole number without one: "4.1 days", "2 days", "1 day"; "—" without a value. */
export function daysText(days: number | null): string {
  if (days === null) return '—';
  const rounded = oneDecimal(days);
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** A promise in days as a sentence reads it after "a promise of": "2", "1.5". */
export function daysNumber(days: number): string {
  return String(oneDecimal(days));
}

/** A difference of rates in whole percentage points, never "-0": the tab and the findings round it alike. */
export function percentagePoints(difference: number): number {
  return Math.round(difference * 100) || 0;
}

/** An amount as the report shows it: "401,000"; "—" without one. The deals' own currency is HubSpot's to show. */
export function amountText(amount: number | null): string {
  return amount === null ? '—' : Math.round(amount).toLocaleString('en-US');
}
