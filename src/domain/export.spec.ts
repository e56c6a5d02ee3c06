import { checkExportQuery, daysCovered, mayExport, mayIncludeFreeText } from './export';
import { columnsFor, neutralise } from './export-columns';
import type { Person } from './directory';

const areas = new Set(['pkc', 'dg']);

describe('checkExportQuery', () => {
  it('takes a good query', () => {
    expect(checkExportQuery({ what: 'actions', area: 'pkc', from: '2026-11-01', to: '2026-11-30' }, areas)).toEqual({ ok: true, query: { what: 'actions', areaId: 'pkc', from: '2026-11-01', to: '2026-11-30' } });
  });
  it('lists every problem at once', () => {
    const r = checkExportQuery({ what: 'people', area: ['pkc', 'dg'], from: '2026-02-29', to: undefined }, areas);
    expect(r).toEqual({ ok: false, problems: { what: '"people" is not one of huddles, escalations, actions', area: 'give it once', from: '"2026-02-29" is not a date as YYYY-MM-DD', to: 'is needed' } });
  });
  it('caps the range at 366 days, both ends included', () => {
    expect(daysCovered('2026-01-01', '2026-01-01')).toBe(1);
    expect(checkExportQuery({ what: 'huddles', area: 'pkc', from: '2024-01-01', to: '2024-12-31' }, areas).ok).toBe(true); // a leap year
    expect(checkExportQuery({ what: 'huddles', area: 'pkc', from: '2024-01-01', to: '2025-01-01' }, areas)).toMatchObject({ ok: false, problems: { to: expect.stringContaining('367 days') } });
  });
  it('keeps echoed values short and printable', () => {
    const r = checkExportQuery({ what: `x\n${'y'.repeat(100)}`, area: 'pkc', from: '2026-01-01', to: '2026-01-02' }, areas);
    expect(r).toMatchObject({ ok: false, problems: { what: `"x?${'y'.repeat(38)}" is not one of huddles, escalations, actions` } });
  });
});

describe('neutralise (OWASP CSV injection)', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])('prefixes %j', (cell) => expect(neutralise(cell)).toBe(`'${cell}`));
  it.each(['Birchwood House', '2026-11-23', '', "O'Neill", ' =1'])('leaves %j', (cell) => expect(neutralise(cell)).toBe(cell));
});

describe('columns', () => {
  it('leave the free text out unless asked, and add it with includeFreeText', () => {
    const names = (what: 'huddles' | 'escalations' | 'actions', includeFreeText: boolean) => columnsFor(what, { includeFreeText }).map((c) => c.name);
    expect(names('huddles', false)).not.toContain('concern');
    expect(names('huddles', true).at(-1)).toBe('concern');
    expect(names('escalations', true).filter((n) => !names('escalations', false).includes(n))).toEqual(['concern', 'keyWorker', 'rationale', 'externalRef', 'outcome', 'notes']);
    expect(names('actions', true).filter((n) => !names('actions', false).includes(n))).toEqual(['description', 'outcome', 'progress']);
  });
});

describe('who may export', () => {
  const person = (roles: Person['roles']): Person => ({ email: 'a@b.example', name: 'A', roles });
  it('operators any area without free text; people of the area by role', () => {
    expect(mayExport({ operator: 'cli' }, 'pkc')).toBe(true);
    expect(mayIncludeFreeText({ operator: 'jobs-key' }, 'pkc')).toBe(false);
    const chief = person([{ role: 'chief', area: 'pkc' }]);
    expect(mayExport({ person: chief }, 'pkc')).toBe(true);
    expect(mayIncludeFreeText({ person: chief }, 'pkc')).toBe(false);
    const support = person([{ role: 'support', area: 'pkc' }]);
    expect(mayIncludeFreeText({ person: support }, 'pkc')).toBe(true);
    expect(mayExport({ person: support }, 'dg')).toBe(false);
    expect(mayExport({ person: person([{ role: 'manager', home: 'pkc-birchwood' }]) }, 'pkc')).toBe(false);
  });
});
