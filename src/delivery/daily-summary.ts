/**
 * The day's summary of an area, read from what is stored now: one function for the `daily-summary` job's post, the
 * `daily-summary` send intent (a late answer with a concern: the channel's message updated in place) and the
 * summary.refresh view. The channel is always sent the base card; the support view is the viewer's own answer.
 */
import { dailySummaryCard } from '../cards/daily-summary.card';
import type { AppContext } from '../context';
import { addDays } from '../domain/calendar';
import { summariseDay, type DaySummary } from '../domain/daily-summary';
import type { Area, DirectoryView } from '../domain/directory';
import { reachOfPeople } from '../app/reach';
import { notifiableEvents, outbreakActive, previousAnswerOf } from '../domain/notifiable';
import type { AreaLink } from '../storage/arealinks.table';
import { refreshUserIds } from './refresh-users';
import type { DeliveryOutcome, OccurrenceId, Recipient } from './types';
import { postedEarlier, updateInPlace } from './update-in-place';

/** The job occurrence whose delivery row remembers the channel message of an area's day. */
export const summaryOccurrence = (areaId: string, date: string): OccurrenceId => ({ job: 'daily-summary', area: areaId, date });
const channelKey = (areaId: string) => `channel:${areaId}`;

/**
 * The day's summary as stored now: counts, reds, who has not answered (and whether the prompt reached them), the
 * Care Inspectorate notifications not recorded by now, and each answer's concern (free text: the card builder shows
 * it in the support view only).
 */
export async function daySummaryOf(ctx: AppContext, dir: DirectoryView, area: Area, date: string): Promise<DaySummary> {
  const homes = dir.homesInArea(area.id);
  // The day first; the week before only when an answer has an outbreak (notifiable only when new since the last huddle).
  const answers = await ctx.huddles.listForArea(area.id, date, date);
  const week = answers.some((h) => outbreakActive(h.answer)) ? await ctx.huddles.listForArea(area.id, addDays(date, -7), addDays(date, -1)) : [];
  const byHome = new Map(answers.map((h) => [h.homeId, h]));
  // The managers the prompt could not reach are named as such: "not answered" alone would hide why. Only the managers
  // of homes not answered are looked up (at 1,000 homes, a read each, 16 at a time), not every manager.
  const reach = await reachOfPeople(ctx, homes.filter((h) => !byHome.has(h.id)).flatMap((h) => dir.managersOf(h.id)));
  const summary = summariseDay(
    homes,
    answers.map((h) => ({ homeId: h.homeId, rag: h.rag, reasons: h.reasons, concern: h.answer.concern ?? '', answeredAt: h.answeredAt })),
    dir,
    (email) => reach.get(email) ?? 'reachable',
  );
  // Care Inspectorate notifications not recorded yet (§3): the team can prompt the home.
  const recorded = await ctx.notifications.listForArea(area.id, date, date);
  for (const home of homes) {
    const h = byHome.get(home.id);
    if (!h) continue;
    const events = notifiableEvents(h.answer, previousAnswerOf(week, h.homeId, date)?.answer);
    const open = events.filter((e) => !recorded.some((r) => r.homeId === h.homeId && r.kind === e.kind));
    if (open.length) summary.unnotified.push({ home: home.name, events: open.map((e) => e.label).join('; ') });
  }
  return summary;
}

/** The channel's message of the day (the base card, refreshing for the area's support team and approvers), as its recipient. */
export async function summaryRecipient(ctx: AppContext, dir: DirectoryView, area: Area, date: string, link: AreaLink, note?: string): Promise<{ summary: DaySummary; recipient: Recipient }> {
  const summary = await daySummaryOf(ctx, dir, area, date);
  const card = dailySummaryCard({ summary, area, date, asOf: ctx.clock().toISOString() }, await refreshUserIds(ctx, dir, area.id));
  const message = { card, ...(note ? { text: note } : {}), summary: `Huddle summary: ${summary.submitted} of ${summary.expected} answered` };
  return { summary, recipient: { key: channelKey(area.id), kind: 'channel', conversationKey: link.conversationId, reference: link.reference, message } };
}

/**
 * The `daily-summary` send intent: the channel's summary of that day brought up to date in place, rendered from the
 * data as it is now. Nothing to do (undefined) when the day's summary is not posted yet (the job's post will count the
 * answer) or the area has no channel.
 */
export async function updatePostedSummary(ctx: AppContext, areaId: string, date: string): Promise<DeliveryOutcome | undefined> {
  const dir = await ctx.directory.view();
  const area = dir.areas.get(areaId);
  const link = area ? await ctx.areaLinks.get(area.id) : undefined;
  if (!area || !link) return undefined;
  const occurrence = summaryOccurrence(area.id, date);
  const earlier = await postedEarlier(ctx, occurrence, { key: channelKey(area.id), conversationKey: link.conversationId });
  if (!earlier) return undefined;
  const { recipient } = await summaryRecipient(ctx, dir, area, date, link);
  return updateInPlace(ctx, occurrence, recipient, earlier);
}
