/** The weekly digest card: a computed Digest worded for a chief officer, bound to cards/digest.json. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { DateTime } from 'luxon';
import type { DayMark, Digest, HomeDigest, NotifiableHome, SmallCount } from '../domain/digest';

export interface Fact {
  title: string;
  value: string;
}
interface Line {
  line: string;
}

/** Everything the template binds; all text, worded here so the template holds no logic but layout. */
export interface DigestCardData {
  title: string;
  period: string;
  summary: string;
  headline: { completion: string; completionLabel: string; completionChange: string; missing: string; notifications: string; homesRed: string; openEscalations: string; overdueActions: string };
  /** one bar a day, its homes stacked by RAG: no numeric axis, so no half homes */
  ragChart: { title: string; data: { legend: string; value: number; color: string }[] }[];
  ragByDayFacts: Fact[];
  /** the slices with actions in them, Green first: an all-green donut has one green slice and one legend line */
  actionsChart: { legend: string; value: number; color: string }[];
  hasActionsChart: boolean;
  actionsByRagFacts: Fact[];
  reds: Line[];
  escalationFacts: Fact[];
  openEscalations: Line[];
  outbreakFacts: Fact[];
  staffingFacts: Fact[];
  bedsFacts: Fact[];
  harmFacts: Fact[];
  harmNote: string;
  /** Care Inspectorate notifications: the area's totals and kinds, one line a home with an event (not notified first) */
  notificationFacts: Fact[];
  notificationHomes: Line[];
  notificationNote: string;
  actionFacts: Fact[];
  actionsByThemeFacts: Fact[];
  overdueActions: Line[];
  /** homes that need a look, most concerning first; the quiet ones are named in one line */
  homes: { elementId: string; name: string; summary: string; facts: Fact[] }[];
  quietHomes: string;
  homesNote: string;
}

/** Teams refuses a card over about 28 KB; keep a margin for the activity around it. */
export const CARD_LIMIT_CHARS = 26_000;

const isQuiet = (h: HomeDigest) =>
  h.notifications.notYet === 0 &&
  h.red === 0 && h.amber === 0 && h.missed === 0 && !h.openEscalation && h.actions.overdue === 0 && (h.latest?.outbreakStatus ?? 'none') === 'none';
const concern = (h: HomeDigest) => h.red * 100 + h.missed * 10 + h.amber;

export const THEMES: Record<number, string> = {
  1: 'Supporting people’s well-being',
  2: 'Leadership and management',
  3: 'Staff team',
  4: 'Environment',
  5: 'Care planning and support',
  6: 'Infection prevention, control and safety',
};

const PATHWAYS: Record<string, string> = {
  'care-inspectorate': 'Care Inspectorate',
  'adult-protection': 'Adult protection',
  'large-scale-investigation': 'Large-scale investigation',
  'national-return': 'National return',
};
const STATES: Record<string, string> = {
  open: 'Open',
  'local-support': 'Local support',
  'awaiting-approval': 'Awaiting approval',
  escalated: 'Escalated',
  closed: 'Closed',
};
const MARKS: Record<DayMark, string> = { green: 'Green', amber: 'Amber', red: 'Red', missing: 'Not answered', 'not-expected': 'No huddle' };

const day = (iso: string) => DateTime.fromISO(iso).toFormat('ccc d LLL');
const shortDay = (iso: string) => DateTime.fromISO(iso).toFormat('ccc d');
const pct = (rate: number | undefined) => (rate === undefined ? 'n/a' : `${Math.round(rate * 100)}%`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** A home-level count: a zero as none, 1–2 already "fewer than 3" (§6). */
const shown = (n: SmallCount) => (n === 0 ? 'none' : String(n));
const listOr = (items: string[], none: string) => (items.length ? items.join(', ') : none);

const KINDS: Record<string, { one: string; many: string }> = {
  death: { one: 'death', many: 'Deaths' },
  outbreak: { one: 'new outbreak', many: 'New outbreaks' },
  protection: { one: 'adult-protection concern', many: 'Adult-protection concerns' },
  fall: { one: 'fall with harm', many: 'Falls with harm' },
};
const kindOne = (k: string) => KINDS[k]?.one ?? k;

/** "events fewer than 3 · recorded as notified none · not recorded fewer than 3" (§6: home-level counts). */
const notificationCounts = (n: { events: SmallCount; notified: SmallCount; notYet: SmallCount }) =>
  `notifiable events ${shown(n.events)} · recorded as notified ${shown(n.notified)} · not recorded ${shown(n.notYet)}`;

/** One line a home: its counts, and each event not recorded as notified by kind and day (⚠ an unexpected death, a confirmed outbreak, a protection concern). */
const notificationLine = (h: NotifiableHome): Line => ({
  line: `${h.name}: ${notificationCounts(h)}${h.outstanding.length ? `. Not recorded as notified: ${h.outstanding.map((e) => `${e.flagged ? '⚠ ' : ''}${kindOne(e.kind)} (${day(e.date)})`).join(', ')}` : ''}`,
});

function notificationHeadline(n: Digest['notifications']): string {
  if (!n.events) return 'Care Inspectorate: no notifiable events this week.';
  const homes = n.homes.filter((h) => h.outstanding.length).map((h) => h.name);
  return `Care Inspectorate: ${plural(n.events, 'notifiable event')}, ${n.notified} recorded as notified${n.notYet ? `; not recorded yet at ${clip(homes.join(', '), 300)}` : ', all of them'}.`;
}

function change(d: Digest): string {
  const c = d.completion;
  if (c.changePoints === undefined) return 'No comparison with the week before.';
  const before = `the week before (${pct(c.previousRate)}, ${c.previousSubmitted} of ${c.previousExpected})`;
  if (c.changePoints === 0) return `Same as ${before}.`;
  return `${c.changePoints > 0 ? 'Up' : 'Down'} ${Math.abs(c.changePoints)} points on ${before}.`;
}

/** "Mon 16 Nov, Tue 17 Nov: reasons | Fri 20 Nov: other reasons" — days with the same reasons together. */
function redDaysByReasons(reds: HomeDigest['reds']): string {
  const groups = new Map<string, string[]>();
  for (const r of reds) {
    const key = r.reasons.join('; ') || 'no reason recorded';
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(day(r.date));
  }
  return [...groups].map(([reasons, days]) => `${days.join(', ')}: ${reasons}`).join(' | ');
}

function homeFacts(h: HomeDigest, personName: (email: string) => string): Fact[] {
  const l = h.latest;
  const e = h.openEscalation;
  return [
    { title: 'Huddles', value: `${h.submitted} of ${h.expected} answered (${pct(h.rate)}; week before ${pct(h.previousRate)})` },
    { title: 'Days', value: h.days.map((x) => `${DateTime.fromISO(x.date).toFormat('ccc')} ${MARKS[x.mark]}`).join(' · ') },
    { title: 'Reds', value: h.reds.length ? redDaysByReasons(h.reds) : 'None' },
    { title: 'Staffing', value: `amber or red on ${plural(h.staffingAmberRedDays, 'day')} · agency shifts ${h.agencyShifts} · unfilled shifts ${h.shiftsUnfilled}${h.nurseCoverGapDays ? ` · no registered nurse on a shift on ${plural(h.nurseCoverGapDays, 'day')}` : ''}` },
    { title: 'Beds', value: l ? `${l.bedsAvailable} available · ${l.bedsClosed} closed${l.bedsClosedReason ? ` (${l.bedsClosedReason})` : ''} · ${l.residents} residents (as at ${day(l.date)})` : 'No answer this week' },
    { title: 'Outbreak', value: l ? (l.outbreakStatus === 'none' ? 'None' : l.outbreakStatus[0].toUpperCase() + l.outbreakStatus.slice(1)) : 'No answer this week' },
    { title: 'Harm', value: !h.submitted && !l ? 'No answers this week' : `falls with harm ${shown(h.harm.fallsWithHarm)} · new pressure ulcers ${shown(h.harm.newPressureUlcers)} · deaths ${shown(h.harm.deaths)} · unexpected deaths ${shown(h.harm.unexpectedDeaths)}` },
    { title: 'Care Inspectorate', value: h.notifications.events === 0 ? 'No notifiable events' : notificationCounts(h.notifications) },
    { title: 'Escalation', value: e ? `${STATES[e.state] ?? e.state}, ${e.owner ? `owner ${personName(e.owner)}` : 'no owner'}, open ${plural(e.ageDays, 'day')}` : 'None open' },
    { title: 'Actions', value: `Red ${h.actions.red} · Amber ${h.actions.amber} · Green ${h.actions.green} · overdue ${h.actions.overdue}` },
  ];
}

/** One line a home: the days it was red and every reason given, so a long week stays readable. */
function redsByHome(d: Digest): Line[] {
  const byHome = new Map<string, { name: string; dates: string[]; reasons: Set<string> }>();
  for (const r of d.reds) {
    const entry = byHome.get(r.homeId) ?? byHome.set(r.homeId, { name: r.name, dates: [], reasons: new Set() }).get(r.homeId)!;
    entry.dates.push(r.date);
    r.reasons.forEach((x) => entry.reasons.add(x));
  }
  return [...byHome.values()]
    .sort((a, b) => b.dates.length - a.dates.length || a.name.localeCompare(b.name))
    .map((h) => ({ line: `${h.name}, Red on ${h.dates.map(day).join(', ')}: ${[...h.reasons].join('; ') || 'no reason recorded'}` }));
}

export function digestCardData(d: Digest, personName: (email: string) => string = (e) => e): DigestCardData {
  const c = d.completion;
  const from = DateTime.fromISO(d.week.start);
  const period = `Week of ${from.toFormat('cccc d LLLL')} to ${DateTime.fromISO(d.week.end).toFormat('cccc d LLLL yyyy')}`;
  const series = [
    { legend: 'Green', color: 'good', pick: (r: Digest['ragByDay'][number]) => r.green },
    { legend: 'Amber', color: 'warning', pick: (r: Digest['ragByDay'][number]) => r.amber },
    { legend: 'Red', color: 'attention', pick: (r: Digest['ragByDay'][number]) => r.red },
    { legend: 'Not answered', color: 'neutral', pick: (r: Digest['ragByDay'][number]) => r.missing },
  ];
  const a = d.actions;
  const o = d.outbreaks;
  const donut = [
    { legend: `Green (completed): ${a.byRag.green}`, value: a.byRag.green, color: 'good' },
    { legend: `Amber (on target): ${a.byRag.amber}`, value: a.byRag.amber, color: 'warning' },
    { legend: `Red (overdue or off target): ${a.byRag.red}`, value: a.byRag.red, color: 'attention' },
  ].filter((x) => x.value > 0);
  return {
    title: `Weekly digest: ${d.area.name}`,
    period,
    summary: `${d.area.name}, week of ${day(d.week.start)}: huddles ${pct(c.rate)} complete, ${plural(d.homesRed.length, 'home')} red, ${plural(d.escalations.open.length, 'open escalation')}, ${plural(a.overdue.length, 'overdue action')}.`,
    headline: {
      completion: pct(c.rate),
      completionLabel: `Huddles answered (${c.submitted} of ${c.expected})`,
      completionChange: change(d),
      missing: `Missed 2 or more days: ${listOr(d.homesMissing2.map((h) => `${h.name} (${plural(h.missed, 'day')})`), 'none')}.`,
      notifications: notificationHeadline(d.notifications),
      homesRed: String(d.homesRed.length),
      openEscalations: String(d.escalations.open.length),
      overdueActions: String(a.overdue.length),
    },
    ragChart: d.ragByDay.map((r) => ({
      title: shortDay(r.date),
      data: series.filter((x) => x.pick(r) > 0).map((x) => ({ legend: x.legend, value: x.pick(r), color: x.color })),
    })),
    ragByDayFacts: d.ragByDay.map((r) => ({ title: day(r.date), value: `Green ${r.green} · Amber ${r.amber} · Red ${r.red} · Not answered ${r.missing}` })),
    actionsChart: donut,
    hasActionsChart: donut.length > 0,
    actionsByRagFacts: [
      { title: 'Green (completed)', value: String(a.byRag.green) },
      { title: 'Amber (on target)', value: String(a.byRag.amber) },
      { title: 'Red (overdue or off target)', value: String(a.byRag.red) },
    ],
    reds: redsByHome(d),
    escalationFacts: [
      { title: 'Opened', value: String(d.escalations.opened) },
      { title: 'Escalated', value: d.escalations.escalated ? `${d.escalations.escalated} (${d.escalations.escalatedByPathway.map((p) => `${PATHWAYS[p.pathway] ?? p.pathway} ${p.count}`).join(', ')})` : '0' },
      { title: 'Rejected', value: String(d.escalations.rejected) },
      { title: 'Closed', value: String(d.escalations.closed) },
      { title: 'Open at the end of the week', value: String(d.escalations.open.length) },
    ],
    openEscalations: d.escalations.open.map((e) => ({ line: `${e.homeName}: ${STATES[e.state] ?? e.state}, ${e.owner ? `owner ${personName(e.owner)}` : 'no owner'}, open ${plural(e.ageDays, 'day')}` })),
    outbreakFacts: [
      { title: 'New', value: listOr(o.new, 'none') },
      { title: 'Open', value: listOr(o.open.map((x) => `${x.name} (${x.status})`), 'none') },
      { title: 'Closing', value: listOr(o.closing, 'none') },
      { title: 'Care Inspectorate notified', value: listOr(o.confirmed.map((x) => `${x.name}: ${x.notified ? 'yes' : 'NOT notified'}`), 'no confirmed outbreak') },
      { title: 'New cases', value: `${o.newCasesResidents} residents, ${o.newCasesStaff} staff` },
    ],
    staffingFacts: [
      { title: 'Amber or red on 3+ days', value: listOr(d.staffing.homesAmberRed3.map((h) => `${h.name} (${plural(h.days, 'day')})`), 'none') },
      { title: 'Agency shifts', value: `${d.staffing.agencyShifts} (week before ${d.staffing.previousAgencyShifts})` },
      { title: 'Unfilled shifts', value: `${d.staffing.shiftsUnfilled} (week before ${d.staffing.previousShiftsUnfilled})` },
      { title: 'Shifts without a registered nurse', value: plural(d.staffing.nurseCoverGapDays, 'home-day') },
    ],
    bedsFacts: [
      { title: 'Available', value: String(d.beds.available) },
      { title: 'Closed', value: `${d.beds.closed}${d.beds.closedByReason.length ? ` (${d.beds.closedByReason.map((r) => `${r.reason} ${r.count}`).join(', ')})` : ''}` },
      { title: 'Occupancy', value: d.beds.occupancy === undefined ? 'n/a' : `${pct(d.beds.occupancy)} (${d.beds.residents} residents, ${d.beds.places} places)` },
    ],
    harmFacts: [
      { title: 'Falls with harm', value: `${d.harm.fallsWithHarm} (week before ${d.previousHarm.fallsWithHarm})` },
      { title: 'New pressure ulcers', value: `${d.harm.newPressureUlcers} (week before ${d.previousHarm.newPressureUlcers})` },
      { title: 'Deaths', value: `${d.harm.deaths} (week before ${d.previousHarm.deaths})` },
      { title: 'Unexpected deaths', value: `${d.harm.unexpectedDeaths} (week before ${d.previousHarm.unexpectedDeaths})` },
    ],
    harmNote: 'Area totals. In each home’s detail a count below 3 is shown as “fewer than 3”.',
    notificationFacts: [
      { title: 'Notifiable events', value: String(d.notifications.events) },
      { title: 'Recorded as notified', value: String(d.notifications.notified) },
      { title: 'Not recorded as notified', value: String(d.notifications.notYet) },
      ...d.notifications.byKind.map((k) => ({ title: KINDS[k.kind]?.many ?? k.kind, value: `${k.events}, ${k.notified} recorded as notified` })),
    ],
    notificationHomes: d.notifications.homes.map(notificationLine),
    notificationNote: 'Area totals count events: one a kind, a home and a day. By home a count below 3 is shown as “fewer than 3”; events not recorded as notified are named by kind and day.',
    actionFacts: [
      { title: 'Actions', value: `${a.total}: Red ${a.byRag.red} · Amber ${a.byRag.amber} · Green ${a.byRag.green}` },
      { title: 'Overdue', value: String(a.overdue.length) },
      { title: 'Completed this week', value: String(a.completedThisWeek) },
    ],
    actionsByThemeFacts: a.byTheme.map((t) => ({ title: `${t.theme} ${THEMES[t.theme]}`, value: `Red ${t.red} · Amber ${t.amber} · Green ${t.green}` })),
    overdueActions: a.overdue.map((x) => ({ line: `${x.name}: action ${x.number}, due ${day(x.dueDate)}` })),
    homes: d.homes
      .filter((h) => !isQuiet(h))
      .sort((x, y) => concern(y) - concern(x) || x.name.localeCompare(y.name))
      .map((h) => ({
        elementId: `home-${h.homeId}`,
        name: h.name,
        summary: `${h.red ? `Red on ${plural(h.red, 'day')}` : h.amber ? `Amber on ${plural(h.amber, 'day')}` : h.submitted ? 'Green' : 'No answers'} · ${h.submitted} of ${h.expected} answered`,
        facts: homeFacts(h, personName),
      })),
    quietHomes: `Green every day, every huddle answered, nothing open: ${listOr(d.homes.filter(isQuiet).map((h) => h.name), 'none')}.`,
    homesNote: '',
  };
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

// Read at run time (src/cards and dist/cards are both two levels below the project).
let template: object | undefined;
const digestTemplate = () => (template ??= JSON.parse(readFileSync(path.join(__dirname, '../../cards/digest.json'), 'utf8')) as object);

const bind = (data: DigestCardData) => new ACData.Template(digestTemplate()).expand({ $root: data }) as object;

/** Keeps the first `keep` lines of a list and says how many more there are. */
const firstOf = (lines: Line[], keep: number): Line[] =>
  lines.length <= keep ? lines : [...lines.slice(0, keep), { line: `…and ${lines.length - keep} more, not shown to fit Teams' card size.` }];

/**
 * The card, bound. Teams refuses big cards, so for a large area the per-home detail is cut from the
 * least concerning end first, then the long lists are shortened, each saying how many were left out.
 */
export function digestCard(data: DigestCardData): object {
  const size = (c: object) => JSON.stringify(c).length;
  let card = bind(data);
  let keep = data.homes.length;
  let trimmed = data;
  while (keep > 0 && size(card) > CARD_LIMIT_CHARS) {
    keep = Math.max(0, keep - Math.max(1, Math.ceil((keep * (size(card) - CARD_LIMIT_CHARS)) / size(card))));
    const left = data.homes.length - keep;
    trimmed = { ...data, homes: data.homes.slice(0, keep), homesNote: `Detail of ${plural(left, 'more home')} left out to fit Teams' card size: ${clip(data.homes.slice(keep).map((h) => h.name).join(', '), 1000)}.` };
    card = bind(trimmed);
  }
  for (const lines of [40, 20, 10, 5, 0]) {
    if (size(card) <= CARD_LIMIT_CHARS) break;
    card = bind({ ...trimmed, reds: firstOf(data.reds, lines), openEscalations: firstOf(data.openEscalations, lines), overdueActions: firstOf(data.overdueActions, lines), notificationHomes: firstOf(data.notificationHomes, lines) });
  }
  return card;
}
