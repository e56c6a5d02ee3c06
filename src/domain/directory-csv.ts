/** Homes kept in a spreadsheet: one row a home, columns id, area, name, registeredPlaces, nursing. */
import { parse } from 'csv-parse/sync';
import { homeSchema, type Home, type Problem } from './directory';

const truthy = new Set(['true', 'yes', 'y', '1']);
const falsy = new Set(['false', 'no', 'n', '0', '']);

export function parseHomesCsv(text: string): { ok: true; homes: Home[] } | { ok: false; problems: Problem[] } {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    return { ok: false, problems: [{ path: '(file)', message: `not a readable CSV: ${(e as Error).message}` }] };
  }
  const problems: Problem[] = [];
  const homes: Home[] = [];
  rows.forEach((row, i) => {
    const line = `line ${i + 2}`; // line 1 is the header
    const nursing = (row.nursing ?? '').toLowerCase();
    const candidate = {
      id: row.id,
      area: row.area,
      name: row.name,
      registeredPlaces: /^\d+$/.test(row.registeredPlaces ?? '') ? Number(row.registeredPlaces) : row.registeredPlaces,
      nursing: truthy.has(nursing) ? true : falsy.has(nursing) ? false : row.nursing,
    };
    const parsed = homeSchema.safeParse(candidate);
    if (parsed.success) homes.push(parsed.data);
    else parsed.error.issues.forEach((issue) => problems.push({ path: `${line}.${issue.path.join('.') || '(row)'}`, message: issue.message }));
  });
  if (rows.length === 0) problems.push({ path: '(file)', message: 'no homes: the file needs a header row and one row a home' });
  return problems.length ? { ok: false, problems } : { ok: true, homes };
}
