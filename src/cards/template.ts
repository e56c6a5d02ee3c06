/** Loads an Adaptive Card template from /cards and binds it to data. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

/**
 * One prepared template per card file: `new Template()` parses every `${...}` expression, which costs more
 * than binding the data, and `expand` is synchronous, so a prepared template is safely shared.
 */
const templates = new Map<string, ACData.Template>();

export const CARDS_DIR = path.resolve(__dirname, '../../cards');

export function bindCard(name: string, data: object): Record<string, unknown> {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')) as object);
    templates.set(name, template);
  }
  return template.expand({ $root: data }) as Record<string, unknown>;
}
