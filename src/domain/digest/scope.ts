/** The rows a digest reads, scoped once: the area's homes, the week and the week before, grouped by home. */
import { expectedDates } from '../completion';
import type { DigestInput, HuddleRow } from './rows';
import { digestWeekFor, type DigestWeek } from './week';

export interface DigestScope {
  week: DigestWeek;
  previous: DigestWeek;
  /** the huddle days of the week, and of the week before */
  expected: string[];
  previousExpected: string[];
  isKnown: (homeId: string) => boolean;
  nameOf: (homeId: string) => string;
  thisWeek: HuddleRow[];
  lastWeek: HuddleRow[];
  /** a home's answers of the week (or of the week before), in date order */
  thisOf: (homeId: string) => HuddleRow[];
  lastOf: (homeId: string) => HuddleRow[];
}

export const sum = <T>(rows: T[], pick: (r: T) => number | undefined): number => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);

/** Grouped once, so the cost grows linearly with homes × days. */
export function byHome<T extends { homeId: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) (m.get(r.homeId) ?? m.set(r.homeId, []).get(r.homeId)!).push(r);
  return m;
}

export function scopeOf(input: DigestInput): DigestScope {
  const { area, homes } = input;
  const { week, previous } = digestWeekFor(input.sendDate, area.timezone);
  const names = new Map(homes.map((h) => [h.id, h.name]));
  const known = input.huddles.filter((r) => names.has(r.homeId));
  const thisWeek = known.filter((r) => r.date >= week.start && r.date <= week.end);
  const lastWeek = known.filter((r) => r.date >= previous.start && r.date <= previous.end);
  const inDateOrder = (m: Map<string, HuddleRow[]>) => {
    for (const rows of m.values()) rows.sort((a, b) => a.date.localeCompare(b.date));
    return m;
  };
  const thisByHome = inDateOrder(byHome(thisWeek));
  const lastByHome = inDateOrder(byHome(lastWeek));
  return {
    week,
    previous,
    expected: expectedDates(week.dates, area.huddleDays),
    previousExpected: expectedDates(previous.dates, area.huddleDays),
    isKnown: (id) => names.has(id),
    nameOf: (id) => names.get(id) ?? id,
    thisWeek,
    lastWeek,
    thisOf: (id) => thisByHome.get(id) ?? [],
    lastOf: (id) => lastByHome.get(id) ?? [],
  };
}
