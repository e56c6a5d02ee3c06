/** When each job is due in an area: the area's wall-clock times in its own time zone (BST/GMT included). */
import { DateTime } from 'luxon';
import { weekdayOf } from './calendar';
import type { Area } from './directory';

export const JOB_NAMES = ['daily-huddle', 'huddle-reminder', 'daily-summary', 'weekly-digest', 'action-reminders', 'retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface Occurrence {
  job: JobName;
  area: string;
  /** the day the job runs for, YYYY-MM-DD in the area's time zone */
  date: string;
  /** when it is due, as an instant */
  at: Date;
}

/** Daily jobs that are not in the directory's area settings. */
export const ACTION_REMINDERS_TIME = '08:00';
export const RETENTION_TIME = '02:30';

/** The jobs of one area due on one local date, with their instants. */
export function occurrencesOn(area: Area, date: string): Occurrence[] {
  const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: area.timezone }).toJSDate();
  const out: Occurrence[] = [];
  if (area.huddleDays.includes(weekdayOf(date))) {
    out.push({ job: 'daily-huddle', area: area.id, date, at: at(area.huddleTime) });
    out.push({ job: 'huddle-reminder', area: area.id, date, at: at(area.reminderTime) });
    out.push({ job: 'daily-summary', area: area.id, date, at: at(area.summaryTime) });
  }
  if (area.digest.day === weekdayOf(date)) out.push({ job: 'weekly-digest', area: area.id, date, at: at(area.digest.time) });
  out.push({ job: 'action-reminders', area: area.id, date, at: at(ACTION_REMINDERS_TIME) });
  out.push({ job: 'retention', area: area.id, date, at: at(RETENTION_TIME) });
  return out;
}

/** Occurrences whose instant falls in (after, upTo]: what a scheduler ticking at `upTo` must start. */
export function dueBetween(area: Area, after: Date, upTo: Date): Occurrence[] {
  const first = DateTime.fromJSDate(after, { zone: area.timezone }).startOf('day');
  const last = DateTime.fromJSDate(upTo, { zone: area.timezone }).startOf('day');
  const out: Occurrence[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) {
    for (const o of occurrencesOn(area, d.toISODate()!)) if (o.at > after && o.at <= upTo) out.push(o);
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}
