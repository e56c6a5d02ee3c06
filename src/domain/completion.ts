/** Completion rate (§3): submitted home-days ÷ expected home-days (homes × huddle days in the period). */
import { DateTime } from 'luxon';
import type { Weekday } from './directory';

const WEEKDAY: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** The huddle days between two dates, both included. */
export function huddleDates(from: string, to: string, huddleDays: Weekday[]): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d.toISODate()! <= to; d = d.plus({ days: 1 })) {
    if (huddleDays.includes(WEEKDAY[d.weekday - 1])) out.push(d.toISODate()!);
  }
  return out;
}

/** A rate in 0..1, or undefined when nothing was expected. */
export function completionRate(submitted: number, expected: number): number | undefined {
  return expected > 0 ? Math.min(1, submitted / expected) : undefined;
}

export const percent = (rate: number | undefined): string => (rate === undefined ? 'n/a' : `${Math.round(rate * 100)}%`);
