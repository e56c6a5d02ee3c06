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

// ——— The durable schedule: what to do with each occurrence, given what the store says was done ———

/** A job found late (the app was down) still runs within this time; an older one is reported as missed instead. */
export const CATCH_UP_MS = 3 * 60 * 60_000;
/** A reminder this soon after its prompt went out would only repeat it. */
export const REMINDER_GAP_MS = 60 * 60_000;
/** A tick comes every 20 s: later than this, a message says it was sent late. */
export const LATE_AFTER_MS = 5 * 60_000;
/** How far back a start looks for occurrences not done: a week covers a digest (sent late the same week). */
export const LOOKBACK_DAYS = 7;

/** running: claimed by an instance until its lease runs out; failed: threw, retried on the next tick; the rest are final. */
export type OccurrenceState = 'running' | 'failed' | 'done' | 'skipped' | 'missed';
export const SETTLED: readonly OccurrenceState[] = ['done', 'skipped', 'missed'];

/** What the store holds for one occurrence, as the rules need it. */
export interface OccurrenceRecord {
  state: OccurrenceState;
  /** when it finished (done, skipped or missed) */
  doneAt?: Date;
  /** ms since the epoch: a running record whose lease ran out is taken over */
  leaseUntil?: number;
}

export type Decision =
  | { do: 'nothing'; why: 'settled' | 'busy' | 'waiting-for-prompt' }
  | { do: 'run'; late: boolean; promptNotSent: boolean }
  | { do: 'skip'; why: 'prompt-recent' | 'prompt-not-sent' }
  | { do: 'miss'; report: 'support-channel' | 'log' };

/** The records of one area, by `${date}_${job}`. */
export type RecordsOf = (job: JobName, date: string) => OccurrenceRecord | undefined;

export const recordKey = (job: string, date: string) => `${date}_${job}`;

/**
 * The occurrences a tick at `now` considers: due in the last LOOKBACK_DAYS, not before `since` (the store
 * began, or the area's times changed, then) unless the store already has a record of it (a failed one is retried).
 */
export function candidates(area: Area, since: Date, now: Date, records: RecordsOf): Occurrence[] {
  const from = new Date(now.getTime() - LOOKBACK_DAYS * 24 * 60 * 60_000);
  return dueBetween(area, from, now).filter((o) => o.at >= since || records(o.job, o.date) !== undefined);
}

/**
 * When the day's prompt went out: its finish time; null when it was never sent (missed, or skipped);
 * undefined while it is still to run (or being retried). A prompt due before the store began is
 * taken as sent at its time: this store has no word on it.
 */
function promptSentAt(area: Area, date: string, since: Date, records: RecordsOf): Date | null | undefined {
  const rec = records('daily-huddle', date);
  if (rec?.state === 'done') return rec.doneAt ?? null;
  if (rec?.state === 'missed' || rec?.state === 'skipped') return null;
  if (rec) return undefined;
  const due = occurrencesOn(area, date).find((o) => o.job === 'daily-huddle');
  return due && due.at < since ? due.at : undefined;
}

/** What a tick at `now` does with one occurrence. Pure: the scheduler claims, runs and records. */
export function decide(area: Area, occ: Occurrence, since: Date, now: Date, records: RecordsOf): Decision {
  const rec = records(occ.job, occ.date);
  if (rec && SETTLED.includes(rec.state)) return { do: 'nothing', why: 'settled' };
  if (rec?.state === 'running' && (rec.leaseUntil ?? 0) > now.getTime()) return { do: 'nothing', why: 'busy' };
  const age = now.getTime() - occ.at.getTime();
  const inTime = age <= CATCH_UP_MS;
  const late = age > LATE_AFTER_MS;
  switch (occ.job) {
    case 'daily-huddle':
      return inTime ? { do: 'run', late, promptNotSent: false } : { do: 'miss', report: 'support-channel' };
    case 'huddle-reminder': {
      const sent = promptSentAt(area, occ.date, since, records);
      if (sent === null) return { do: 'skip', why: 'prompt-not-sent' };
      if (sent === undefined) return inTime ? { do: 'nothing', why: 'waiting-for-prompt' } : { do: 'miss', report: 'log' };
      if (!inTime) return { do: 'miss', report: 'log' };
      if (now.getTime() - sent.getTime() < REMINDER_GAP_MS) return { do: 'skip', why: 'prompt-recent' };
      return { do: 'run', late, promptNotSent: false };
    }
    case 'daily-summary': {
      if (!inTime) return { do: 'miss', report: 'support-channel' };
      const sent = promptSentAt(area, occ.date, since, records);
      if (sent === undefined) return { do: 'nothing', why: 'waiting-for-prompt' };
      return { do: 'run', late, promptNotSent: sent === null };
    }
    case 'weekly-digest':
      // Late is still worth sending until the next digest is due: the week it covers is the same.
      return inTime || now < nextOf(area, occ) ? { do: 'run', late, promptNotSent: false } : { do: 'miss', report: 'log' };
    default:
      return inTime ? { do: 'run', late, promptNotSent: false } : { do: 'miss', report: 'log' };
  }
}

/** The next occurrence of the same job, a week on for the digest. */
function nextOf(area: Area, occ: Occurrence): Date {
  const next = DateTime.fromJSDate(occ.at, { zone: area.timezone }).plus({ weeks: 1 });
  return next.toJSDate();
}

/** The area's settings the schedule follows: when they change, it follows the new times from then on. */
export const scheduleTimes = (area: Area): string =>
  JSON.stringify([area.timezone, area.huddleTime, area.reminderTime, area.summaryTime, area.huddleDays, area.digest.day, area.digest.time]);

// ——— What people are told ———

const clockTime = (at: Date, area: Area) => DateTime.fromJSDate(at, { zone: area.timezone }).toFormat('HH:mm');
const longDate = (date: string) => DateTime.fromISO(date).toFormat('cccc d LLLL');

/** Beside a summary or digest sent more than a few minutes after its time, and beside a summary whose prompts never went. */
export function scheduleNote(area: Area, occ: Occurrence, now: Date, decision: { late: boolean; promptNotSent: boolean }): string | undefined {
  const parts: string[] = [];
  if (decision.late) parts.push(`Sent late, at ${clockTime(now, area)}: it was due at ${clockTime(occ.at, area)}${localDateOf(now, area) === occ.date ? '' : ` on ${longDate(occ.date)}`}.`);
  if (decision.promptNotSent) parts.push(`The huddle prompts for ${longDate(occ.date)} were not sent, so managers were not asked to answer.`);
  return parts.length ? parts.join(' ') : undefined;
}

const localDateOf = (at: Date, area: Area) => DateTime.fromJSDate(at, { zone: area.timezone }).toISODate();

/** To the area's support channel, for a prompt or summary that was not sent and is now too late to send. */
export function missedNotice(area: Area, occ: Occurrence): string {
  const when = `${longDate(occ.date)} at ${clockTime(occ.at, area)}`;
  if (occ.job === 'daily-huddle') {
    return `The huddle prompts for ${area.name} due on ${when} were not sent, and it is now too late to send them. Managers can still answer: typing "huddle" in their chat with the app brings the card.`;
  }
  return `The huddle summary for ${area.name} due on ${when} was not sent, and it is now too late to send it.`;
}
