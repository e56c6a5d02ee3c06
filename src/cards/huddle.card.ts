/** The huddle cards: the form (with values and problems kept), the read-only summary, picking a home, a message. */
import { DateTime } from 'luxon';
import type { Home } from '../domain/directory';
import { BEDS_CLOSED_REASONS, OUTBREAK, PPE, STAFFING, SUPPORT, VISITING, type AnswerBasis, type HuddleAnswer } from '../domain/huddle';
import { localDate, plural, shortDateLabel, timeLabel, whenLabel } from '../domain/calendar';
import { RAG_WORD, type Rag } from '../domain/rag';
import { bindCard } from './template';

type Field =
  | { kind: 'heading'; label: string }
  | { kind: 'count' | 'text'; id: string; label: string }
  | { kind: 'choice'; id: string; label: string; choices: [string, string][]; required?: string }
  | { kind: 'multi'; id: string; label: string; choices: [string, string][] }
  | { kind: 'toggle'; id: string; label: string; title: string };

const titled = (values: readonly string[], titles: Record<string, string>): [string, string][] => values.map((v) => [v, titles[v] ?? v]);

/** How each answer is said to people, on the form and on the summary. */
export const TITLES = {
  bedsClosedReason: { staffing: 'Staffing', ipc: 'Infection prevention and control', environment: 'Environment', other: 'Other' },
  staffingRag: { green: 'Green: enough staff with the right skill mix', amber: 'Amber: stretched, close to affecting care', red: "Red: not enough staff to meet residents' needs" },
  outbreakStatus: { none: 'None', suspected: 'Suspected', confirmed: 'Confirmed', closing: 'Closing' },
  ppeSupply: { good: 'Good', adequate: 'Adequate', low: 'Low', critical: 'Critical' },
  visiting: { open: 'Open', restricted: 'Restricted', essential: 'Essential visits only', closed: 'Closed' },
  supportNeeded: { staffing: 'Staffing', ipc: 'Infection prevention and control', clinical: 'Clinical', equipment: 'Equipment', other: 'Other' },
} as const satisfies Record<string, Record<string, string>>;

/** The questions in the order a manager answers them (§3). */
export function huddleFields(home: Home, asOn = ''): Field[] {
  const as = asOn ? ` (${asOn})` : '';
  return [
    { kind: 'heading', label: 'Residents and beds' },
    { kind: 'count', id: 'residents', label: `Residents living in the home today, including any in hospital (at most ${home.registeredPlaces})${as}` },
    { kind: 'count', id: 'bedsAvailable', label: `Vacant beds able to take an admission${as}` },
    { kind: 'count', id: 'bedsClosed', label: `Beds closed${as}` },
    { kind: 'choice', id: 'bedsClosedReason', label: `Why are beds closed? (needed when any are closed)${as}`, choices: [['', 'No beds closed'], ...titled(BEDS_CLOSED_REASONS, TITLES.bedsClosedReason)] },
    { kind: 'count', id: 'hospitalAdmissions', label: 'Hospital admissions since the last huddle' },
    { kind: 'count', id: 'hospitalDischarges', label: 'Hospital discharges back to the home since the last huddle' },
    { kind: 'heading', label: 'Staffing' },
    { kind: 'choice', id: 'staffingRag', label: 'Staffing today', required: "Choose today's staffing level.", choices: titled(STAFFING, TITLES.staffingRag) },
    { kind: 'count', id: 'shiftsUnfilled', label: 'Shifts in the next 24 hours still unfilled after mitigation' },
    { kind: 'count', id: 'agencyShifts', label: 'Agency shifts used in the last 24 hours' },
    ...(home.nursing ? [{ kind: 'toggle' as const, id: 'nurseCoverGap', label: 'Registered nurse cover', title: 'There is a shift without a registered nurse' }] : []),
    { kind: 'heading', label: 'Infection prevention and control' },
    { kind: 'choice', id: 'outbreakStatus', label: 'Outbreak status', required: 'Choose the outbreak status.', choices: titled(OUTBREAK, TITLES.outbreakStatus) },
    { kind: 'count', id: 'newCasesResidents', label: 'New infections among residents since the last huddle' },
    { kind: 'count', id: 'newCasesStaff', label: 'New infections among staff since the last huddle' },
    { kind: 'choice', id: 'careInspectorateNotified', label: 'Care Inspectorate notified of the outbreak? (needed when confirmed)', choices: [['', 'Not applicable'], ['true', 'Yes'], ['false', 'No']] },
    { kind: 'choice', id: 'ppeSupply', label: 'PPE supply', required: 'Choose the PPE supply.', choices: titled(PPE, TITLES.ppeSupply) },
    { kind: 'heading', label: 'Care and safety since the last huddle' },
    { kind: 'count', id: 'fallsWithHarm', label: 'Falls with harm' },
    { kind: 'count', id: 'newPressureUlcers', label: 'New pressure ulcers' },
    { kind: 'count', id: 'deaths', label: 'Deaths' },
    { kind: 'count', id: 'unexpectedDeaths', label: 'Of which unexpected' },
    { kind: 'choice', id: 'visiting', label: 'Visiting', required: 'Choose the visiting arrangements.', choices: titled(VISITING, TITLES.visiting) },
    { kind: 'toggle', id: 'protectionConcern', label: 'Adult protection', title: 'An adult-protection concern arose' },
    { kind: 'heading', label: 'Support' },
    { kind: 'multi', id: 'supportNeeded', label: 'Support needed from the team (any)', choices: titled(SUPPORT, TITLES.supportNeeded) },
    { kind: 'text', id: 'concern', label: 'Anything else the support team should know (at most 500 characters)' },
  ];
}

export const dateLabel = (date: string) => DateTime.fromISO(date).toFormat('cccc d LLLL yyyy');

const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** "as on Monday" (or "as on Mon 16 Nov" a week back): beside the answers a new card took from an earlier day. */
export function asOnLabel(from: string, date: string): string {
  const days = DateTime.fromISO(date, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days;
  return `as on ${days >= 1 && days < 7 ? DateTime.fromISO(from).toFormat('cccc') : shortDateLabel(from)}`;
}

/**
 * The form: a new card (with the values it starts from, see `formStart`; `startedFrom` the day the residents and
 * beds were taken from), pre-filled with an answer (amend, with the `basis` it replaces), or with the entered
 * values and each field's problem.
 */
export function huddleFormCard(home: Home, date: string, values: Record<string, unknown> = {}, errors: Record<string, string> = {}, message = '', basis?: AnswerBasis, startedFrom?: string): object {
  const fields = huddleFields(home, startedFrom ? asOnLabel(startedFrom, date) : '').map((f) => {
    if (f.kind === 'heading') return { ...f, id: '', value: '', error: '', choices: [], title: '', required: false, requiredMessage: '', placeholder: '' };
    const value = asText(values[f.id]);
    return {
      kind: f.kind,
      id: f.id,
      label: f.label,
      value: f.kind === 'toggle' ? (value === 'true' ? 'true' : 'false') : value,
      error: errors[f.id] ?? '',
      title: f.kind === 'toggle' ? f.title : '',
      choices: 'choices' in f ? f.choices.map(([v, title]) => ({ value: v, title })) : [],
      required: f.kind === 'choice' ? !!f.required : false,
      requiredMessage: f.kind === 'choice' ? (f.required ?? '') : '',
      placeholder: f.kind === 'choice' && f.required ? 'Choose one' : '',
    };
  });
  return bindCard('huddle', { homeName: home.name, homeId: home.id, date, dateLabel: dateLabel(date), message, fields, amendsVersion: basis ? String(basis.version) : '', amendsEtag: basis?.etag ?? '' });
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
/** The container style that goes with the RAG words (never the text colour: Teams' good and warning are too pale). */
const RAG_STYLE: Record<Rag, string> = { red: 'attention', amber: 'warning', green: 'good' };
const RAG_ICON: Record<Rag, string> = { red: '●', amber: '▲', green: '✓' };

export interface SummaryInput {
  home: Home;
  date: string;
  answer: HuddleAnswer;
  rag: Rag;
  reasons: string[];
  /** the directory name of who answered (or amended) last */
  answeredByName: string;
  answeredAt: string;
  version: number;
  timezone: string;
  message?: string;
  /** the answer's Care Inspectorate notifications, and whether each was recorded as notified */
  notifications?: NotificationLine[];
}

export interface NotificationLine {
  kind: string;
  label: string;
  flagged: boolean;
  /** "Recorded as notified by Morag Reid at Mon 23 Nov, 10:02", or absent while it is still to do */
  notified?: string;
}

const title = (titles: Record<string, string>, value: string) => titles[value] ?? value;

export function huddleSummaryCard(s: SummaryInput): object {
  const a = s.answer;
  const facts: [string, string][] = [
    ['Residents', `${a.residents} of ${plural(s.home.registeredPlaces, 'place')}`],
    ['Beds available', String(a.bedsAvailable)],
    ['Beds closed', `${a.bedsClosed}${a.bedsClosed ? ` (${title(TITLES.bedsClosedReason, a.bedsClosedReason).toLowerCase()})` : ''}`],
    ['Staffing', `${RAG_WORD[a.staffingRag]}; ${plural(a.shiftsUnfilled, 'shift')} unfilled, ${plural(a.agencyShifts, 'agency shift')}`],
    ...(s.home.nursing ? [['Shift without a registered nurse', yesNo(a.nurseCoverGap)] as [string, string]] : []),
    ['Outbreak', `${title(TITLES.outbreakStatus, a.outbreakStatus)}; new infections: ${a.newCasesResidents} among residents, ${a.newCasesStaff} among staff${a.outbreakStatus === 'confirmed' ? `; Care Inspectorate notified: ${yesNo(a.careInspectorateNotified)}` : ''}`],
    ['PPE supply', title(TITLES.ppeSupply, a.ppeSupply)],
    ['Falls with harm', String(a.fallsWithHarm)],
    ['New pressure ulcers', String(a.newPressureUlcers)],
    ['Deaths', a.deaths ? `${a.deaths} (${a.unexpectedDeaths} unexpected)` : '0'],
    ['Hospital admissions', String(a.hospitalAdmissions)],
    ['Hospital discharges', String(a.hospitalDischarges)],
    ['Visiting', title(TITLES.visiting, a.visiting)],
    ['Adult-protection concern', yesNo(a.protectionConcern)],
    ['Support needed', a.supportNeeded ? a.supportNeeded.split(',').map((x) => title(TITLES.supportNeeded, x)).join(', ') : 'None'],
    // what the manager wrote for the support team, shown back to the managers of the home only (this card is theirs)
    ...(a.concern?.trim() ? [['For the support team', a.concern] as [string, string]] : []),
  ];
  const ragSentence =
    s.rag === 'green' ? 'Green: nothing needs the support team today.' : s.rag === 'amber' ? 'Amber, because:' : 'Red, because (this goes to the support team):';
  const sameDay = localDate(new Date(s.answeredAt), s.timezone) === s.date;
  const at = sameDay ? `at ${timeLabel(s.answeredAt, s.timezone)}` : `on ${whenLabel(s.answeredAt, s.timezone)}`;
  return bindCard('huddle-summary', {
    homeName: s.home.name,
    homeId: s.home.id,
    date: s.date,
    dateLabel: dateLabel(s.date),
    message: s.message ?? '',
    ragWord: RAG_WORD[s.rag],
    ragIcon: RAG_ICON[s.rag],
    ragStyle: RAG_STYLE[s.rag],
    ragSentence,
    reasons: s.reasons,
    facts: facts.map(([title, value]) => ({ title, value })),
    answeredLine: `${s.version > 1 ? 'Last amended' : 'Answered'} by ${s.answeredByName} ${at}.`,
    hasNotifications: (s.notifications ?? []).length > 0,
    notifications: (s.notifications ?? []).map((n) => ({
      kind: n.kind,
      line: `${n.flagged ? '⚠ ' : ''}${n.label}`,
      notified: n.notified ?? '',
      toDo: !n.notified,
    })),
  });
}

export function pickHomeCard(homes: Home[], date: string): object {
  return bindCard('huddle-pick-home', { homes: homes.map((h) => ({ id: h.id, name: h.name })), date, dateLabel: dateLabel(date) });
}

/** What a huddle card action or command shows: the form, the read-only answer, or a choice of home. */
export type HuddleCardView =
  | { kind: 'form'; home: Home; date: string; values?: Record<string, unknown>; errors?: Record<string, string>; message?: string; basis?: AnswerBasis; startedFrom?: string }
  | { kind: 'summary'; summary: SummaryInput }
  | { kind: 'pick-home'; homes: Home[]; date: string };

export function huddleCard(view: HuddleCardView, message?: string): Record<string, unknown> {
  if (view.kind === 'pick-home') return pickHomeCard(view.homes, view.date) as Record<string, unknown>;
  if (view.kind === 'summary') return huddleSummaryCard({ ...view.summary, message: message ?? view.summary.message ?? '' }) as Record<string, unknown>;
  return huddleFormCard(view.home, view.date, view.values, view.errors, message ?? view.message ?? '', view.basis, view.startedFrom) as Record<string, unknown>;
}
