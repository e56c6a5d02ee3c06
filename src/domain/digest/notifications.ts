/**
 * Digest section: the Care Inspectorate notifications of the week (§3, §6). The notifiable events come from the
 * pure rule (`domain/notifiable.ts`: one a kind a home and day, an outbreak only when it is new since the huddle
 * before); an event is "notified" when the home recorded it (the `notifications` rows) or answered a confirmed
 * outbreak as notified. By home the counts keep the small-number rule (1–2 "fewer than 3", 0 none); the events
 * not recorded as notified are listed by home, day and kind — never with a count of people — so the chief officer
 * sees what to follow up.
 */
import { addDays } from '../calendar';
import { NOTIFIABLE, notifiableEvents, notifiedWithAnswer, type NotifiableKind } from '../notifiable';
import { suppressSmall } from './harm';
import type { DigestHomeInput, HuddleRow, NotificationRow } from './rows';
import type { DigestScope } from './scope';
import type { Digest, HomeDigest } from './types';

export interface NotifiableRecord {
  date: string;
  kind: NotifiableKind;
  /** an unexpected death, a confirmed outbreak, an adult-protection concern */
  flagged: boolean;
  notified: boolean;
}

/** The answer the rule reads, from a digest row (a column not stored reads as nothing to notify). */
const answerOf = (r: HuddleRow) => ({
  deaths: r.deaths ?? 0,
  unexpectedDeaths: r.unexpectedDeaths ?? 0,
  outbreakStatus: r.outbreakStatus ?? 'none',
  protectionConcern: r.protectionConcern === true,
  fallsWithHarm: r.fallsWithHarm ?? 0,
});

/** Each home's notifiable events of the week, and whether each is recorded as notified. */
export function notifiableByHome(s: DigestScope, homes: DigestHomeInput[], records: NotificationRow[]): Map<string, NotifiableRecord[]> {
  const recorded = new Set(records.map((r) => `${r.homeId}|${r.date}|${r.kind}`));
  const out = new Map<string, NotifiableRecord[]>();
  for (const h of homes) {
    const all = [...s.lastOf(h.id), ...s.thisOf(h.id)];
    const mine: NotifiableRecord[] = [];
    all.forEach((r, i) => {
      if (r.date < s.week.start) return;
      // the huddle before, as the manager's card reads it: the home's last answer in the 7 days before
      const before = all[i - 1] && all[i - 1].date >= addDays(r.date, -7) ? all[i - 1] : undefined;
      const withAnswer = notifiedWithAnswer({ outbreakStatus: r.outbreakStatus ?? 'none', careInspectorateNotified: r.careInspectorateNotified === true });
      for (const e of notifiableEvents(answerOf(r), before ? { outbreakStatus: before.outbreakStatus ?? 'none' } : undefined)) {
        mine.push({ date: r.date, kind: e.kind, flagged: e.flagged, notified: recorded.has(`${h.id}|${r.date}|${e.kind}`) || withAnswer.includes(e.kind) });
      }
    });
    out.set(h.id, mine);
  }
  return out;
}

/** A home's counts, under the small-number rule. */
export function homeNotifications(mine: NotifiableRecord[]): HomeDigest['notifications'] {
  const notified = mine.filter((e) => e.notified).length;
  return { events: suppressSmall(mine.length), notified: suppressSmall(notified), notYet: suppressSmall(mine.length - notified) };
}

export function notificationsSection(homes: DigestHomeInput[], byHome: Map<string, NotifiableRecord[]>): Digest['notifications'] {
  const all = homes.flatMap((h) => byHome.get(h.id) ?? []);
  const count = (rows: NotifiableRecord[]) => ({ events: rows.length, notified: rows.filter((e) => e.notified).length });
  const perHome = homes
    .map((h) => ({ h, mine: byHome.get(h.id) ?? [] }))
    .filter(({ mine }) => mine.length > 0)
    .map(({ h, mine }) => ({
      homeId: h.id,
      name: h.name,
      ...homeNotifications(mine),
      outstanding: mine.filter((e) => !e.notified).map(({ date, kind, flagged }) => ({ date, kind, flagged })),
    }))
    .sort((a, b) => b.outstanding.length - a.outstanding.length || a.name.localeCompare(b.name));
  const area = count(all);
  return {
    ...area,
    notYet: area.events - area.notified,
    byKind: NOTIFIABLE.map((kind) => ({ kind, ...count(all.filter((e) => e.kind === kind)) })).filter((k) => k.events > 0),
    homes: perHome,
  };
}
