/**
 * Exports (§6a): huddles, escalations or plan actions of one area over a date range, as CSV (RFC 4180, UTF-8 with
 * a BOM for Excel, one header row, CRLF), written by csv-stringify as the rows are read, page by page, from the
 * table modules: a year of an area is never held in memory. Who may export what, and whether the free-text columns
 * are included, is domain/export.ts's; the operator exports (command line, endpoint) never include them.
 *
 * Which rows a range covers: huddles, the answers for dates from..to; escalations and actions, those live at any
 * time in the range (opened or created on or before `to`, and not closed or completed before `from`), dates in
 * the area's time zone.
 */
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../context';
import { localDate } from '../domain/calendar';
import type { Area, Directory } from '../domain/directory';
import { checkExportQuery, mayExport, mayIncludeFreeText, type ExportAsker, type ExportQuery, type RawExportQuery } from '../domain/export';
import { cellsOf, columnsFor, type Column, type EscalationRecord, type ExportNames } from '../domain/export-columns';
import { toEscalation } from '../storage/escalations.table';
import { done, refuse, type Outcome } from './outcome';

export interface CsvExport {
  query: ExportQuery;
  /** e.g. huddles_pkc_2026-11-01_2026-11-30.csv */
  filename: string;
  columns: string[];
  /** The CSV, read from storage as it is consumed; `onRows` is told the count every 1,000 rows and at the end. */
  stream(onRows?: (rows: number, finished: boolean) => void): Readable;
}

export interface ExportInput extends RawExportQuery {
  /** the free-text columns, for the 1:1-chat export of the support team and approvers only (not on the CLI or endpoint) */
  includeFreeText?: boolean;
}

export function namesFrom(dir: Directory): ExportNames {
  const areas = new Map(dir.areas.map((a) => [a.id, a.name]));
  const homes = new Map(dir.homes.map((h) => [h.id, h.name]));
  const people = new Map(dir.people.map((p) => [p.email.toLowerCase(), p.name]));
  return {
    area: (id) => areas.get(id) ?? '',
    home: (id) => homes.get(id) ?? '',
    // an e-mail never goes out: someone no longer in the people table is named as such; "system" or a job stays
    person: (email) => (!email ? '' : (people.get(email.trim().toLowerCase()) ?? (email.includes('@') ? 'Not in the directory' : email))),
  };
}

/** An export of one area, checked (every problem listed), ready to stream. */
export async function exportCsv(ctx: AppContext, asker: ExportAsker, input: ExportInput): Promise<Outcome<CsvExport>> {
  const dir = await ctx.directory.loadIncludingRetired();
  const checked = checkExportQuery(input, new Set(dir.areas.map((a) => a.id)));
  if (!checked.ok) {
    const list = Object.entries(checked.problems).map(([k, v]) => `${k}: ${v}`);
    return refuse('EXPORT.BAD_INPUT', `The export was not made: ${list.join('; ')}.`, undefined, checked.problems);
  }
  const query = checked.query;
  if (!mayExport(asker, query.areaId)) return refuse('EXPORT.NOT_ALLOWED', 'Only the support team, approvers and chief officers of this area can export its records.');
  const includeFreeText = input.includeFreeText === true;
  if (includeFreeText && !mayIncludeFreeText(asker, query.areaId)) {
    return refuse('EXPORT.NOT_ALLOWED', "Only the area's support team and approvers can export the free text. Nothing was exported.");
  }
  const area = dir.areas.find((a) => a.id === query.areaId)!;
  const names = namesFrom(dir);
  const columns = columnsFor(query.what, { includeFreeText }) as readonly Column<unknown>[];
  const rows = (): AsyncGenerator<unknown> => {
    if (query.what === 'huddles') return ctx.huddles.eachForArea(query.areaId, query.from, query.to, { withConcern: includeFreeText });
    if (query.what === 'escalations') return escalationsLive(ctx, area, query);
    return actionsLive(ctx, area, dir, query, localDate(ctx.clock(), area.timezone));
  };
  const filename = `${query.what}_${query.areaId}_${query.from}_${query.to}.csv`;
  const by = 'operator' in asker ? asker.operator : asker.person.email;

  return done({
    query,
    filename,
    columns: columns.map((c) => c.name),
    stream(onRows) {
      let count = 0;
      async function* cells(): AsyncGenerator<string[]> {
        for await (const row of rows()) {
          yield cellsOf(row, columns, names);
          if (++count % 1000 === 0) onRows?.(count, false);
        }
        onRows?.(count, true);
        ctx.log.info({ export: query.what, area: query.areaId, from: query.from, to: query.to, rows: count, by, freeText: includeFreeText }, 'export written');
      }
      const csv = stringify({ bom: true, header: true, columns: columns.map((c) => c.name), record_delimiter: '\r\n' });
      // the source's error (storage gone mid-way) ends the CSV stream with it, so the reader sees a failure, never a short file as whole
      return pipeline(Readable.from(cells()), csv, (err) => {
        if (err) ctx.log.error({ export: query.what, area: query.areaId, rows: count, err: err.message }, 'export failed');
      });
    },
  });
}

const within = (iso: string | undefined, tz: string) => (iso ? localDate(new Date(iso), tz) : undefined);

async function* escalationsLive(ctx: AppContext, area: Area, q: ExportQuery): AsyncGenerator<EscalationRecord> {
  for await (const e of ctx.escalations.eachForArea(area.id)) {
    const opened = within(e.openedAt, area.timezone);
    const closed = within(e.closedAt, area.timezone);
    if (!opened || opened > q.to || (closed && closed < q.from)) continue;
    yield {
      ...toEscalation(e),
      ...(e.lastRedDate ? { lastRedDate: e.lastRedDate } : {}),
      ...(e.escalatedAt ? { escalatedAt: e.escalatedAt } : {}),
      ...(e.rejectedAt ? { rejectedAt: e.rejectedAt } : {}),
      ...(e.closedAt ? { closedAt: e.closedAt } : {}),
      ...(e.updatedAt ? { updatedAt: e.updatedAt } : {}),
    };
  }
}

async function* actionsLive(ctx: AppContext, area: Area, dir: Directory, q: ExportQuery, today: string) {
  for (const home of dir.homes.filter((h) => h.area === area.id)) {
    for await (const s of ctx.actions.eachOf(home.id)) {
      const created = within(s.action.createdAt, area.timezone);
      const completed = s.action.status === 'completed' ? within(s.completedAt ?? s.action.log.filter((l) => l.kind === 'completed').at(-1)?.at, area.timezone) : undefined;
      if (!created || created > q.to || (completed && completed < q.from)) continue;
      yield { ...s.action, areaId: area.id, today, ...(s.completedAt ? { completedAt: s.completedAt } : {}), ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}) };
    }
  }
}
