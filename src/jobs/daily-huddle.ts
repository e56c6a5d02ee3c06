/** Job `daily-huddle`: at each area's huddle time, every home's managers get the huddle card for that date. */
import { newHuddleForms } from '../app/huddle';
import { huddleCard } from '../cards/huddle.card';
import { deliver } from '../delivery/deliver';
import { areasAndDates, managerRecipients } from './huddle-recipients';
import { addReport, type Job, type JobResult } from './registry';

export const dailyHuddle: Job = async (ctx, params, progress) => {
  const dir = await ctx.directory.view();
  const result: JobResult = { job: 'daily-huddle', sent: 0, skipped: 0, failed: 0, details: [] };
  for (const { area, date } of areasAndDates(ctx, dir, params, result)) {
    const answered = new Set((await ctx.huddles.listForArea(area.id, date, date)).map((h) => h.homeId));
    const homes = dir.homesInArea(area.id).filter((h) => !answered.has(h.id));
    if (answered.size) result.details.push({ area: area.id, date, note: `${answered.size} ${answered.size === 1 ? 'home' : 'homes'} already answered` });
    const form = await newHuddleForms(ctx, area.id, date);
    const recipients = await managerRecipients(ctx, dir, homes, (home) => ({ card: huddleCard(form(home)), summary: `Daily safety huddle for ${home.name}` }), result);
    addReport(result, await deliver(ctx, { job: 'daily-huddle', area: area.id, date }, recipients, progress));
  }
  return result;
};
