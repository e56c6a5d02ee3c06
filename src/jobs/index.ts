/** Registers every job this build has. */
import type { AppContext } from '../context';
import { weeklyDigest } from './weekly-digest';

export function registerJobs(ctx: AppContext): void {
  // Jobs are added here as their issues land.
  ctx.jobs.register('weekly-digest', weeklyDigest);
}
