/** Completion of the daily huddle (§3): submitted home-days ÷ expected home-days (homes × huddle days in the period). */
import { datesBetween, isHuddleDay, type Weekday } from './calendar';

/** The dates (YYYY-MM-DD) among `dates` that are huddle days. */
export function expectedDates(dates: string[], huddleDays: readonly Weekday[]): string[] {
  return dates.filter((d) => isHuddleDay({ huddleDays }, d));
}

/** The huddle days between two dates, both included. */
export const huddleDates = (from: string, to: string, huddleDays: readonly Weekday[]): string[] => expectedDates(datesBetween(from, to), huddleDays);

/** A fraction 0..1, or undefined when nothing was expected (no rate, rather than 0 % or 100 %). */
export function completionRate(submittedHomeDays: number, expectedHomeDays: number): number | undefined {
  if (expectedHomeDays <= 0) return undefined;
  return Math.min(1, submittedHomeDays / expectedHomeDays);
}

export const percent = (rate: number | undefined): string => (rate === undefined ? 'n/a' : `${Math.round(rate * 100)}%`);
