/**
 * Every card template in cards/, bound with its sample data, parses as a Teams client at schema 1.5
 * does: no warning, no unknown element (the digest's Teams charts excepted: each has a text fallback).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards';
import * as ACData from 'adaptivecards-templating';

const dir = path.join(__dirname, '../cards');
const templates = readdirSync(dir).filter((f) => f.endsWith('.json'));

const walk = (node: unknown, visit: (n: Record<string, unknown>) => void): void => {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((v) => walk(v, visit));
  }
};

describe.each(templates)('%s', (file) => {
  const name = file.replace(/\.json$/, '');
  const template = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const sample = JSON.parse(readFileSync(path.join(dir, 'samples', `${name}.data.json`), 'utf8'));
  const bound = new ACData.Template(template).expand({ $root: sample }) as Record<string, unknown>;

  it('has sample data and binds every field', () => {
    expect(JSON.stringify(bound)).not.toContain('${');
    expect(bound.version).toBe('1.5');
  });

  it('parses at schema 1.5 without warnings', () => {
    const card = new AC.AdaptiveCard();
    const ctx = new AC.SerializationContext(AC.Versions.v1_5);
    card.parse(bound, ctx);
    const events = Array.from({ length: ctx.eventCount }, (_, i) => ctx.getEventAt(i)).filter(
      (e) => !(e.event === AC.ValidationEvent.UnknownElementType && /Chart\./.test(e.message)),
    );
    expect(events.map((e) => e.message)).toEqual([]);
  });

  it('labels every input, gives required inputs an error message, and gives every Action.Execute a verb', () => {
    walk(bound, (n) => {
      const type = String(n.type ?? '');
      if (type.startsWith('Input.')) {
        expect({ id: n.id, label: typeof n.label === 'string' && n.label.length > 0 }).toEqual({ id: n.id, label: true });
        if (n.isRequired === true) expect({ id: n.id, errorMessage: !!n.errorMessage }).toEqual({ id: n.id, errorMessage: true });
      }
      if (type === 'Action.Execute') expect(typeof n.verb === 'string' && (n.verb as string).length > 0).toBe(true);
      if (type === 'Action.Submit') throw new Error(`${file}: use Action.Execute, not Action.Submit`);
    });
  });
});
