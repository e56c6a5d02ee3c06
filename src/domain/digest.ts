/**
 * The weekly digest of one area (§6): computed from plain rows of huddle answers, escalations and
 * plan actions, for the Monday-to-Sunday week and the week before. Pure: no storage, no clock.
 */
import { completionRate, expectedDates } from './digest-completion';
import { digestWeekFor, inWeek, type DigestWeek } from './digest-week';
import type { Weekday } from './directory';

export type Rag = 'green' | 'amber' | 'red';
export type OutbreakStatus = 'none' | 'suspected' | 'confirmed' | 'closing';

export interface DigestAreaInput {
  id: string;
  name: string;
  timezone: string;
  huddleDays: readonly Weekday[];
}

export interface DigestHomeInput {
  id: string;
  name: string;
  registeredPlaces: number;
}

/** One stored huddle answer; the free-text `concern` is deliberately not part of it. */
export interface HuddleRow {
  homeId: string;
  date: string;
  rag: Rag;
  reasons: string[];
  residents?: number;
  bedsAvailable?: number;
  bedsClosed?: number;
  bedsClosedReason?: string;
  staffingRag?: Rag;
  shiftsUnfilled?: number;
  agencyShifts?: number;
  nurseCoverGap?: boolean;
  outbreakStatus?: OutbreakStatus;
  newCasesResidents?: number;
  newCasesStaff?: number;
  careInspectorateNotified?: boolean;
  fallsWithHarm?: number;
  newPressureUlcers?: number;
  deaths?: number;
  unexpectedDeaths?: number;
}

/** A change of an escalation's state (from the audit log, or from the row's own time columns). */
export interface EscalationEvent {
  from?: string;
  to: string;
  at: string;
  pathway?: string;
}

export interface EscalationRow {
  id: string;
  homeId: string;
  state: string;
  openedAt: string;
  owner?: string;
  pathway?: string;
  events: EscalationEvent[];
}

export interface ActionRow {
  homeId: string;
  theme: number;
  number: string;
  status: 'open' | 'completed';
  onTarget: boolean;
  dueDate: string;
  completedAt?: string;
}

export interface DigestInput {
  area: DigestAreaInput;
  homes: DigestHomeInput[];
  /** the day the digest is sent (YYYY-MM-DD, area time zone) */
  sendDate: string;
  /** answers of the week and of the week before */
  huddles: HuddleRow[];
  escalations: EscalationRow[];
  actions: ActionRow[];
}

/** A home-level count of harm: below 3 it is not shown as a number (§6). */
export type SmallCount = number | 'fewer than 3';
export const FEWER_THAN_3 = 'fewer than 3' as const;
export const suppressSmall = (n: number): SmallCount => (n < 3 ? FEWER_THAN_3 : n);

export interface Harm {
  fallsWithHarm: number;
  newPressureUlcers: number;
  deaths: number;
  unexpectedDeaths: number;
}

export type DayMark = Rag | 'missing' | 'not-expected';

export interface HomeDigest {
  homeId: string;
  name: string;
  submitted: number;
  expected: number;
  rate?: number;
  previousRate?: number;
  missed: number;
  days: { date: string; mark: DayMark }[];
  green: number;
  amber: number;
  red: number;
  reds: { date: string; reasons: string[] }[];
  harm: { fallsWithHarm: SmallCount; newPressureUlcers: SmallCount; deaths: SmallCount; unexpectedDeaths: SmallCount };
  staffingAmberRedDays: number;
  agencyShifts: number;
  shiftsUnfilled: number;
  nurseCoverGapDays: number;
  /** as at the home's last answer of the week */
  latest?: { date: string; bedsAvailable: number; bedsClosed: number; bedsClosedReason?: string; residents: number; outbreakStatus: OutbreakStatus };
  openEscalation?: OpenEscalation;
  actions: { green: number; amber: number; red: number; overdue: number };
}

export interface OpenEscalation {
  id: string;
  homeId: string;
  homeName: string;
  state: string;
  owner?: string;
  /** whole days from opening to the end of the week */
  ageDays: number;
}

export interface Digest {
  area: { id: string; name: string };
  week: DigestWeek;
  previous: DigestWeek;
  completion: { submitted: number; expected: number; rate?: number; previousSubmitted: number; previousExpected: number; previousRate?: number; changePoints?: number };
  homesMissing2: { homeId: string; name: string; missed: number }[];
  ragByDay: { date: string; green: number; amber: number; red: number; missing: number }[];
  homesRed: { homeId: string; name: string; days: number }[];
  reds: { homeId: string; name: string; date: string; reasons: string[] }[];
  escalations: { opened: number; escalated: number; escalatedByPathway: { pathway: string; count: number }[]; rejected: number; closed: number; open: OpenEscalation[] };
  outbreaks: {
    new: string[];
    open: { homeId: string; name: string; status: OutbreakStatus }[];
    closing: string[];
    /** homes with a confirmed outbreak this week, and whether the Care Inspectorate was notified */
    confirmed: { homeId: string; name: string; notified: boolean }[];
    newCasesResidents: number;
    newCasesStaff: number;
  };
  staffing: { homesAmberRed3: { homeId: string; name: string; days: number }[]; agencyShifts: number; previousAgencyShifts: number; shiftsUnfilled: number; previousShiftsUnfilled: number; nurseCoverGapDays: number };
  beds: { available: number; closed: number; closedByReason: { reason: string; count: number }[]; residents: number; places: number; occupancy?: number };
  harm: Harm;
  previousHarm: Harm;
  actions: {
    total: number;
    byRag: { green: number; amber: number; red: number };
    byTheme: { theme: number; green: number; amber: number; red: number }[];
    overdue: { homeId: string; name: string; number: string; dueDate: string }[];
    completedThisWeek: number;
  };
  homes: HomeDigest[];
}

const sum = (rows: HuddleRow[], pick: (r: HuddleRow) => number | undefined) => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);
const harmOf = (rows: HuddleRow[]): Harm => ({
  fallsWithHarm: sum(rows, (r) => r.fallsWithHarm),
  newPressureUlcers: sum(rows, (r) => r.newPressureUlcers),
  deaths: sum(rows, (r) => r.deaths),
  unexpectedDeaths: sum(rows, (r) => r.unexpectedDeaths),
});
const isActive = (s: OutbreakStatus | undefined) => s === 'suspected' || s === 'confirmed';
const days = (fromIso: string, toIso: string) => Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000));

/** An escalation's state at an instant: the last change before it, else its current state. */
function stateAt(e: EscalationRow, until: string): string | undefined {
  if (Date.parse(e.openedAt) >= Date.parse(until)) return undefined;
  const sorted = [...e.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const before = sorted.filter((v) => Date.parse(v.at) < Date.parse(until));
  if (before.length) return before[before.length - 1].to;
  // Only later changes are known: the first one says what it moved from.
  return sorted.length ? (sorted[0].from ?? 'open') : e.state;
}

type ActionView = { row: ActionRow; rag: Rag; overdue: boolean; completedThisWeek: boolean };

/** §5 RAG as at the end of the week: green completed; red past due or not on target; amber otherwise. */
function viewAction(a: ActionRow, week: DigestWeek): ActionView {
  const completed = a.status === 'completed' && (!a.completedAt || Date.parse(a.completedAt) < Date.parse(week.until));
  const overdue = !completed && a.dueDate <= week.end;
  return { row: a, rag: completed ? 'green' : overdue || !a.onTarget ? 'red' : 'amber', overdue, completedThisWeek: completed && inWeek(a.completedAt, week) };
}

export function computeDigest(input: DigestInput): Digest {
  const { area, homes } = input;
  const { week, previous } = digestWeekFor(input.sendDate, area.timezone);
  const expected = expectedDates(week.dates, area.huddleDays);
  const previousExpected = expectedDates(previous.dates, area.huddleDays);
  const names = new Map(homes.map((h) => [h.id, h.name]));
  const nameOf = (id: string) => names.get(id) ?? id;

  const known = input.huddles.filter((r) => names.has(r.homeId));
  const thisWeek = known.filter((r) => r.date >= week.start && r.date <= week.end);
  const lastWeek = known.filter((r) => r.date >= previous.start && r.date <= previous.end);
  // Grouped once, so the cost grows linearly with homes × days.
  const group = <T extends { homeId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) (m.get(r.homeId) ?? m.set(r.homeId, []).get(r.homeId)!).push(r);
    return m;
  };
  const byDateOrder = (a: HuddleRow, b: HuddleRow) => a.date.localeCompare(b.date);
  const thisByHome = group(thisWeek);
  const lastByHome = group(lastWeek);
  const rowsOf = (m: Map<string, HuddleRow[]>, homeId: string) => (m.get(homeId) ?? []).slice().sort(byDateOrder);
  const submittedOn = (rows: HuddleRow[], dates: string[]) => new Set(rows.filter((r) => dates.includes(r.date)).map((r) => `${r.homeId}|${r.date}`)).size;

  const actionViews = input.actions.filter((a) => names.has(a.homeId)).map((a) => viewAction(a, week));
  const openEscalations: OpenEscalation[] = input.escalations
    .filter((e) => names.has(e.homeId))
    .flatMap((e) => {
      const state = stateAt(e, week.until);
      if (!state || state === 'closed') return [];
      return [{ id: e.id, homeId: e.homeId, homeName: nameOf(e.homeId), state, ...(e.owner ? { owner: e.owner } : {}), ageDays: days(e.openedAt, week.until) }];
    })
    .sort((a, b) => b.ageDays - a.ageDays);

  const actionsByHome = new Map<string, ActionView[]>();
  for (const a of actionViews) (actionsByHome.get(a.row.homeId) ?? actionsByHome.set(a.row.homeId, []).get(a.row.homeId)!).push(a);
  const openByHome = new Map(openEscalations.map((e) => [e.homeId, e]));

  const homeDigests: HomeDigest[] = homes.map((h) => {
    const mine = rowsOf(thisByHome, h.id);
    const before = rowsOf(lastByHome, h.id);
    const byDate = new Map(mine.map((r) => [r.date, r]));
    const submitted = expected.filter((d) => byDate.has(d)).length;
    const beforeDates = new Set(before.map((r) => r.date));
    const prevSubmitted = previousExpected.filter((d) => beforeDates.has(d)).length;
    const last = mine[mine.length - 1];
    const harm = harmOf(mine);
    const actions = actionsByHome.get(h.id) ?? [];
    const openEsc = openByHome.get(h.id);
    const rate = completionRate(submitted, expected.length);
    const previousRate = completionRate(prevSubmitted, previousExpected.length);
    return {
      homeId: h.id,
      name: h.name,
      submitted,
      expected: expected.length,
      ...(rate !== undefined ? { rate } : {}),
      ...(previousRate !== undefined ? { previousRate } : {}),
      missed: expected.length - submitted,
      days: week.dates.map((date) => ({ date, mark: byDate.get(date)?.rag ?? (expected.includes(date) ? 'missing' : 'not-expected') })),
      green: mine.filter((r) => r.rag === 'green').length,
      amber: mine.filter((r) => r.rag === 'amber').length,
      red: mine.filter((r) => r.rag === 'red').length,
      reds: mine.filter((r) => r.rag === 'red').map((r) => ({ date: r.date, reasons: r.reasons })),
      harm: { fallsWithHarm: suppressSmall(harm.fallsWithHarm), newPressureUlcers: suppressSmall(harm.newPressureUlcers), deaths: suppressSmall(harm.deaths), unexpectedDeaths: suppressSmall(harm.unexpectedDeaths) },
      staffingAmberRedDays: mine.filter((r) => r.staffingRag === 'amber' || r.staffingRag === 'red').length,
      agencyShifts: sum(mine, (r) => r.agencyShifts),
      shiftsUnfilled: sum(mine, (r) => r.shiftsUnfilled),
      nurseCoverGapDays: mine.filter((r) => r.nurseCoverGap).length,
      ...(last
        ? {
            latest: {
              date: last.date,
              bedsAvailable: last.bedsAvailable ?? 0,
              bedsClosed: last.bedsClosed ?? 0,
              ...(last.bedsClosed && last.bedsClosedReason ? { bedsClosedReason: last.bedsClosedReason } : {}),
              residents: last.residents ?? 0,
              outbreakStatus: last.outbreakStatus ?? 'none',
            },
          }
        : {}),
      ...(openEsc ? { openEscalation: openEsc } : {}),
      actions: {
        green: actions.filter((a) => a.rag === 'green').length,
        amber: actions.filter((a) => a.rag === 'amber').length,
        red: actions.filter((a) => a.rag === 'red').length,
        overdue: actions.filter((a) => a.overdue).length,
      },
    };
  });

  const submitted = submittedOn(thisWeek, expected);
  const expectedHomeDays = homes.length * expected.length;
  const previousSubmitted = submittedOn(lastWeek, previousExpected);
  const previousExpectedHomeDays = homes.length * previousExpected.length;
  const rate = completionRate(submitted, expectedHomeDays);
  const previousRate = completionRate(previousSubmitted, previousExpectedHomeDays);

  // Outbreaks: "new" when suspected/confirmed follows an answer without one (or no earlier answer).
  const newOutbreaks: string[] = [];
  const confirmed: Digest['outbreaks']['confirmed'] = [];
  for (const h of homes) {
    const all = [...rowsOf(lastByHome, h.id), ...rowsOf(thisByHome, h.id)];
    const started = all.some((r, i) => r.date >= week.start && isActive(r.outbreakStatus) && !isActive(all[i - 1]?.outbreakStatus));
    if (started) newOutbreaks.push(h.name);
    const conf = all.filter((r) => r.date >= week.start && r.outbreakStatus === 'confirmed');
    if (conf.length) confirmed.push({ homeId: h.id, name: h.name, notified: conf.some((r) => r.careInspectorateNotified === true) });
  }

  const latestRows = homeDigests.filter((h) => h.latest);
  const closedByReason = new Map<string, number>();
  for (const h of latestRows) if (h.latest!.bedsClosed > 0) closedByReason.set(h.latest!.bedsClosedReason ?? 'other', (closedByReason.get(h.latest!.bedsClosedReason ?? 'other') ?? 0) + h.latest!.bedsClosed);
  const placesOf = new Map(homes.map((h) => [h.id, h.registeredPlaces]));
  const places = latestRows.reduce((n, h) => n + (placesOf.get(h.homeId) ?? 0), 0);
  const residents = latestRows.reduce((n, h) => n + h.latest!.residents, 0);

  const escEvents = input.escalations.filter((e) => names.has(e.homeId)).flatMap((e) => e.events.filter((v) => inWeek(v.at, week)).map((v) => ({ e, v })));
  const byPathway = new Map<string, number>();
  for (const { e, v } of escEvents.filter(({ v }) => v.to === 'escalated')) {
    const p = v.pathway ?? e.pathway ?? 'not recorded';
    byPathway.set(p, (byPathway.get(p) ?? 0) + 1);
  }

  return {
    area: { id: area.id, name: area.name },
    week,
    previous,
    completion: {
      submitted,
      expected: expectedHomeDays,
      ...(rate !== undefined ? { rate } : {}),
      previousSubmitted,
      previousExpected: previousExpectedHomeDays,
      ...(previousRate !== undefined ? { previousRate } : {}),
      ...(rate !== undefined && previousRate !== undefined ? { changePoints: Math.round((rate - previousRate) * 1000) / 10 } : {}),
    },
    homesMissing2: homeDigests.filter((h) => h.missed >= 2).map((h) => ({ homeId: h.homeId, name: h.name, missed: h.missed })),
    ragByDay: week.dates.map((date) => {
      const i = week.dates.indexOf(date);
      const marks = homeDigests.map((h) => h.days[i].mark);
      return { date, green: marks.filter((m) => m === 'green').length, amber: marks.filter((m) => m === 'amber').length, red: marks.filter((m) => m === 'red').length, missing: marks.filter((m) => m === 'missing').length };
    }),
    homesRed: homeDigests.filter((h) => h.red > 0).map((h) => ({ homeId: h.homeId, name: h.name, days: h.red })),
    reds: thisWeek
      .filter((r) => r.rag === 'red')
      .sort((a, b) => a.date.localeCompare(b.date) || nameOf(a.homeId).localeCompare(nameOf(b.homeId)))
      .map((r) => ({ homeId: r.homeId, name: nameOf(r.homeId), date: r.date, reasons: r.reasons })),
    escalations: {
      opened: input.escalations.filter((e) => names.has(e.homeId) && inWeek(e.openedAt, week)).length,
      escalated: escEvents.filter(({ v }) => v.to === 'escalated').length,
      escalatedByPathway: [...byPathway].map(([pathway, count]) => ({ pathway, count })).sort((a, b) => a.pathway.localeCompare(b.pathway)),
      rejected: escEvents.filter(({ v }) => v.from === 'awaiting-approval' && v.to === 'local-support').length,
      closed: escEvents.filter(({ v }) => v.to === 'closed').length,
      open: openEscalations,
    },
    outbreaks: {
      new: newOutbreaks,
      open: latestRows.filter((h) => isActive(h.latest!.outbreakStatus)).map((h) => ({ homeId: h.homeId, name: h.name, status: h.latest!.outbreakStatus })),
      closing: latestRows.filter((h) => h.latest!.outbreakStatus === 'closing').map((h) => h.name),
      confirmed,
      newCasesResidents: sum(thisWeek, (r) => r.newCasesResidents),
      newCasesStaff: sum(thisWeek, (r) => r.newCasesStaff),
    },
    staffing: {
      homesAmberRed3: homeDigests.filter((h) => h.staffingAmberRedDays >= 3).map((h) => ({ homeId: h.homeId, name: h.name, days: h.staffingAmberRedDays })),
      agencyShifts: sum(thisWeek, (r) => r.agencyShifts),
      previousAgencyShifts: sum(lastWeek, (r) => r.agencyShifts),
      shiftsUnfilled: sum(thisWeek, (r) => r.shiftsUnfilled),
      previousShiftsUnfilled: sum(lastWeek, (r) => r.shiftsUnfilled),
      nurseCoverGapDays: thisWeek.filter((r) => r.nurseCoverGap).length,
    },
    beds: {
      available: latestRows.reduce((n, h) => n + h.latest!.bedsAvailable, 0),
      closed: latestRows.reduce((n, h) => n + h.latest!.bedsClosed, 0),
      closedByReason: [...closedByReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => a.reason.localeCompare(b.reason)),
      residents,
      places,
      ...(places > 0 ? { occupancy: residents / places } : {}),
    },
    harm: harmOf(thisWeek),
    previousHarm: harmOf(lastWeek),
    actions: {
      total: actionViews.length,
      byRag: {
        green: actionViews.filter((a) => a.rag === 'green').length,
        amber: actionViews.filter((a) => a.rag === 'amber').length,
        red: actionViews.filter((a) => a.rag === 'red').length,
      },
      byTheme: [1, 2, 3, 4, 5, 6].map((theme) => {
        const t = actionViews.filter((a) => a.row.theme === theme);
        return { theme, green: t.filter((a) => a.rag === 'green').length, amber: t.filter((a) => a.rag === 'amber').length, red: t.filter((a) => a.rag === 'red').length };
      }),
      overdue: actionViews
        .filter((a) => a.overdue)
        .sort((a, b) => a.row.dueDate.localeCompare(b.row.dueDate))
        .map((a) => ({ homeId: a.row.homeId, name: nameOf(a.row.homeId), number: a.row.number, dueDate: a.row.dueDate })),
      completedThisWeek: actionViews.filter((a) => a.completedThisWeek).length,
    },
    homes: homeDigests,
  };
}
