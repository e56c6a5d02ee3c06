/** Completion of the daily huddle (§3): submitted home-days ÷ expected home-days (homes × huddle days). */
import { DateTime } from 'luxon';
import type { Weekday } from './directory';

const WEEKDAY_OF = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** The dates (YYYY-MM-DD) among `dates` that are huddle days. */
export function expectedDates(dates: string[], huddleDays: readonly Weekday[]): string[] {
  return dates.filter((d) => huddleDays.includes(WEEKDAY_OF[DateTime.fromISO(d).weekday - 1]));
}

/** A fraction 0..1, or undefined when nothing was expected (no rate, rather than 0 % or 100 %). */
export function completionRate(submittedHomeDays: number, expectedHomeDays: number): number | undefined {
  if (expectedHomeDays <= 0) return undefined;
  return Math.min(1, submittedHomeDays / expectedHomeDays);
}
