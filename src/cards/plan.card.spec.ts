import * as AC from 'adaptivecards';
import { createAction, type Action, type Plan } from '../domain/plan';
import { planErrorCard } from './plan-error.card';
import { CARD_BUDGET_BYTES, planCard } from './plan.card';

/** Every element of a card, ShowCards included. */
function walk(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => walk(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string') out.push(o);
    Object.values(o).forEach((v) => walk(v, out));
  }
  return out;
}

const today = '2026-11-23';
const at = new Date('2026-11-10T09:30:00Z');
const home = { id: 'pkc-birchwood', area: 'pkc', name: 'Birchwood House', registeredPlaces: 40, nursing: true };
const plan: Plan = {
  homeId: home.id,
  areaId: 'pkc',
  header: { partnershipLead: 'Iain Shaw', registeredManager: 'Morag Reid', serviceName: home.name, serviceType: 'Care home with nursing', commencementDate: '2026-11-01', reviewDate: '2026-12-20' },
  contexts: { 3: 'Care Inspectorate inspection report, October 2026' },
  lastNo: { 2: 1, 3: 2, 4: 1 },
};
const action = (theme: number, seq: number, due: string, description: string): Action =>
  createAction({ homeId: home.id, lastNo: { [theme]: seq - 1 } }, { theme, description, outcome: `Outcome of ${description}`, due, responsible: { name: 'Morag Reid' } }, 'iain.shaw@nhs.example', at);

// Theme 3 holds an action on target (3.1) and, numbered after it, an overdue one (3.2): the card shows 3.2 first.
const onTarget = action(3, 1, '2026-12-30', 'IPC e-learning for all staff');
const overdue = action(3, 2, '2026-11-20', 'Hand hygiene audit');
const meeting = action(2, 1, '2026-12-15', 'Weekly senior staff meeting');
const notOnTarget: Action = {
  ...meeting,
  onTarget: false,
  log: [...meeting.log, { at: at.toISOString(), by: 'morag.reid@birchwood.example', kind: 'progress', comment: 'Two of four meetings held', onTarget: false }],
};
const completed: Action = { ...action(4, 1, '2026-11-15', 'Replace lounge flooring'), status: 'completed' };

const card = planCard({
  home,
  plan,
  actions: [onTarget, overdue, notOnTarget, completed],
  today,
  people: [{ email: 'morag.reid@birchwood.example', name: 'Morag Reid', roles: [] }],
  notice: { kind: 'ok', text: 'Added action 3.2.' },
});
const errorCard = planErrorCard('PLAN.NOT_SAVED', 'Not saved: the plan could not be stored just now. Please try again.', 'Not saved');

describe.each([
  ['plan', card],
  ['plan-error', errorCard],
])('card %s, bound by its builder', (_name, bound) => {
  const elements = walk(bound);

  it('is Adaptive Card 1.5 with every field bound', () => {
    expect(bound.version).toBe('1.5');
    expect(JSON.stringify(bound)).not.toContain('${');
  });

  it('parses and validates with the Adaptive Cards renderer without warnings', () => {
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    const parsed = new AC.AdaptiveCard();
    parsed.parse(bound, context);
    expect(context.eventCount).toBe(0);
    expect(parsed.validateProperties().validationEvents).toEqual([]);
  });

  it('labels every input, gives required ones an error message, and uses each id once', () => {
    const inputs = elements.filter((e) => String(e.type).startsWith('Input.'));
    for (const i of inputs) {
      expect(i.label).toBeTruthy();
      if (i.isRequired) expect(i.errorMessage).toBeTruthy();
    }
    const ids = inputs.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

/** The action rows as a reader sees them, in card order: number, RAG words, RAG colour. */
function rows(bound: object): { no: string; rag: string; color: string }[] {
  return walk(bound)
    .filter((e) => e.type === 'ColumnSet')
    .map((e) => (e.columns as { items: { text: string; color?: string }[] }[]).map((c) => c.items[0]))
    .filter((cols) => cols.length === 3 && /^\d\.\d+$/.test(cols[0].text))
    .map(([no, , rag]) => ({ no: no.text, rag: rag.text, color: String(rag.color) }));
}

describe('plan card', () => {
  const elements = walk(card);

  it('shows each open action with its RAG in words and an icon (Red also in the Attention colour, never Warning), overdue first within its theme', () => {
    expect(rows(card)).toEqual([
      { no: '2.1', rag: '● Red: not on target', color: 'Attention' },
      { no: '3.2', rag: '● Red: overdue', color: 'Attention' },
      { no: '3.1', rag: '▲ Amber: on target', color: 'Default' },
    ]);
  });

  it('counts the completed action as Green and leaves it out of the open list', () => {
    const summary = elements.find((e) => e.type === 'TextBlock' && String(e.text).includes('open actions'));
    expect(summary?.text).toBe('3 open actions (2 Red, 1 Amber), 1 overdue; 1 completed (Green). Today is 23 Nov 2026.');
    expect(elements.some((e) => e.type === 'Action.Execute' && (e.data as { actionNo?: string }).actionNo === '4.1')).toBe(false);
  });

  it('offers update and complete for each open action, carrying the home and the action number', () => {
    const executes = elements.filter((e) => e.type === 'Action.Execute');
    const of = (verb: string) => executes.filter((e) => e.verb === verb).map((e) => e.data);
    expect(of('action.update')).toEqual(['2.1', '3.2', '3.1'].map((actionNo) => ({ homeId: home.id, actionNo })));
    expect(of('action.complete')).toEqual(['2.1', '3.2', '3.1'].map((actionNo) => ({ homeId: home.id, actionNo })));
    for (const e of executes) expect((e.data as { homeId: string }).homeId).toBe(home.id);
  });

  it('leaves a past due date to the server, which says the date has passed (a client min would answer "Give the date…"), and keeps the latest comment and the context line', () => {
    const dueInputs = elements.filter((e) => e.type === 'Input.Date' && (e.id === 'due' || String(e.id).startsWith('due_')));
    expect(dueInputs.map((e) => e.id).sort()).toEqual(['due', 'due_2_1', 'due_3_1', 'due_3_2']);
    for (const e of dueInputs) expect(e.min).toBeUndefined();
    for (const e of dueInputs) expect(String(e.label)).toContain('today or later');
    const text = JSON.stringify(card);
    expect(text).toContain('Latest: Two of four meetings held');
    expect(text).toContain('Context: Care Inspectorate inspection report, October 2026');
    expect(text).toContain('"style":"filtered"');
  });
});

describe('a plan with many open actions', () => {
  const actions = Array.from({ length: 40 }, (_, i) =>
    createAction(
      { homeId: home.id, lastNo: { [(i % 6) + 1]: Math.floor(i / 6) } },
      { theme: (i % 6) + 1, description: 'x'.repeat(150), outcome: 'y'.repeat(100), due: i === 39 ? '2026-11-01' : '2026-12-10', responsible: { name: 'Morag Reid' } },
      'a',
      new Date('2026-10-23T09:30:00Z'),
    ),
  );
  it('stays under the Teams message size, keeps overdue ones, and names those left out', () => {
    const started = Date.now();
    const bound = planCard({ home, actions, today, people: [] });
    const text = JSON.stringify(bound);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(text).toContain('"actionNo":"4.7"'); // the overdue one, shown first
    expect(text).toMatch(/no room for \d+ more open actions \(/);
    expect(text).toContain('40 open actions');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
