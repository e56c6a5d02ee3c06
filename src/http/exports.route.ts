/**
 * GET /api/exports/{what}.csv?area=A&from=D&to=D (§6a): huddles, escalations or actions of one area as CSV, behind
 * the jobs key (and its failed-attempt limit), streamed as it is read. No free text. Bad input: 400 with every problem.
 */
import { pipeline } from 'node:stream';
import type restify from 'restify';
import { exportCsv } from '../app/export';
import type { AppContext } from '../context';
import { requireJobsKey } from './jobs-key';

/** The query's parameters as given: a value given twice stays an array, so it is refused rather than guessed. */
function params(req: restify.Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(req.url ?? '', 'http://localhost').searchParams) {
    const had = out[k];
    out[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return out;
}

export function registerExportRoutes(server: restify.Server, ctx: AppContext): void {
  server.get('/api/exports/:file', async (req, res) => {
    if (!requireJobsKey(ctx.config, req, res)) return;
    const file = String(req.params.file ?? '');
    const q = params(req);
    const what = file.endsWith('.csv') ? file.slice(0, -4) : `${file} (the file name ends .csv)`;
    let outcome;
    try {
      outcome = await exportCsv(ctx, { operator: 'jobs-key' }, { what, area: q.area, from: q.from, to: q.to });
    } catch (e) {
      ctx.log.error({ route: 'exports', err: (e as Error).message }, 'export failed');
      return void res.json(503, { error: 'The export could not be read just now; it is safe to ask again.' });
    }
    if (!outcome.ok) {
      const problems = Object.entries(outcome.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
      return void res.json(outcome.code === 'EXPORT.BAD_INPUT' ? 400 : 403, { error: outcome.message, code: outcome.code, problems });
    }
    const csv = outcome.value;
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${csv.filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    // backpressure: rows are read from storage only as fast as the client takes them; a failure mid-way cuts the response
    await new Promise<void>((resolve) => pipeline(csv.stream(), res, () => resolve()));
  });
}
