/** Job `daily-summary`: the day's summary card to the area's linked support channel, posted once a day and updated in place by a later run. */
import { deliver } from '../delivery/deliver';
import { summaryOccurrence, summaryRecipient } from '../delivery/daily-summary';
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
    // The same rendering as a late concern's update in place (src/delivery/daily-summary.ts): the base card, no free text.
    const { summary, recipient } = await summaryRecipient(ctx, dir, area, date, link, params.note);
    result.details.push({ area: area.id, date, submitted: summary.submitted, expected: summary.expected, red: summary.red, amber: summary.amber, green: summary.green });
    const occurrence = summaryOccurrence(area.id, date);
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
