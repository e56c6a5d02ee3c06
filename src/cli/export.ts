/**
 * npm run export -- huddles|escalations|actions --area A --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]:
 * the same CSV as GET /api/exports/{what}.csv (no free text), to stdout or a file, with progress on stderr.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { exportCsv } from '../app/export';
import { openCli, runCli } from './open';

const USAGE = 'Usage: npm run export -- huddles|escalations|actions --area A --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]\n';

runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({ options: { area: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    process.stderr.write(`Give one export, not ${positionals.length}.\n${USAGE}`);
    return 2;
  }
  const { ctx, close } = await openCli();
  try {
    const outcome = await exportCsv(ctx, { operator: 'cli' }, { what: positionals[0], area: values.area, from: values.from, to: values.to });
    if (!outcome.ok) {
      const problems = Object.entries(outcome.fields ?? {}).map(([k, v]) => `  ${k}: ${v}\n`);
      process.stderr.write(`${problems.length ? `The export was not made:\n${problems.join('')}${USAGE}` : `${outcome.message}\n`}`);
      return 2;
    }
    const csv = outcome.value;
    const toFile = values.out !== undefined;
    const progress = (rows: number, finished: boolean) => {
      if (toFile || finished) process.stderr.write(`\r${csv.query.what}: ${rows} rows${finished ? '\n' : '   '}`);
    };
    await pipeline(csv.stream(progress), toFile ? createWriteStream(values.out!) : process.stdout);
    if (toFile) process.stderr.write(`Written to ${values.out}\n`);
    return 0;
  } finally {
    await close();
  }
});
