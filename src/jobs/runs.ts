/**
 * A job run by hand (`POST /api/jobs/{job}`, `npm run job`), kept in the `jobruns` table from start to end so
 * that whichever instance is asked can tell its progress (`GET /api/jobs/runs/{id}`) and, at the end, its counts.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context';
import type { JobRun } from '../storage/jobruns.table';
import type { JobParams, JobRegistry, JobResult, Progress } from './registry';

/** Progress is written at most this often (a fan-out reports every send). */
const WRITE_EVERY_MS = 1_000;
/** While it runs, the row is touched this often, so that a run whose instance stopped can be told apart. */
const HEARTBEAT_MS = 30_000;
/** A running row not touched for this long belongs to an instance that stopped. */
export const LOST_AFTER_MS = 4 * HEARTBEAT_MS;

export type RunEnd = { ok: true; result: JobResult } | { ok: false };

export interface StartedRun {
  id: string;
  /** settles once the run's end is recorded */
  finished: Promise<RunEnd>;
}

const errorFields = (e: unknown) => ({ err: (e as { code?: string }).code ?? (e as Error)?.name ?? 'Error', status: (e as { statusCode?: number }).statusCode });

/** Records the run, starts the job and answers at once; `finished` tells when (and how) it ended. */
export async function startRun(ctx: AppContext, jobs: JobRegistry, name: string, params: JobParams, onProgress: Progress = () => undefined): Promise<StartedRun> {
  const job = jobs.get(name);
  if (!job) throw new Error(`no job ${name}`);
  const id = randomUUID();
  const at = ctx.clock().toISOString();
  await ctx.jobRuns.create({ id, job: name, ...(params.area ? { area: params.area } : {}), ...(params.date ? { date: params.date } : {}), state: 'running', startedAt: at, updatedAt: at, done: 0, total: 0 });

  let latest = { done: 0, total: 0 };
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    lastWrite = Date.now();
    const { done, total } = latest;
    writing = writing.then(() => ctx.jobRuns.progress(id, done, total, ctx.clock())).catch((e) => ctx.log.warn({ job: name, run: id, ...errorFields(e) }, 'run progress not recorded'));
  };
  const progress: Progress = (event) => {
    latest = { done: event.done, total: event.total };
    onProgress(event);
    if (Date.now() - lastWrite >= WRITE_EVERY_MS) write();
  };
  const heartbeat = setInterval(write, HEARTBEAT_MS);
  heartbeat.unref();

  const finished = (async (): Promise<RunEnd> => {
    let end: RunEnd;
    try {
      end = { ok: true, result: await job(ctx, params, progress) };
    } catch (e) {
      ctx.log.error({ job: name, run: id, ...errorFields(e) }, 'job failed');
      end = { ok: false };
    } finally {
      clearInterval(heartbeat);
    }
    await writing;
    try {
      if (end.ok) await ctx.jobRuns.finish(id, 'done', latest, end.result, ctx.clock());
      else await ctx.jobRuns.finish(id, 'failed', latest, { job: name, error: 'The job could not finish; it is safe to run it again.' }, ctx.clock());
    } catch (e) {
      ctx.log.warn({ job: name, run: id, ...errorFields(e) }, 'run end not recorded');
    }
    return end;
  })();
  return { id, finished };
}

/** The run as `GET /api/jobs/runs/{id}` tells it: `lost` when its instance stopped before it ended. */
export function runView(run: JobRun, now: Date) {
  const lost = run.state === 'running' && now.getTime() - Date.parse(run.updatedAt) > LOST_AFTER_MS;
  return {
    runId: run.id,
    job: run.job,
    ...(run.area ? { area: run.area } : {}),
    ...(run.date ? { date: run.date } : {}),
    state: lost ? 'lost' : run.state,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    progress: { done: run.done, total: run.total },
    ...(run.result !== undefined ? { result: run.result } : {}),
    ...(lost ? { note: 'The instance running it stopped before it ended; it is safe to run the job again.' } : {}),
  };
}
