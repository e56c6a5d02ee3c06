/** Every job this build has. */
import { actionReminders } from './action-reminders';
import { dailyHuddle } from './daily-huddle';
import { dailySummary } from './daily-summary';
import { huddleReminder } from './huddle-reminder';
import { retention } from './retention';
import { JobRegistry } from './registry';
import { weeklyDigest } from './weekly-digest';

export function createJobs(): JobRegistry {
  return new JobRegistry()
    .register('daily-huddle', dailyHuddle)
    .register('huddle-reminder', huddleReminder)
    .register('daily-summary', dailySummary)
    .register('action-reminders', actionReminders)
    .register('weekly-digest', weeklyDigest)
    .register('retention', retention);
}
