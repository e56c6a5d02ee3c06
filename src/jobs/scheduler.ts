/** The in-process schedule: every tick, start each area's jobs whose local time has come since the last tick. */
import type { AppContext } from '../context';
import { dueBetween } from '../domain/schedule';
import type { JobRegistry } from './registry';

const TICK_MS = 20_000;
/** A job found late (the process was down) still runs within this time; later, yesterday's prompt would only confuse. */
const CATCH_UP_MS = 60 * 60_000;

export interface Scheduler {
  stop(): void;
  /** one tick now (tests and start-up) */
  tick(): Promise<void>;
}

export function startScheduler(ctx: AppContext, jobs: JobRegistry, tickMs = TICK_MS): Scheduler {
  let last = ctx.clock();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    const now = ctx.clock();
    try {
      const dir = await ctx.directory.view();
      for (const area of dir.directory.areas) {
        for (const occ of dueBetween(area, last, now)) {
          const job = jobs.get(occ.job);
          if (!job) continue;
          if (now.getTime() - occ.at.getTime() > CATCH_UP_MS) {
            ctx.log.warn({ job: occ.job, area: occ.area, date: occ.date }, 'scheduled job missed (too late to run); run it with the jobs endpoint if still needed');
            continue;
          }
          ctx.log.info({ job: occ.job, area: occ.area, date: occ.date }, 'scheduled job starting');
          try {
            const result = await job(ctx, { area: occ.area, date: occ.date }, () => undefined);
            ctx.log.info({ job: occ.job, area: occ.area, date: occ.date, sent: result.sent, skipped: result.skipped, failed: result.failed }, 'scheduled job done');
          } catch (e) {
            ctx.log.error({ job: occ.job, area: occ.area, date: occ.date, err: (e as Error).message }, 'scheduled job failed');
          }
        }
      }
      last = now;
    } catch (e) {
      // Storage unreachable: keep `last`, so the missed window is covered at the next tick.
      ctx.log.warn({ err: (e as Error).message }, 'scheduler tick failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
