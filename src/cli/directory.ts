/** npm run directory -- import FILE (.json or a homes .csv) | export | forget-identity EMAIL */
import { readFileSync } from 'node:fs';
import { validateDirectory, type Problem } from '../domain/directory';
import { parseHomesCsv } from '../domain/directory-csv';
import { openCli, runCli } from './open';

const usage =
  'Usage: npm run directory -- import FILE   (a directory .json, or a homes .csv)\n       npm run directory -- export\n       npm run directory -- forget-identity EMAIL   (the account was re-created: learn its object id again)';

const forgotten = {
  cleared: 'The object id learned for EMAIL is forgotten: the next time this person uses the bot, their account is matched by e-mail again.',
  none: 'No object id had been learned for EMAIL: nothing was changed.',
  'in-file': "EMAIL's object id comes from the directory file (aadObjectId): change or remove it there and import the file again.",
  unknown: 'There is nobody with the e-mail EMAIL in the directory: nothing was changed.',
} as const;

function printProblems(file: string, problems: Problem[]): void {
  process.stderr.write(`${file} was not imported; nothing was written. ${problems.length} problem(s):\n`);
  for (const p of problems) process.stderr.write(`  ${p.path}: ${p.message}\n`);
}

runCli(async () => {
  const [command, file] = process.argv.slice(2);
  if (command === 'import' && file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`Cannot read ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    if (file.toLowerCase().endsWith('.csv')) {
      const parsed = parseHomesCsv(text);
      if (!parsed.ok) return printProblems(file, parsed.problems), 1;
      const { ctx, close } = await openCli();
      try {
        const dir = await ctx.directory.load();
        const areas = new Set(dir.areas.map((a) => a.id));
        const unknown = parsed.homes.flatMap((h, i) => (areas.has(h.area) ? [] : [{ path: `line ${i + 2}.area`, message: `unknown area "${h.area}"` }]));
        if (unknown.length) return printProblems(file, unknown), 1;
        const report = await ctx.directory.importHomes(parsed.homes);
        process.stdout.write(`Imported ${file}: ${JSON.stringify(report)}\n`);
        return 0;
      } finally {
        await close();
      }
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return printProblems(file, [{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }]), 1;
    }
    const valid = validateDirectory(json);
    if (!valid.ok) return printProblems(file, valid.problems), 1;
    const { ctx, close } = await openCli();
    try {
      const report = await ctx.directory.importDirectory(valid.directory);
      process.stdout.write(`Imported ${file}: ${JSON.stringify(report)}\n`);
      return 0;
    } finally {
      await close();
    }
  }
  if (command === 'forget-identity' && file) {
    const email = file.trim().toLowerCase();
    const { ctx, close } = await openCli();
    try {
      const result = await ctx.directory.forgetIdentity(email);
      if (result === 'cleared') await ctx.audit.append({ entity: 'person', entityId: email, action: 'forget-identity', by: 'cli', at: new Date() });
      (result === 'cleared' || result === 'none' ? process.stdout : process.stderr).write(`${forgotten[result].replace('EMAIL', email)}\n`);
      return result === 'cleared' || result === 'none' ? 0 : 1;
    } finally {
      await close();
    }
  }
  if (command === 'export') {
    const { ctx, close } = await openCli();
    try {
      process.stdout.write(`${JSON.stringify(await ctx.directory.load(), null, 2)}\n`);
      return 0;
    } finally {
      await close();
    }
  }
  process.stderr.write(`${usage}\n`);
  return 2;
});
