/** npm run job -- NAME [--area A] [--date YYYY-MM-DD]: runs a job now, with progress, and prints its counts (the run is kept in `jobruns`). */
import { parseArgs } from 'node:util';
import { isIsoDate } from '../domain/calendar';
import { startRun } from '../jobs/runs';
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
    // Recorded as a run too, so that it can be followed at GET /api/jobs/runs/{id} while it goes.
    const run = await startRun(ctx, jobs, name, { area: values.area, date: values.date }, ({ done, total, note }) =>
      process.stderr.write(`\r${name}: ${done}/${total}${note ? ` ${note}` : ''}   `),
    );
    process.stderr.write(`${name}: run ${run.id}\n`);
    const end = await run.finished;
    process.stderr.write('\n');
    if (!end.ok) {
      process.stderr.write(`${name}: the job could not finish; it is safe to run it again.\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(end.result, null, 2)}\n`);
    return end.result.failed > 0 ? 1 : 0;
  } finally {
    await close();
  }
});
