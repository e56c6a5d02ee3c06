/** The one calendar vocabulary: weekdays, local dates in an area's time zone, and date arithmetic on YYYY-MM-DD. */
import { DateTime } from 'luxon';

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekday as people say it, for a day that repeats: "Mondays". */
export const weekdayPlural = (day: Weekday): string =>
  ({ MON: 'Mondays', TUE: 'Tuesdays', WED: 'Wednesdays', THU: 'Thursdays', FRI: 'Fridays', SAT: 'Saturdays', SUN: 'Sundays' })[day];

/** The weekday of a date (YYYY-MM-DD): the same in every time zone. */
export const weekdayOf = (date: string): Weekday => WEEKDAYS[DateTime.fromISO(date).weekday - 1];

/** True when the date is one of the area's huddle days. */
export const isHuddleDay = (area: { huddleDays: readonly Weekday[] }, date: string): boolean => area.huddleDays.includes(weekdayOf(date));

/**
 * A small memo for the time-zone conversions every request makes (luxon's zone arithmetic was ~5 % of a huddle
 * answer's CPU): the results are pure functions of their arguments; the memo is emptied when it grows.
 */
function memo<A extends unknown[], R extends string | boolean>(fn: (...args: A) => R, key: (...args: A) => string | undefined): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const k = key(...args);
    if (k === undefined) return fn(...args);
    let v = cache.get(k);
    if (v === undefined) {
      if (cache.size >= 2000) cache.clear();
      v = fn(...args);
      cache.set(k, v);
    }
    return v;
  };
}

/** Today's date (YYYY-MM-DD) at an instant, in a time zone (time zones move by whole minutes: memoised per minute). */
export const localDate: (now: Date, timezone: string) => string = memo(
  (now: Date, timezone: string) => DateTime.fromJSDate(now, { zone: timezone }).toISODate()!,
  (now, timezone) => `${timezone}|${Math.floor(now.getTime() / 60_000)}`,
);

export const addDays: (date: string, days: number) => string = memo(
  (date: string, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!,
  (date, days) => `${date}|${days}`,
);

/** Every date from one to another, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export const isIsoDate: (value: string) => boolean = memo(
  (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid,
  (value) => (value.length === 10 ? value : undefined),
);

/**
 * The memo key of a label in minutes: the zone and the UTC instant's minute ("…T09:41" of "…T09:41:07.123Z"), as the
 * label depends on nothing finer (time zones differ by whole minutes). An instant in another form is not memoised.
 */
const byZoneAndMinute = (iso: string, timezone: string): string | undefined =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(iso) ? `${timezone}|${iso.slice(0, 16)}` : undefined;

/** The one way a moment is shown to people: in the area's time zone, "Tue 24 Nov, 09:41". */
export const whenLabel: (iso: string, timezone: string) => string = memo(
  (iso: string, timezone: string) => {
    const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone);
    return t.isValid ? t.toFormat('ccc d LLL, HH:mm') : '';
  },
  byZoneAndMinute,
);

/** The clock time alone, in the area's time zone: "09:41". */
export const timeLabel: (iso: string, timezone: string) => string = memo(
  (iso: string, timezone: string) => {
    const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone);
    return t.isValid ? t.toFormat('HH:mm') : '';
  },
  byZoneAndMinute,
);

/** A date (YYYY-MM-DD) as people write it on a plan: "20 Dec 2026" (anything else is shown as it is). */
export function dayLabel(date: string): string {
  return isIsoDate(date) ? DateTime.fromISO(date, { zone: 'utc' }).toFormat('d LLL yyyy') : date;
}

/** A date (YYYY-MM-DD) as people say it, short: "Tue 24 Nov". */
export function shortDateLabel(date: string): string {
  const t = DateTime.fromISO(date, { zone: 'utc' });
  return t.isValid ? t.toFormat('ccc d LLL') : date;
}

/** "1 home", "2 homes". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
