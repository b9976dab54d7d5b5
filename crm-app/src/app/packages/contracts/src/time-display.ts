/**
 * Times and dates as a person reads them, in one time zone (the portal's in HubSpot, the
 * machine's in the local CLIs). A time always says its zone ("Dec 4, 2026, 3:00 PM GMT+1"): the
 * reader may sit in another one. Dates are days in that zone.
 */

const dateTimeParts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
const dateParts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' };

function formatIn(timeZone: string | undefined, parts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', { ...parts, timeZone });
  } catch {
    // An unknown zone name would throw and blank the card or page; the viewer's own zone, named, is close enough.
    return new Intl.DateTimeFormat('en-US', parts);
  }
}

/** "Dec 4, 2026, 3:00 PM GMT+1": the date, the time and the zone's name; unset `timeZone` is the runtime's own. */
export function formatDateTime(when: string | Date, timeZone: string | undefined): string {
  return formatIn(timeZone, dateTimeParts).format(new Date(when));
}

/** "Dec 4, 2026": the day it is in `timeZone`, so everyone in the portal sees the same day. */
export function formatDate(when: string | Date, timeZone: string | undefined): string {
  return formatIn(timeZone, dateParts).format(new Date(when));
}
