/**
 * Care Inspectorate notification reminders (§3): the notifiable events of a huddle answer, which of them the home
 * has recorded as notified (their own rows, who and when), and recording one from the manager's summary card.
 */
import type { HuddleCardView, NotificationLine } from '../cards/huddle.card';
import type { AppContext } from '../context';
import { addDays, whenLabel } from '../domain/calendar';
import { isManagerOf, type Area, type DirectoryView, type Home } from '../domain/directory';
import { isNotifiableKind, notifiableEvents, notifiedWithAnswer, previousAnswerOf, type NotifiableEvent } from '../domain/notifiable';
import type { StoredHuddle } from '../storage/huddles.table';
import type { NotificationRecord } from '../storage/notifications.table';
import { done, refuse, type Asker, type CardData, type Outcome } from './outcome';

/** The home's answer at the huddle before this one (within a week), which says whether an outbreak is new. */
async function previousAnswer(ctx: AppContext, areaId: string, homeId: string, date: string): Promise<StoredHuddle | undefined> {
  return previousAnswerOf(await ctx.huddles.listForArea(areaId, addDays(date, -7), addDays(date, -1)), homeId, date);
}

/** The notifiable events of a stored answer. */
export async function eventsOf(ctx: AppContext, h: StoredHuddle): Promise<NotifiableEvent[]> {
  return notifiableEvents(h.answer, (await previousAnswer(ctx, h.areaId, h.homeId, h.date))?.answer);
}

const lineOf = (e: NotifiableEvent, rec: NotificationRecord | undefined, dir: DirectoryView, area: Area): NotificationLine => ({
  kind: e.kind,
  label: e.label,
  flagged: e.flagged,
  ...(rec ? { notified: rec.via === 'answer' ? 'Answered at the huddle as notified' : `Recorded as notified by ${dir.displayName(rec.by)} at ${whenLabel(rec.at, area.timezone)}` } : {}),
});

/** The summary card's lines: each event, and whether it is recorded as notified. */
export async function notificationLines(ctx: AppContext, dir: DirectoryView, area: Area, h: StoredHuddle): Promise<NotificationLine[]> {
  const events = await eventsOf(ctx, h);
  if (!events.length) return [];
  const records = (await ctx.notifications.listForArea(area.id, h.date, h.date)).filter((r) => r.homeId === h.homeId);
  return events.map((e) => lineOf(e, records.find((r) => r.kind === e.kind), dir, area));
}

/** An outbreak confirmed with "Care Inspectorate notified: yes" is recorded as notified when the answer is saved. */
export async function recordNotifiedWithAnswer(ctx: AppContext, h: StoredHuddle): Promise<void> {
  const events = await eventsOf(ctx, h);
  for (const kind of notifiedWithAnswer(h.answer)) {
    if (events.some((e) => e.kind === kind)) await ctx.notifications.record({ areaId: h.areaId, homeId: h.homeId, date: h.date, kind, by: h.answeredBy, at: h.answeredAt, via: 'answer' });
  }
}

/** notification.record: the manager records that an event of the answer was notified; the answer itself is not changed. */
export async function recordNotified(
  ctx: AppContext,
  { person, dir }: Asker,
  data: CardData,
  summary: (h: StoredHuddle, home: Home, area: Area, dir: DirectoryView) => Promise<HuddleCardView>,
): Promise<Outcome<HuddleCardView>> {
  if (!person) return refuse('NOTIFICATION.NOT_IN_DIRECTORY', "I can't find you in the directory, so I can't record this. Nothing was saved.");
  const home = typeof data.homeId === 'string' ? dir.homes.get(data.homeId) : undefined;
  if (!home) return refuse('NOTIFICATION.NO_SUCH_HOME', 'This card names no home in the directory. Nothing was saved.');
  if (!isManagerOf(person, home.id)) return refuse('NOTIFICATION.NOT_YOUR_HOME', `Only the managers of ${home.name} can record its notifications. Nothing was saved.`);
  const area = dir.areas.get(home.area)!;
  const date = typeof data.date === 'string' ? data.date : '';
  const stored = /^\d{4}-\d{2}-\d{2}$/.test(date) ? await ctx.huddles.get(area.id, date, home.id) : undefined;
  if (!stored) return refuse('NOTIFICATION.NO_ANSWER', 'There is no huddle answer for that day. Nothing was saved.');
  const kind = data.kind;
  const event = isNotifiableKind(kind) ? (await eventsOf(ctx, stored)).find((e) => e.kind === kind) : undefined;
  if (!event) return refuse('NOTIFICATION.NOT_AN_EVENT', 'That answer has no such event to notify. Nothing was saved.', await summary(stored, home, area, dir));
  const at = ctx.clock();
  const first = await ctx.notifications.record({ areaId: area.id, homeId: home.id, date, kind: event.kind, by: person.email, at: at.toISOString(), via: 'card' });
  if (first) {
    await ctx.audit.append({ entity: 'notification', entityId: `${home.id}/${date}/${event.kind}`, action: 'notified', by: person.email, at });
    ctx.log.info({ home: home.id, date, kind: event.kind, code: 'NOTIFICATION.RECORDED' }, 'Care Inspectorate notification recorded');
  }
  return done(await summary(stored, home, area, dir), first ? `Recorded: the Care Inspectorate was notified of ${event.label.toLowerCase()}.` : 'This was already recorded as notified.');
}
