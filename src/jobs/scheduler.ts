/**
 * The in-process schedule, kept in Table storage (`occurrences`): on start and on every tick, each area's
 * occurrences due in the last days that are not done are decided (domain/schedule.ts decide()) and, in time
 * order, run, skipped or reported as missed. Each is claimed on its row (ETag) before anything happens, so
 * two instances with the scheduler on run it once; a job that throws is recorded as failed and retried on
 * the next tick. A store with no record of an area begins it from now: nothing is backfilled.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context';
import { track } from '../telemetry';
import { localDate } from '../domain/calendar';
import type { Area } from '../domain/directory';
import {
  LOOKBACK_DAYS,
  candidates,
  decide,
  missedNotice,
  recordKey,
  scheduleNote,
  scheduleTimes,
  type Decision,
  type Occurrence,
} from '../domain/schedule';
import { deliver } from '../delivery/deliver';
import type { OccurrenceOutcome, StoredOccurrence } from '../storage/occurrences.table';
import type { JobRegistry } from './registry';

const TICK_MS = 20_000;
/** Long enough for a fan-out to hundreds of managers; renewed while the job runs, so it only matters after a crash. */
const LEASE_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface Scheduler {
  stop(): void;
  /** one tick now (tests); ticks never overlap: a tick asked for while one runs follows it */
  tick(): Promise<void>;
}

export interface SchedulerOptions {
  leaseMs?: number;
  /** this instance, on the rows it claims */
  instance?: string;
  /** tick once at start (default true): what was due while the app was down runs now */
  tickOnStart?: boolean;
}

interface AreaState {
  area: Area;
  since: Date;
  stored: Map<string, StoredOccurrence>;
}

const errorFields = (e: unknown) => ({ err: (e as { code?: string }).code ?? (e as Error)?.name ?? 'Error', status: (e as { statusCode?: number }).statusCode });

export function startScheduler(ctx: AppContext, jobs: JobRegistry, tickMs = TICK_MS, opts: SchedulerOptions = {}): Scheduler {
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const instance = opts.instance ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let current: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  /** The area's marker (written now when there is none, or moved to now when its times changed) and its records. */
  async function load(area: Area, now: Date): Promise<AreaState> {
    const times = scheduleTimes(area);
    let marker = await ctx.occurrences.marker(area.id);
    if (!marker || marker.times !== times) {
      // Whoever writes first decides `since`; the other reads it back.
      if (await ctx.occurrences.setMarker(area.id, now, times, marker?.etag)) {
        ctx.log.info({ area: area.id, since: now.toISOString(), reason: marker ? 'times-changed' : 'first-start' }, 'schedule begins for the area');
      }
      marker = await ctx.occurrences.marker(area.id);
      if (!marker) throw new Error('schedule marker not written');
    }
    const from = localDate(new Date(now.getTime() - (LOOKBACK_DAYS + 1) * DAY_MS), area.timezone);
    const rows = await ctx.occurrences.list(area.id, from);
    return { area, since: marker.since, stored: new Map(rows.map((r) => [recordKey(r.job, r.date), r])) };
  }

  async function runOne(state: AreaState, occ: Occurrence): Promise<void> {
    const { area } = state;
    const records = (job: string, date: string) => state.stored.get(recordKey(job, date));
    const at = ctx.clock();
    const decision = decide(area, occ, state.since, at, records);
    if (decision.do === 'nothing') return;
    const job = jobs.get(occ.job);
    if (!job && decision.do === 'run') return;
    const fields = { job: occ.job, area: area.id, date: occ.date };

    const before = records(occ.job, occ.date);
    let etag = await ctx.occurrences.claim(area.id, occ.job, occ.date, before, instance, at.getTime() + leaseMs, at);
    if (!etag) {
      // Another instance claimed it first: read what it holds, so that what depends on it waits.
      const fresh = await ctx.occurrences.get(area.id, occ.job, occ.date);
      if (fresh) state.stored.set(recordKey(occ.job, occ.date), fresh);
      ctx.log.debug(fields, 'occurrence claimed by another instance');
      return;
    }
    const renew = setInterval(() => {
      void ctx.occurrences
        .renew(area.id, occ.job, occ.date, etag!, ctx.clock().getTime() + leaseMs)
        .then((next) => {
          if (next) etag = next;
          else ctx.log.warn(fields, 'occurrence lease lost while running');
        })
        .catch(() => undefined);
    }, leaseMs / 3);
    renew.unref();

    let outcome: OccurrenceOutcome;
    try {
      outcome = await act(area, occ, decision, at);
    } catch (e) {
      ctx.log.error({ ...fields, ...errorFields(e) }, 'scheduled job failed; it is retried on the next tick');
      outcome = { state: 'failed', why: 'threw' };
    } finally {
      clearInterval(renew);
    }
    const end = ctx.clock();
    if (outcome.state === 'done' || outcome.state === 'missed') track(outcome.state === 'done' ? 'JOB.DONE' : 'JOB.MISSED', { ...fields, why: outcome.why, sent: outcome.sent, failed: outcome.failed });
    if (!(await ctx.occurrences.finish(area.id, occ.job, occ.date, etag, outcome, end))) ctx.log.warn(fields, 'occurrence taken over before it was recorded');
    const fresh = await ctx.occurrences.get(area.id, occ.job, occ.date);
    if (fresh) state.stored.set(recordKey(occ.job, occ.date), fresh);
  }

  async function act(area: Area, occ: Occurrence, decision: Exclude<Decision, { do: 'nothing' }>, at: Date): Promise<OccurrenceOutcome> {
    const fields = { job: occ.job, area: area.id, date: occ.date, dueAt: occ.at.toISOString() };
    if (decision.do === 'skip') {
      ctx.log.info({ ...fields, why: decision.why }, 'scheduled job skipped');
      return { state: 'skipped', why: decision.why };
    }
    if (decision.do === 'miss') {
      ctx.log.warn({ ...fields, report: decision.report }, 'scheduled job missed: too late to run');
      if (decision.report === 'log') return { state: 'missed', why: 'too-late' };
      const link = await ctx.areaLinks.get(area.id);
      if (!link) {
        ctx.log.warn(fields, 'missed job not reported: no support channel linked');
        return { state: 'missed', why: 'too-late-unreported' };
      }
      const report = await deliver(ctx, { job: 'missed-notice', area: area.id, date: occ.date }, [
        { key: `channel:${area.id}:${occ.job}`, kind: 'channel', conversationKey: link.conversationId, reference: link.reference, message: { text: missedNotice(area, occ) } },
      ]);
      if (report.sent === 0) ctx.log.warn({ ...fields, failed: report.failed, stale: report.stale }, 'missed job notice not delivered');
      return { state: 'missed', why: report.sent ? 'too-late-reported' : 'too-late-unreported', sent: report.sent, failed: report.failed };
    }
    const note = occ.job === 'daily-summary' || occ.job === 'weekly-digest' ? scheduleNote(area, occ, at, decision) : undefined;
    ctx.log.info({ ...fields, late: decision.late, promptNotSent: decision.promptNotSent }, 'scheduled job starting');
    const result = await jobs.get(occ.job)!(ctx, { area: area.id, date: occ.date, ...(note ? { note } : {}) }, () => undefined);
    ctx.log.info({ ...fields, sent: result.sent, skipped: result.skipped, failed: result.failed }, 'scheduled job done');
    return { state: 'done', sent: result.sent, skipped: result.skipped, failed: result.failed };
  }

  async function run(): Promise<void> {
    const now = ctx.clock();
    let areas: Area[];
    try {
      areas = (await ctx.directory.view()).directory.areas;
    } catch (e) {
      ctx.log.warn(errorFields(e), 'scheduler tick failed; will retry');
      return;
    }
    const states: AreaState[] = [];
    for (const area of areas) {
      try {
        states.push(await load(area, now));
      } catch (e) {
        ctx.log.warn({ area: area.id, ...errorFields(e) }, 'schedule not read for the area; will retry');
      }
    }
    // Every area's due occurrences in one time order.
    const due = states
      .flatMap((s) => candidates(s.area, s.since, now, (job, date) => s.stored.get(recordKey(job, date))).map((occ) => ({ s, occ })))
      .sort((a, b) => a.occ.at.getTime() - b.occ.at.getTime());
    for (const { s, occ } of due) {
      if (stopped) return;
      try {
        await runOne(s, occ);
      } catch (e) {
        // Storage unreachable mid-tick: the occurrence is not recorded as done, so the next tick takes it up.
        ctx.log.warn({ job: occ.job, area: occ.area, date: occ.date, ...errorFields(e) }, 'occurrence not handled; will retry');
      }
    }
  }

  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!current) {
      current = run().finally(() => (current = undefined));
      return current;
    }
    queued ??= current.then(() => {
      queued = undefined;
      return tick();
    });
    return queued;
  };

  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  if (opts.tickOnStart ?? true) void tick();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    tick,
  };
}
