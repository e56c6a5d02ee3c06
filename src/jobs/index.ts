/** Registers every job this build has. */
import type { AppContext } from '../context';
import { actionReminders } from './action-reminders';

export function registerJobs(ctx: AppContext): void {
  // Jobs are added here as their issues land.
  ctx.jobs.register('action-reminders', actionReminders);
}
