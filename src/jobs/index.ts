/** Registers every job this build has. */
import type { AppContext } from '../context';
import { actionReminders } from './action-reminders';
import { dailyHuddle } from './daily-huddle';
import { dailySummary } from './daily-summary';
import { huddleReminder } from './huddle-reminder';
import { retention } from './retention';
import { weeklyDigest } from './weekly-digest';

export function registerJobs(ctx: AppContext): void {
  ctx.jobs.register('daily-huddle', dailyHuddle);
  ctx.jobs.register('huddle-reminder', huddleReminder);
  ctx.jobs.register('daily-summary', dailySummary);
  ctx.jobs.register('action-reminders', actionReminders);
  ctx.jobs.register('weekly-digest', weeklyDigest);
  ctx.jobs.register('retention', retention);
}
