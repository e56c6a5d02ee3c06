/** Registers every job this build has. */
import type { AppContext } from '../context';
import { actionReminders } from './action-reminders';
import { weeklyDigest } from './weekly-digest';

export function registerJobs(ctx: AppContext): void {
  ctx.jobs.register('action-reminders', actionReminders);
  ctx.jobs.register('weekly-digest', weeklyDigest);
}
