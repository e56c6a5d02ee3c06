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
/** Every sample: `<template>.data.json`, and variants `<template>.<variant>.data.json` (a closed escalation, a form with problems). */
const samples = readdirSync(path.join(dir, 'samples'))
  .filter((f) => f.endsWith('.data.json'))
  .map((f) => ({ file: f, template: `${f.split('.')[0]}.json` }));

const walk = (node: unknown, visit: (n: Record<string, unknown>) => void): void => {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((v) => walk(v, visit));
  }
};

it('every template has a sample, and every sample a template', () => {
  for (const t of templates) expect(samples.map((s) => s.file)).toContain(t.replace(/\.json$/, '.data.json'));
  for (const s of samples) expect(templates).toContain(s.template);
});

/** The words a person sees: not the data of actions, nor the values of choices (an owner choice's value is an e-mail, its title the name). */
const shownText = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(shownText);
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, unknown>;
  // A fact's value is shown; an input's value is what the person types over (checked with the rest of the data).
  const own = ['text', 'title', 'label', 'placeholder', 'fallbackText', 'errorMessage', 'value']
    .filter((k) => typeof n[k] === 'string' && !(k === 'value' && String(n.type ?? '').startsWith('Input.')))
    .map((k) => n[k] as string);
  const children = Object.entries(n).filter(([k]) => k !== 'data' && k !== 'choices' && k !== 'refresh').map(([, v]) => v);
  const choices = Array.isArray(n.choices) ? (n.choices as { title?: string }[]).map((c) => c.title ?? '') : [];
  return [...own, ...choices, ...children.flatMap(shownText)];
};

describe.each(samples)('$file', ({ file: sampleFile, template: file }) => {
  const template = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const sample = JSON.parse(readFileSync(path.join(dir, 'samples', sampleFile), 'utf8'));
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

  it('puts no text in the Good or Warning colours (too pale on the light theme), and meaning in words', () => {
    walk(bound, (n) => {
      if (n.type === 'TextBlock' || n.type === 'TextRun') expect({ text: n.text, color: n.color }).not.toMatchObject({ color: expect.stringMatching(/^(good|warning)$/i) });
    });
  });

  it('shows no e-mail address, raw ISO timestamp or version number', () => {
    const text = shownText(bound).join('\n');
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/\bVersion\b/i);
  });
});
