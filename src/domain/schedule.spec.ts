import type { Area } from './directory';
import { candidates, decide, missedNotice, occurrencesOn, scheduleNote, type OccurrenceRecord, type RecordsOf } from './schedule';

const pkc: Area = {
  id: 'pkc', name: 'Perth and Kinross', timezone: 'Europe/London', huddleTime: '09:30', reminderTime: '11:00', summaryTime: '12:00',
  huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], digest: { day: 'MON', time: '08:00' },
};
const DATE = '2026-11-23'; // Monday, GMT
const at = (hhmm: string, date = DATE) => new Date(`${date}T${hhmm}:00Z`);
const occ = (job: string, date = DATE) => occurrencesOn(pkc, date).find((o) => o.job === job)!;
const since = at('07:00');
const recordsOf = (rows: Record<string, OccurrenceRecord>): RecordsOf => (job, date) => rows[`${date}_${job}`];

describe('decide', () => {
  it('runs a prompt up to three hours late, and reports it after that', () => {
    expect(decide(pkc, occ('daily-huddle'), since, at('12:30'), recordsOf({}))).toEqual({ do: 'run', late: true, promptNotSent: false });
    expect(decide(pkc, occ('daily-huddle'), since, at('12:31'), recordsOf({}))).toEqual({ do: 'miss', report: 'support-channel' });
    expect(decide(pkc, occ('daily-huddle'), since, at('09:30'), recordsOf({}))).toEqual({ do: 'run', late: false, promptNotSent: false });
  });

  it('skips a reminder when its prompt went out less than an hour earlier or never; otherwise sends it', () => {
    const sentAt = (d: Date) => recordsOf({ [`${DATE}_daily-huddle`]: { state: 'done', doneAt: d } });
    expect(decide(pkc, occ('huddle-reminder'), since, at('11:00'), sentAt(at('10:01')))).toEqual({ do: 'skip', why: 'prompt-recent' });
    expect(decide(pkc, occ('huddle-reminder'), since, at('11:01'), sentAt(at('10:01')))).toEqual({ do: 'run', late: false, promptNotSent: false });
    expect(decide(pkc, occ('huddle-reminder'), since, at('11:00'), recordsOf({ [`${DATE}_daily-huddle`]: { state: 'missed' } }))).toEqual({ do: 'skip', why: 'prompt-not-sent' });
  });

  it('holds the reminder and the summary while the prompt is still to run or being retried', () => {
    const failing = recordsOf({ [`${DATE}_daily-huddle`]: { state: 'failed' } });
    expect(decide(pkc, occ('huddle-reminder'), since, at('11:00'), failing)).toEqual({ do: 'nothing', why: 'waiting-for-prompt' });
    expect(decide(pkc, occ('daily-summary'), since, at('12:00'), failing)).toEqual({ do: 'nothing', why: 'waiting-for-prompt' });
    const elsewhere = recordsOf({ [`${DATE}_daily-huddle`]: { state: 'running', leaseUntil: at('12:10').getTime() } });
    expect(decide(pkc, occ('daily-huddle'), since, at('12:00'), elsewhere)).toEqual({ do: 'nothing', why: 'busy' });
    // a lease that ran out (its instance stopped) is taken over
    expect(decide(pkc, occ('daily-huddle'), since, at('12:11'), elsewhere)).toEqual({ do: 'run', late: true, promptNotSent: false });
  });

  it('sends the summary after a missed prompt, saying so', () => {
    const missed = recordsOf({ [`${DATE}_daily-huddle`]: { state: 'missed' } });
    const d = decide(pkc, occ('daily-summary'), since, at('13:00'), missed);
    expect(d).toEqual({ do: 'run', late: true, promptNotSent: true });
    expect(scheduleNote(pkc, occ('daily-summary'), at('13:00'), { late: true, promptNotSent: true })).toBe(
      'Sent late, at 13:00: it was due at 12:00. The huddle prompts for Monday 23 November were not sent, so managers were not asked to answer.',
    );
  });

  it('takes a prompt due before the store began as sent at its time (nothing is known of it)', () => {
    expect(decide(pkc, occ('huddle-reminder'), at('10:00'), at('11:00'), recordsOf({}))).toEqual({ do: 'run', late: false, promptNotSent: false });
    expect(decide(pkc, occ('daily-summary'), at('10:00'), at('12:00'), recordsOf({}))).toEqual({ do: 'run', late: false, promptNotSent: false });
  });

  it('sends a digest late within its week, and only logs it after that', () => {
    const digest = occ('weekly-digest');
    expect(decide(pkc, digest, since, at('12:00', '2026-11-25'), recordsOf({}))).toEqual({ do: 'run', late: true, promptNotSent: false });
    expect(scheduleNote(pkc, digest, at('12:00', '2026-11-25'), { late: true, promptNotSent: false })).toBe('Sent late, at 12:00: it was due at 08:00 on Monday 23 November.');
    expect(decide(pkc, digest, since, at('08:00', '2026-11-30'), recordsOf({}))).toEqual({ do: 'miss', report: 'log' });
  });

  it('leaves what is settled alone', () => {
    for (const state of ['done', 'skipped', 'missed'] as const) {
      expect(decide(pkc, occ('daily-huddle'), since, at('09:31'), recordsOf({ [`${DATE}_daily-huddle`]: { state } }))).toEqual({ do: 'nothing', why: 'settled' });
    }
  });
});

describe('candidates', () => {
  it('begins from the store start (no backfill), but keeps an earlier occurrence it has a record of', () => {
    const jobs = (s: Date, r: RecordsOf) => candidates(pkc, s, at('09:40'), r).map((o) => `${o.date} ${o.job}`);
    expect(jobs(at('09:00'), recordsOf({}))).toEqual(['2026-11-23 daily-huddle']);
    expect(jobs(at('09:00'), recordsOf({ '2026-11-23_weekly-digest': { state: 'failed' } }))).toEqual(['2026-11-23 weekly-digest', '2026-11-23 daily-huddle']);
  });
});

it('words the missed prompt for the support channel, with what managers can still do', () => {
  expect(missedNotice(pkc, occ('daily-huddle'))).toBe(
    'The huddle prompts for Perth and Kinross due on Monday 23 November at 09:30 were not sent, and it is now too late to send them. Managers can still answer: typing "huddle" in their chat with the app brings the card.',
  );
  expect(missedNotice(pkc, occ('daily-summary'))).toBe('The huddle summary for Perth and Kinross due on Monday 23 November at 12:00 was not sent, and it is now too late to send it.');
});
