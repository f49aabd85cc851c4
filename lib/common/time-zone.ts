/**
 * Time-zone arithmetic on Node's own IANA data (Intl), with no clock: every function maps
 * explicit dates and times to other explicit dates and times.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes the zone is ahead of UTC at the instant `utcMillis` (Copenhagen in winter: 60). */
export function utcOffsetMinutes(timeZone: string, utcMillis: number): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(utcMillis))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((wall - Math.floor(utcMillis / 60000) * 60000) / 60000);
}

/** The UTC instant of a wall-clock time on a date in a zone. */
export function zonedToUtc(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  let utc = wall - utcOffsetMinutes(timeZone, wall) * 60000;
  // A second pass settles times near a DST change, where the first guess used the other offset.
  utc = wall - utcOffsetMinutes(timeZone, utc) * 60000;
  return utc;
}

/** The distinct UTC offsets a zone uses over a calendar year (two for zones with DST). */
export function offsetsInYear(timeZone: string, year: number): number[] {
  const offsets = new Set<number>();
  for (let day = 0; day < 366; day += 7) offsets.add(utcOffsetMinutes(timeZone, Date.UTC(year, 0, 1 + day, 12)));
  return [...offsets].sort((a, b) => a - b);
}

/** "2026-11-23" -> 0 (Sunday) ... 6 (Saturday). */
export function weekdayOf(date: string): number {
  return new Date(dateToUtc(date)).getUTCDay();
}

/** Every date from `first` to `last`, inclusive, as "YYYY-MM-DD". */
export function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let t = dateToUtc(first); t <= dateToUtc(last); t += 86400000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

function dateToUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

/**
 * The spelling of `timeZone` that KEDA's cron scaler finds, when the given one is a zone only
 * in the wrong case ("europe/copenhagen" -> "Europe/Copenhagen"); otherwise undefined. Intl
 * matches zone names case-insensitively, but KEDA reads them with Go's time.LoadLocation, a
 * case-sensitive file lookup: a misspelt zone makes the scaler fail, and nothing ever sleeps.
 */
export function timeZoneSpelling(timeZone: string): string | undefined {
  if (!isTimeZone(timeZone)) return undefined;
  const resolved = formatter(timeZone).resolvedOptions().timeZone;
  const known = Intl.supportedValuesOf('timeZone');
  if (timeZone === resolved || known.includes(timeZone)) return undefined;
  const sameLetters = [resolved, ...known].find((zone) => zone.toLowerCase() === timeZone.toLowerCase());
  if (sameLetters) return sameLetters;
  // An alias Intl resolves to its canonical zone ("US/Eastern"): every part of an IANA name
  // starts with a capital, so a part in lower case is a misspelling of it.
  return timeZone.split('/').some((part) => /^[a-z]/.test(part)) ? resolved : undefined;
}

/** Zones people write for a city's time; each suggests that city's IANA zone. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  EST5EDT: 'America/New_York',
  CST: 'America/Chicago',
  CST6CDT: 'America/Chicago',
  MST: 'America/Denver',
  MST7MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PST8PDT: 'America/Los_Angeles',
  HST: 'Pacific/Honolulu',
  GMT: 'Europe/London',
  BST: 'Europe/London',
  WET: 'Europe/Lisbon',
  CET: 'Europe/Berlin',
  CEST: 'Europe/Berlin',
  MET: 'Europe/Berlin',
  EET: 'Europe/Helsinki',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  AEST: 'Australia/Sydney',
};

/**
 * Why a valid zone is still not one for class hours, or undefined. Only a city's zone
 * (`Area/City`) follows that city's daylight saving time: `EST` stays at UTC-5 in June, and a
 * class at 09:00 New York time would wake an hour late. `UTC` is accepted: nobody means a city by it.
 */
export function cityZoneProblem(timeZone: string): string | undefined {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return undefined;
  const isOffset = /^(Etc\/)?(GMT|UTC)?[+-]/i.test(timeZone) || /^Etc\//.test(timeZone);
  if (timeZone.includes('/') && !isOffset) return undefined;
  const city = ABBREVIATIONS[timeZone.toUpperCase()];
  return (
    "is a fixed offset or an abbreviation, not a city's zone: it does not follow daylight saving time" +
    (city ? `; did you mean "${city}"?` : '; use the zone of the class\'s city, such as "Europe/Copenhagen"')
  );
}
