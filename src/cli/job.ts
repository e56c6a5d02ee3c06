/** npm run job -- NAME [--area A] [--date YYYY-MM-DD]: runs a job now, with progress, and prints its counts. */
import { parseArgs } from 'node:util';
import { isIsoDate } from '../domain/calendar';
import { openCli, runCli } from './open';

runCli(async () => {
  const { values, positionals } = parseArgs({ options: { area: { type: 'string' }, date: { type: 'string' } }, allowPositionals: true });
  const [name] = positionals;
  if (!name) {
    process.stderr.write('Usage: npm run job -- NAME [--area A] [--date YYYY-MM-DD]\n');
    return 2;
  }
  if (values.date && !isIsoDate(values.date)) {
    process.stderr.write(`--date must be a date as YYYY-MM-DD (got "${values.date}")\n`);
    return 2;
  }
  const { ctx, jobs, close } = await openCli();
  try {
    const why = jobs.whyNot(name);
    if (why) {
      process.stderr.write(`${why}\n`);
      return 2;
    }
    const result = await jobs.get(name)!(ctx, { area: values.area, date: values.date }, ({ done, total, note }) =>
      process.stderr.write(`\r${name}: ${done}/${total}${note ? ` ${note}` : ''}   `),
    );
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.failed > 0 ? 1 : 0;
  } finally {
    await close();
  }
});
