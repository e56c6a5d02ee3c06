/** The design's edges, checked: Teams imports only in src/teams, Azure only in src/storage, neither in the domain. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const src = path.join(__dirname, '../src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? files(full) : f.endsWith('.ts') ? [full] : [];
  });

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
const rel = (f: string) => path.relative(src, f).split(path.sep).join('/');

const all = files(src).map((f) => ({ file: rel(f), imports: importsOf(f) }));

it('keeps botbuilder, @microsoft/*, @azure/* and restify out of src/domain, and the domain off storage and teams', () => {
  const bad = all
    .filter((f) => f.file.startsWith('domain/'))
    .flatMap((f) => f.imports.filter((i) => /^(botbuilder|@microsoft\/|@azure\/|restify)/.test(i) || /\/(teams|storage)\//.test(i) || /^\.\.\/(teams|storage)/.test(i)).map((i) => `${f.file} imports ${i}`));
  expect(bad).toEqual([]);
});

it('keeps @azure/* inside src/storage', () => {
  const bad = all.filter((f) => !f.file.startsWith('storage/')).flatMap((f) => f.imports.filter((i) => i.startsWith('@azure/')).map((i) => `${f.file} imports ${i}`));
  expect(bad).toEqual([]);
});

it('keeps botbuilder and teams-ai inside src/teams', () => {
  const bad = all
    .filter((f) => !f.file.startsWith('teams/'))
    .flatMap((f) => f.imports.filter((i) => /^(botbuilder|@microsoft\/teams-ai)/.test(i)).map((i) => `${f.file} imports ${i}`));
  expect(bad).toEqual([]);
});

it('reads files as this test expects (a file that imports both edges is caught)', () => {
  expect(importsOf(path.join(src, 'teams/app.ts'))).toContain('botbuilder');
  expect(importsOf(path.join(src, 'storage/client.ts'))).toContain('@azure/data-tables');
});
