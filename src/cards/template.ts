/** Loads an Adaptive Card template from /cards and binds it to data. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

const cache = new Map<string, object>();

export const CARDS_DIR = path.resolve(__dirname, '../../cards');

export function bindCard(name: string, data: object): Record<string, unknown> {
  let json = cache.get(name);
  if (!json) {
    json = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')) as object;
    cache.set(name, json);
  }
  return new ACData.Template(json).expand({ $root: data }) as Record<string, unknown>;
}
