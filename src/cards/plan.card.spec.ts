import { readFileSync } from 'node:fs';
import * as AC from 'adaptivecards';
import path from 'node:path';
import { createAction } from '../domain/plan';
import { CARD_BUDGET_BYTES, planCard } from './plan.card';
import { bindCard, CARDS_DIR } from './template';

const sample = (name: string) => JSON.parse(readFileSync(path.join(CARDS_DIR, 'samples', `${name}.data.json`), 'utf8'));

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

describe.each(['plan', 'plan-error'])('card %s bound to its sample', (name) => {
  const card = bindCard(name, sample(name));
  const elements = walk(card);

  it('is Adaptive Card 1.5 with every field bound', () => {
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it('parses and validates with the Adaptive Cards renderer without warnings', () => {
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    const parsed = new AC.AdaptiveCard();
    parsed.parse(card, context);
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

  it('carries the home (and the action number) on every Action.Execute', () => {
    for (const a of elements.filter((e) => e.type === 'Action.Execute')) {
      const data = a.data as Record<string, unknown>;
      expect(data.homeId).toBe('pkc-birchwood');
      if (String(a.verb).startsWith('action.') && a.verb !== 'action.create') expect(data.actionNo).toMatch(/^[1-6]\.\d+$/);
    }
  });
});

describe('plan card', () => {
  const text = JSON.stringify(bindCard('plan', sample('plan')));
  it('shows RAG in words as well as colour, overdue first', () => {
    expect(text).toContain('Red: overdue');
    expect(text).toContain('Red: not on target');
    expect(text).toContain('Amber: on target');
    expect(text.indexOf('Red: overdue')).toBeGreaterThan(0);
    expect(text).toContain('"style":"filtered"');
    expect(text).toContain('"type":"Input.Date"');
  });
});

describe('a plan with many open actions', () => {
  const home = { id: 'pkc-birchwood', area: 'pkc', name: 'Birchwood House', registeredPlaces: 40, nursing: true };
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
    const card = planCard({ home, actions, today: '2026-11-23', people: [] });
    const text = JSON.stringify(card);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(text).toContain('"actionNo":"4.7"'); // the overdue one, shown first
    expect(text).toMatch(/no room for \d+ more open actions \(/);
    expect(text).toContain('40 open actions');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
