/** Job `huddle-reminder`: managers of homes that have not answered get one reminder with the card. */
import { newHuddleForms } from '../app/huddle';
import { huddleCard } from '../cards/huddle.card';
import { deliver } from '../delivery/deliver';
import { areasAndDates, managerRecipients } from './huddle-recipients';
import { addReport, type Job, type JobResult } from './registry';

export const huddleReminder: Job = async (ctx, params, progress) => {
  const dir = await ctx.directory.view();
  const result: JobResult = { job: 'huddle-reminder', sent: 0, skipped: 0, failed: 0, details: [] };
  for (const { area, date } of areasAndDates(ctx, dir, params, result)) {
    const answered = new Set((await ctx.huddles.listForArea(area.id, date, date)).map((h) => h.homeId));
    const missing = dir.homesInArea(area.id).filter((h) => !answered.has(h.id));
    const form = await newHuddleForms(ctx, area.id, date);
    const card = (homeId: string) => huddleCard(form(dir.homes.get(homeId)!, `Reminder: today's huddle for ${dir.homes.get(homeId)!.name} has not been answered yet.`));
    const recipients = await managerRecipients(ctx, dir, missing, (home) => ({ card: card(home.id), summary: `Reminder: huddle for ${home.name}` }), result);
    addReport(result, await deliver(ctx, { job: 'huddle-reminder', area: area.id, date }, recipients, progress));
  }
  return result;
};
