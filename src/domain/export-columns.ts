/**
 * The rows and columns of the exports (§6a), pure: one column list per export, each column naming whether it
 * holds free text (docs/data-model.md). The operator exports leave those out; a later 1:1-chat export for the
 * support team adds them with `includeFreeText`. Every cell is text: names not e-mails, ISO dates, RAG and
 * reasons in words, and a cell that a spreadsheet would run as a formula neutralised.
 */
import type { EscalationFile, EscalationState, HistoryEntry } from './escalation';
import { PATHWAY_NAMES, STATE_NAMES, type Pathway } from './escalation';
import type { ExportKind } from './export';
import type { HuddleAnswer } from './huddle';
import { THEMES, isOverdue, ragOf, type Action } from './plan';
import { RAG_WORD, isRag, type Rag } from './rag';

/** Names for the ids and e-mails a row holds: from the directory, retired entries included. */
export interface ExportNames {
  area(areaId: string): string;
  home(homeId: string): string;
  /** a person's name by e-mail; never the e-mail itself */
  person(email: string | undefined): string;
}

export interface Column<R> {
  name: string;
  /** holds text people typed: left out unless `includeFreeText` */
  freeText?: true;
  cell(row: R, names: ExportNames): string | number | boolean | undefined;
}

/** A huddle answer as stored (one home-day). */
export interface HuddleRecord {
  areaId: string;
  homeId: string;
  date: string;
  answer: HuddleAnswer;
  rag: Rag;
  reasons: string[];
  answeredBy: string;
  answeredAt: string;
  version: number;
}

/** An escalation as stored: what a card shows of it, plus the decision times the row keeps. */
export interface EscalationRecord extends EscalationFile {
  lastRedDate?: string;
  escalatedAt?: string;
  rejectedAt?: string;
  closedAt?: string;
  updatedAt?: string;
}

/** A plan action as stored, with its area and the day its RAG is given for (RAG depends on the date). */
export interface ActionRecord extends Action {
  areaId: string;
  completedAt?: string;
  updatedAt?: string;
  /** YYYY-MM-DD in the area's time zone: the day the export was made */
  today: string;
}

const yesNo = (b: boolean | undefined) => (b === undefined ? '' : b ? 'yes' : 'no');
const rag = (r: string | undefined) => (isRag(r) ? RAG_WORD[r] : (r ?? ''));
const stateName = (s: string) => STATE_NAMES[s as EscalationState] ?? s;
const count = (k: keyof HuddleAnswer): Column<HuddleRecord> => ({ name: k, cell: (h) => h.answer[k] as number });
const value = (k: keyof HuddleAnswer): Column<HuddleRecord> => ({ name: k, cell: (h) => h.answer[k] as string });
const flag = (k: keyof HuddleAnswer): Column<HuddleRecord> => ({ name: k, cell: (h) => yesNo(h.answer[k] as boolean | undefined) });

export const HUDDLE_COLUMNS: readonly Column<HuddleRecord>[] = [
  { name: 'area', cell: (h) => h.areaId },
  { name: 'areaName', cell: (h, n) => n.area(h.areaId) },
  { name: 'homeId', cell: (h) => h.homeId },
  { name: 'home', cell: (h, n) => n.home(h.homeId) },
  { name: 'date', cell: (h) => h.date },
  { name: 'rag', cell: (h) => rag(h.rag) },
  { name: 'reasons', cell: (h) => h.reasons.join('; ') },
  count('residents'),
  count('bedsAvailable'),
  count('bedsClosed'),
  value('bedsClosedReason'),
  { name: 'staffingRag', cell: (h) => rag(h.answer.staffingRag) },
  count('shiftsUnfilled'),
  count('agencyShifts'),
  flag('nurseCoverGap'),
  value('outbreakStatus'),
  count('newCasesResidents'),
  count('newCasesStaff'),
  flag('careInspectorateNotified'),
  value('ppeSupply'),
  count('fallsWithHarm'),
  count('newPressureUlcers'),
  count('deaths'),
  count('unexpectedDeaths'),
  count('hospitalAdmissions'),
  count('hospitalDischarges'),
  value('visiting'),
  flag('protectionConcern'),
  { name: 'supportNeeded', cell: (h) => h.answer.supportNeeded.split(',').filter(Boolean).join('; ') },
  { name: 'answeredBy', cell: (h, n) => n.person(h.answeredBy) },
  { name: 'answeredAt', cell: (h) => h.answeredAt },
  { name: 'version', cell: (h) => h.version },
  { name: 'concern', freeText: true, cell: (h) => h.answer.concern },
];

/** The history in one cell: when, what, the states, who; never the notes. */
const historySummary = (history: HistoryEntry[], n: ExportNames) =>
  history.map((e) => `${e.at} ${e.action}: ${stateName(e.from)} → ${stateName(e.to)} (${n.person(e.by)})`).join('; ');

export const ESCALATION_COLUMNS: readonly Column<EscalationRecord>[] = [
  { name: 'escalationId', cell: (e) => e.id },
  { name: 'area', cell: (e) => e.areaId },
  { name: 'areaName', cell: (e, n) => n.area(e.areaId) },
  { name: 'homeId', cell: (e) => e.homeId },
  { name: 'home', cell: (e, n) => n.home(e.homeId) },
  { name: 'state', cell: (e) => stateName(e.state) },
  { name: 'trigger', cell: (e) => e.trigger },
  { name: 'openedFor', cell: (e) => e.openedFor },
  { name: 'openedAt', cell: (e) => e.openedAt },
  { name: 'openedBy', cell: (e, n) => n.person(e.openedBy) },
  { name: 'reasons', cell: (e) => e.reasons.join('; ') },
  { name: 'daysRed', cell: (e) => e.daysRed },
  { name: 'lastRedDate', cell: (e) => e.lastRedDate },
  { name: 'owner', cell: (e, n) => (e.owner ? n.person(e.owner) : '') },
  { name: 'pathway', cell: (e) => (e.pathway ? (PATHWAY_NAMES[e.pathway as Pathway] ?? e.pathway) : '') },
  { name: 'referredBy', cell: (e, n) => (e.referredBy ? n.person(e.referredBy) : '') },
  { name: 'referredAt', cell: (e) => e.referredAt },
  { name: 'escalatedAt', cell: (e) => e.escalatedAt },
  { name: 'rejectedAt', cell: (e) => e.rejectedAt },
  { name: 'closedAt', cell: (e) => e.closedAt },
  { name: 'updatedAt', cell: (e) => e.updatedAt ?? e.openedAt },
  { name: 'version', cell: (e) => e.version },
  { name: 'changes', cell: (e) => e.history.length },
  { name: 'history', cell: (e, n) => historySummary(e.history, n) },
  { name: 'concern', freeText: true, cell: (e) => e.concern },
  { name: 'keyWorker', freeText: true, cell: (e) => e.keyWorker },
  { name: 'rationale', freeText: true, cell: (e) => e.rationale },
  { name: 'externalRef', freeText: true, cell: (e) => e.externalRef },
  { name: 'outcome', freeText: true, cell: (e) => e.outcome },
  { name: 'notes', freeText: true, cell: (e, n) => e.history.filter((h) => h.note).map((h) => `${h.at} ${h.action} (${n.person(h.by)}): ${h.note}`).join('\n') },
];

const themeName = (n: number) => THEMES.find((t) => t.n === n)?.name ?? '';

export const ACTION_COLUMNS: readonly Column<ActionRecord>[] = [
  { name: 'area', cell: (a) => a.areaId },
  { name: 'areaName', cell: (a, n) => n.area(a.areaId) },
  { name: 'homeId', cell: (a) => a.homeId },
  { name: 'home', cell: (a, n) => n.home(a.homeId) },
  { name: 'no', cell: (a) => `${a.theme}.${a.seq}` },
  { name: 'theme', cell: (a) => a.theme },
  { name: 'themeName', cell: (a) => themeName(a.theme) },
  // a directory person by name; a name typed on the card is kept as typed (it is the person's name, not a note)
  { name: 'responsible', cell: (a, n) => (a.responsible.email ? n.person(a.responsible.email) : a.responsible.name) },
  { name: 'due', cell: (a) => a.due },
  { name: 'status', cell: (a) => a.status },
  { name: 'onTarget', cell: (a) => yesNo(a.onTarget) },
  { name: 'rag', cell: (a) => RAG_WORD[ragOf(a, a.today)] },
  { name: 'overdue', cell: (a) => yesNo(isOverdue(a, a.today)) },
  { name: 'ragOn', cell: (a) => a.today },
  { name: 'createdAt', cell: (a) => a.createdAt },
  { name: 'createdBy', cell: (a, n) => n.person(a.createdBy) },
  { name: 'completedAt', cell: (a) => a.completedAt },
  { name: 'updatedAt', cell: (a) => a.updatedAt },
  { name: 'progressEntries', cell: (a) => a.log.filter((l) => l.kind === 'progress').length },
  { name: 'lastProgressAt', cell: (a) => a.log.filter((l) => l.kind === 'progress').at(-1)?.at },
  { name: 'dueMoves', cell: (a) => a.log.filter((l) => l.kind === 'due-moved').length },
  { name: 'description', freeText: true, cell: (a) => a.description },
  { name: 'outcome', freeText: true, cell: (a) => a.outcome },
  {
    name: 'progress',
    freeText: true,
    cell: (a, n) => a.log.filter((l) => l.comment || l.reason).map((l) => `${l.at} ${l.kind} (${n.person(l.by)}): ${[l.comment, l.reason].filter(Boolean).join(' / ')}`).join('\n'),
  },
];

export interface ExportRecords {
  huddles: HuddleRecord;
  escalations: EscalationRecord;
  actions: ActionRecord;
}

const ALL: { [K in ExportKind]: readonly Column<ExportRecords[K]>[] } = { huddles: HUDDLE_COLUMNS, escalations: ESCALATION_COLUMNS, actions: ACTION_COLUMNS };

/** An export's columns, in order: without the free-text ones unless asked. */
export function columnsFor<K extends ExportKind>(what: K, opts: { includeFreeText: boolean }): readonly Column<ExportRecords[K]>[] {
  return (ALL[what] as readonly Column<ExportRecords[K]>[]).filter((c) => opts.includeFreeText || !c.freeText);
}

/**
 * OWASP's CSV-injection guard: a cell beginning with = + - @, a tab or a carriage return is run as a formula by
 * Excel and others, so it is prefixed with a single quote (shown, never run). Numbers are written as numbers.
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One row's cells, as text. */
export function cellsOf<R>(row: R, columns: readonly Column<R>[], names: ExportNames): string[] {
  return columns.map((c) => {
    const v = c.cell(row, names);
    if (v === undefined || v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    if (typeof v === 'boolean') return yesNo(v);
    return neutralise(v);
  });
}
