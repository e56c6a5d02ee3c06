/**
 * Exports (§6a): what may be exported, the query checked (every problem listed), and who may export what.
 * The rows and columns are in export-columns.ts.
 */
import { DateTime } from 'luxon';
import { isIsoDate } from './calendar';
import { hasAreaRole, type Person } from './directory';

export const EXPORT_KINDS = ['huddles', 'escalations', 'actions'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The longest range one export covers, both days included: a year, leap years too. */
export const MAX_EXPORT_DAYS = 366;

export type ExportCode = 'EXPORT.BAD_INPUT' | 'EXPORT.NOT_ALLOWED';

export interface ExportQuery {
  what: ExportKind;
  areaId: string;
  /** first and last date covered, YYYY-MM-DD, in the area's time zone */
  from: string;
  to: string;
}

/** The query as given (a URL's parameters, a command line's options): every value a string or missing; an array when given twice. */
export interface RawExportQuery {
  what?: unknown;
  area?: unknown;
  from?: unknown;
  to?: unknown;
}

export const isExportKind = (v: unknown): v is ExportKind => EXPORT_KINDS.includes(v as ExportKind);

/** Days from one date to another, both included. */
export const daysCovered = (from: string, to: string): number =>
  Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days) + 1;

/**
 * The query checked against the areas known (retired ones included: their records remain): the query, or
 * every problem (parameter → what is wrong), so one answer lists them all.
 */
export function checkExportQuery(raw: RawExportQuery, knownAreas: ReadonlySet<string>): { ok: true; query: ExportQuery } | { ok: false; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const problem = (name: string, message: string) => void (problems[name] ??= message);
  const one = (name: string, v: unknown): string | undefined => {
    if (v === undefined || v === '') return problem(name, 'is needed');
    if (typeof v !== 'string') return problem(name, 'give it once');
    return v;
  };
  const what = one('what', raw.what);
  if (what !== undefined && !isExportKind(what)) problem('what', `"${clip(what)}" is not one of ${EXPORT_KINDS.join(', ')}`);
  const area = one('area', raw.area);
  if (area !== undefined && !knownAreas.has(area)) problem('area', `"${clip(area)}" is not an area in the directory`);
  const date = (name: 'from' | 'to') => {
    const v = one(name, raw[name]);
    if (v !== undefined && !isIsoDate(v)) return problem(name, `"${clip(v)}" is not a date as YYYY-MM-DD`);
    return v;
  };
  const from = date('from');
  const to = date('to');
  if (from && to) {
    if (from > to) problem('to', `${to} is before from (${from})`);
    else if (daysCovered(from, to) > MAX_EXPORT_DAYS) problem('to', `${from} to ${to} is ${daysCovered(from, to)} days; one export covers at most ${MAX_EXPORT_DAYS}`);
  }
  if (Object.keys(problems).length || !isExportKind(what) || !area || !from || !to) return { ok: false, problems };
  return { ok: true, query: { what, areaId: area, from, to } };
}

/** Echoed values are cut short and kept to printable characters, so a problem list stays a list. */
const clip = (v: string): string => v.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);

/**
 * Who is exporting: an operator (the command line, or the endpoint behind the jobs key) exports any area without
 * free text; a person (the 1:1 chat export, later) exports an area they support, approve for or are chief officer of.
 */
export type ExportAsker = { operator: 'cli' | 'jobs-key' } | { person: Person };

export function mayExport(asker: ExportAsker, areaId: string): boolean {
  if ('operator' in asker) return true;
  return (['support', 'approver', 'chief'] as const).some((r) => hasAreaRole(asker.person, r, areaId));
}

/** Free text (concerns, notes, rationale, outcomes, progress comments) only for the area's support team and approvers (§6a). */
export function mayIncludeFreeText(asker: ExportAsker, areaId: string): boolean {
  if ('operator' in asker) return false;
  return hasAreaRole(asker.person, 'support', areaId) || hasAreaRole(asker.person, 'approver', areaId);
}
