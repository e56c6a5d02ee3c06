/** The Monday-to-Sunday week a digest covers, in the area's time zone (BST/GMT included). */
import { DateTime } from 'luxon';

export interface DigestWeek {
  /** Monday, YYYY-MM-DD */
  start: string;
  /** Sunday, YYYY-MM-DD */
  end: string;
  dates: string[];
  /** the instants the week begins (Monday 00:00 local) and ends (the next Monday 00:00 local), ISO UTC */
  from: string;
  until: string;
}

export function weekStarting(monday: string, timezone: string): DigestWeek {
  const start = DateTime.fromISO(monday, { zone: timezone }).startOf('day');
  const dates = Array.from({ length: 7 }, (_, i) => start.plus({ days: i }).toISODate()!);
  return {
    start: dates[0],
    end: dates[6],
    dates,
    from: start.toUTC().toISO()!,
    until: start.plus({ days: 7 }).toUTC().toISO()!,
  };
}

/** §7: `date` is the day the digest is sent; it covers the Monday-to-Sunday week that ended before that day. */
export function digestWeekFor(sendDate: string, timezone: string): { week: DigestWeek; previous: DigestWeek } {
  const monday = DateTime.fromISO(sendDate, { zone: timezone }).startOf('week').minus({ days: 7 });
  return {
    week: weekStarting(monday.toISODate()!, timezone),
    previous: weekStarting(monday.minus({ days: 7 }).toISODate()!, timezone),
  };
}

/** True when an ISO instant falls within the week (local Monday 00:00 inclusive to next Monday 00:00 exclusive). */
export function inWeek(at: string | undefined, week: DigestWeek): boolean {
  if (!at) return false;
  const t = Date.parse(at);
  return Number.isFinite(t) && t >= Date.parse(week.from) && t < Date.parse(week.until);
}
