/** Job `daily-summary`: the day's summary card to the area's linked support channel, posted once a day and updated in place by a later run. */
import { dailySummaryCard } from '../cards/daily-summary.card';
import { eventsOf } from '../app/notifications';
import { summariseDay } from '../domain/daily-summary';
import { reachOfPeople } from '../app/reach';
import { deliver } from '../delivery/deliver';
import { postedEarlier, updateInPlace } from '../delivery/update-in-place';
import { areasAndDates } from './huddle-recipients';
import { addReport, type Job, type JobResult } from './registry';

export const dailySummary: Job = async (ctx, params, progress) => {
  const dir = await ctx.directory.view();
  const result: JobResult = { job: 'daily-summary', sent: 0, skipped: 0, failed: 0, details: [] };
  for (const { area, date } of areasAndDates(ctx, dir, params, result)) {
    const link = await ctx.areaLinks.get(area.id);
    if (!link) {
      result.skipped++;
      result.details.push({ area: area.id, date, note: 'no support channel linked (use "link area" in the channel)' });
      continue;
    }
    // The managers the prompt could not reach are named as such: "not answered" alone would hide why.
    const reach = await reachOfPeople(ctx, dir.homesInArea(area.id).flatMap((h) => dir.managersOf(h.id)));
    const answers = await ctx.huddles.listForArea(area.id, date, date);
    const summary = summariseDay(dir.homesInArea(area.id), answers, dir, (email) => reach.get(email) ?? 'reachable');
    // Care Inspectorate notifications not recorded by summary time (§3): the team can prompt the home.
    const recorded = await ctx.notifications.listForArea(area.id, date, date);
    for (const h of answers) {
      const open = (await eventsOf(ctx, h)).filter((e) => !recorded.some((r) => r.homeId === h.homeId && r.kind === e.kind));
      if (open.length) summary.unnotified.push({ home: dir.homes.get(h.homeId)?.name ?? h.homeId, events: open.map((e) => e.label).join('; ') });
    }
    const card = dailySummaryCard(summary, area.name, date);
    result.details.push({ area: area.id, date, submitted: summary.submitted, expected: summary.expected, red: summary.red, amber: summary.amber, green: summary.green });
    const recipient = { key: `channel:${area.id}`, kind: 'channel' as const, conversationKey: link.conversationId, reference: link.reference, message: { card, ...(params.note ? { text: params.note } : {}), summary: `Huddle summary: ${summary.submitted} of ${summary.expected} answered` } };
    const occurrence = { job: 'daily-summary', area: area.id, date };
    // Re-run the same day: the channel's summary of that day is brought up to date, not posted again.
    const earlier = await postedEarlier(ctx, occurrence, recipient);
    if (earlier) {
      const outcome = await updateInPlace(ctx, occurrence, recipient, earlier);
      addReport(result, { sent: outcome.outcome === 'sent' ? 1 : 0, skipped: 0, stale: outcome.outcome === 'stale' ? 1 : 0, failed: outcome.outcome === 'failed' ? 1 : 0, outcomes: [outcome] });
      result.details.push({ area: area.id, date, outcome: outcome.outcome === 'sent' ? 'updated in place' : outcome.outcome, ...(outcome.status ? { status: outcome.status } : {}) });
      continue;
    }
    addReport(result, await deliver(ctx, occurrence, [recipient], progress));
  }
  return result;
};
