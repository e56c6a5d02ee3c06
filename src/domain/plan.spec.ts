import { localDate } from './calendar';
import type { Home, Person } from './directory';
import {
  THEMES,
  changesBetween,
  completeAction,
  createAction,
  mayEditPlan,
  mayViewPlan,
  nextNumber,
  orderOpen,
  parseActionNo,
  parseDue,
  ragOf,
  reminderDue,
  themeOf,
  updateAction,
  type Action,
} from './plan';

const at = new Date('2026-11-23T09:30:00Z');
const base = (over: Partial<Action> = {}): Action => ({
  ...createAction({ homeId: 'h1', lastNo: {} }, { theme: 2, description: 'd', outcome: 'o', responsible: { name: 'Pat' }, due: '2026-12-01' }, 'a@x', at),
  ...over,
});

describe('themes of the template', () => {
  it('has the six themes of seed 002 in order', () => {
    expect(THEMES.map((t) => t.n)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(THEMES[1].name).toBe('Leadership and Management');
  });
  it.each([
    ['1', true],
    [6, true],
    ['7', false],
    ['0', false],
    ['two', false],
    ['', false],
    [undefined, false],
  ])('themeOf(%p) ok=%p', (value, good) => {
    expect(themeOf(value).ok).toBe(good);
  });
});

describe('action numbers', () => {
  it.each([
    ['2.1', { theme: 2, seq: 1 }],
    [' 6.12 ', { theme: 6, seq: 12 }],
  ])('parses %p', (value, want) => {
    const r = parseActionNo(value);
    expect(r.ok && r.value).toEqual(want);
  });
  it.each(['7.1', '2.0', '2', '2.1.1', 'x.1', '', 42])('refuses %p', (value) => {
    expect(parseActionNo(value).ok).toBe(false);
  });
  it('numbers from the last ever given, per theme, never reusing one', () => {
    expect(nextNumber({ lastNo: {} }, 3)).toBe(1);
    expect(nextNumber({ lastNo: { 3: 4, 2: 9 } }, 3)).toBe(5);
    expect(createAction({ homeId: 'h', lastNo: { 2: 7 } }, { theme: 2, description: 'd', outcome: 'o', responsible: { name: 'n' }, due: '2026-12-01' }, 'a', at).seq).toBe(8);
  });
});

describe('due dates', () => {
  const today = '2026-11-23';
  it.each([
    ['2026-11-23', 'ok'],
    ['2026-12-31', 'ok'],
    ['ongoing', 'DUE.ONGOING'],
    ['Ongoing review', 'DUE.ONGOING'],
    ['2026-11-22', 'DUE.PAST'],
    ['23/11/2026', 'DUE.INVALID'],
    ['2026-02-30', 'DUE.INVALID'],
    ['next week', 'DUE.INVALID'],
    ['', 'DUE.INVALID'],
    [12, 'DUE.INVALID'],
  ])('%p → %s', (value, want) => {
    const r = parseDue(value, today);
    expect(r.ok ? 'ok' : r.code).toBe(want);
  });
  it('takes today in the area time zone', () => {
    expect(localDate(new Date('2026-06-10T23:30:00Z'), 'Europe/London')).toBe('2026-06-11');
    expect(localDate(new Date('2026-11-23T23:30:00Z'), 'Europe/London')).toBe('2026-11-23');
  });
});

describe('RAG', () => {
  it.each<[Partial<Action>, string, string]>([
    [{ status: 'completed', due: '2026-11-01' }, '2026-11-23', 'green'],
    [{ status: 'open', onTarget: true, due: '2026-11-23' }, '2026-11-23', 'amber'],
    [{ status: 'open', onTarget: true, due: '2026-11-22' }, '2026-11-23', 'red'],
    [{ status: 'open', onTarget: false, due: '2026-12-22' }, '2026-11-23', 'red'],
  ])('%p on %s is %s', (over, today, want) => {
    expect(ragOf(base(over), today)).toBe(want);
  });
  it('orders open actions overdue first, then by number', () => {
    const list = [base({ theme: 1, seq: 2 }), base({ theme: 3, seq: 1, due: '2026-11-20' }), base({ theme: 1, seq: 1 }), base({ theme: 2, seq: 1, status: 'completed' })];
    expect(orderOpen(list, '2026-11-23').map((a) => `${a.theme}.${a.seq}`)).toEqual(['3.1', '1.1', '1.2']);
  });
});

describe('progress log', () => {
  const later = new Date('2026-11-24T10:00:00Z');
  it('appends a comment with author and time', () => {
    const r = updateAction(base(), { comment: '45% trained', onTarget: true }, 'b@x', later);
    expect(r.ok && r.value.log.at(-1)).toEqual({ at: later.toISOString(), by: 'b@x', kind: 'progress', comment: '45% trained', onTarget: true });
    expect(r.ok && r.value.log).toHaveLength(2);
  });
  it('refuses to move the due date without a reason', () => {
    const r = updateAction(base(), { due: '2026-12-20' }, 'b@x', later);
    expect(!r.ok && r.code).toBe('DUE.REASON_NEEDED');
  });
  it('keeps the reason of a moved due date in the log', () => {
    const r = updateAction(base(), { due: '2026-12-20', reason: 'trainer ill' }, 'b@x', later);
    expect(r.ok && r.value.due).toBe('2026-12-20');
    expect(r.ok && r.value.log.at(-1)).toMatchObject({ kind: 'due-moved', from: '2026-12-01', to: '2026-12-20', reason: 'trainer ill' });
  });
  it.each<[string, Parameters<typeof updateAction>[1]]>([
    ['nothing', {}],
    ['blank comment', { comment: '   ' }],
    ['same due', { due: '2026-12-01' }],
  ])('refuses an update with %s', (_n, u) => {
    expect(updateAction(base(), u, 'b', later).ok).toBe(false);
  });
  it('completes once', () => {
    const done = completeAction(base(), 'all staff trained', 'b@x', later);
    expect(done.ok && done.value.status).toBe('completed');
    expect(done.ok && completeAction(done.value, undefined, 'b', later).ok).toBe(false);
    expect(done.ok && updateAction(done.value, { comment: 'x' }, 'b', later).ok).toBe(false);
  });
  it('refuses once the log is full', () => {
    let a = base();
    let r: ReturnType<typeof updateAction> = { ok: true, value: a };
    for (let i = 0; i < 200 && r.ok; i++) {
      a = r.value;
      r = updateAction(a, { comment: 'x'.repeat(400) }, 'b', later);
    }
    expect(!r.ok && r.code).toBe('PLAN.LOG_FULL');
  });
  it('finds the changes made between two instants', () => {
    const a = updateAction(base(), { comment: 'c' }, 'b', new Date('2026-11-23T10:00:00Z'));
    const changes = changesBetween([a.ok ? a.value : base()], new Date('2026-11-23T09:45:00Z'), new Date('2026-11-23T11:00:00Z'));
    expect(changes.map((c) => c.entry.kind)).toEqual(['progress']);
  });
});

describe('reminders', () => {
  const tz = 'Europe/London';
  const a = base({ due: '2026-12-10', createdAt: '2026-11-23T09:30:00.000Z' });
  it.each<[string, Record<string, string>, string[]]>([
    ['2026-11-23', {}, ['assigned']],
    ['2026-12-06', { assigned: 'x' }, []],
    ['2026-12-07', { assigned: 'x' }, ['before']],
    ['2026-12-08', { assigned: 'x', before: 'x' }, []],
    ['2026-12-10', { assigned: 'x', before: 'x' }, []],
    ['2026-12-11', { assigned: 'x', before: 'x' }, ['after']],
    ['2026-12-12', { assigned: 'x', before: 'x', after: 'x' }, []],
  ])('on %s with %p sends %p', (today, sent, want) => {
    expect(reminderDue(a, sent, today, tz)).toEqual(want);
  });
  it('sends nothing for a completed action', () => {
    expect(reminderDue({ ...a, status: 'completed' }, {}, '2026-12-11', tz)).toEqual([]);
  });
});

describe('who may edit', () => {
  const home: Home = { id: 'h1', area: 'pkc', name: 'H', registeredPlaces: 10, nursing: false };
  const p = (roles: Person['roles']): Person => ({ email: 'p@x', name: 'P', roles });
  it.each<[Person['roles'], boolean, boolean]>([
    [[{ role: 'manager', home: 'h1' }], true, true],
    [[{ role: 'manager', home: 'h2' }], false, false],
    [[{ role: 'support', area: 'pkc' }], true, true],
    [[{ role: 'support', area: 'dg' }], false, false],
    [[{ role: 'approver', area: 'pkc' }], false, true],
    [[{ role: 'chief', area: 'pkc' }], false, true],
  ])('%p edit=%p view=%p', (roles, edit, view) => {
    expect(mayEditPlan(p(roles), home)).toBe(edit);
    expect(mayViewPlan(p(roles), home)).toBe(view);
  });
});
