/**
 * `POST /api/jobs/{job}` and `GET /api/jobs/runs/{id}`, behind the jobs key. A job that ends within a few
 * seconds answers 200 with its counts, as before; a longer one answers 202 with a run id (App Service's front
 * end cuts a request at 230 s), and the run is followed in Table storage, so any instance can answer.
 */
import type restify from 'restify';
import { z } from 'zod';
import type { AppContext } from '../context';
import { isIsoDate } from '../domain/calendar';
import type { JobParams, JobRegistry } from '../jobs/registry';
import { runView, startRun } from '../jobs/runs';
import { requireJobsKey } from './jobs-key';

/** How long the request waits for the job before answering 202; tests shorten it. */
export const jobRunOptions = { answerWithinMs: 3_000 };

const jobBody = z
  .object({
    area: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an area id').optional(),
    date: z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD').optional(),
  })
  .strict();

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function registerJobRoutes(server: restify.Server, ctx: AppContext, jobs: JobRegistry): void {
  server.post('/api/jobs/:job', async (req, res) => {
    if (!requireJobsKey(ctx.config, req, res)) return;
    const name = String(req.params.job ?? '');
    const why = jobs.whyNot(name);
    if (why) return void res.json(404, { error: why });
    const body = jobBody.safeParse(req.body ?? {});
    if (!body.success) {
      return void res.json(400, { error: 'The body is not valid.', problems: body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) });
    }
    const params: JobParams = body.data;
    let run;
    try {
      run = await startRun(ctx, jobs, name, params);
    } catch (e) {
      ctx.log.error({ job: name, status: (e as { statusCode?: number }).statusCode }, 'job run not started');
      return void res.json(503, { job: name, error: 'The job could not be started: storage did not answer. Nothing was run; try again.' });
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), jobRunOptions.answerWithinMs)));
    const first = await Promise.race([run.finished, waited]);
    clearTimeout(timer);
    if (first === 'waiting') {
      const follow = `/api/jobs/runs/${run.id}`;
      res.header('Location', follow);
      return void res.json(202, { job: name, runId: run.id, state: 'running', follow });
    }
    // The body stays the job's answer (§7); where its run is kept goes in a header.
    res.header('Content-Location', `/api/jobs/runs/${run.id}`);
    if (first.ok) return void res.json(200, first.result);
    res.json(503, { job: name, error: 'The job could not finish; it is safe to run it again.' });
  });

  server.get('/api/jobs/runs/:id', async (req, res) => {
    if (!requireJobsKey(ctx.config, req, res)) return;
    const id = String(req.params.id ?? '');
    if (!RUN_ID.test(id)) return void res.json(404, { error: 'There is no such run.' });
    try {
      const run = await ctx.jobRuns.get(id);
      if (!run) return void res.json(404, { error: 'There is no such run.' });
      res.json(200, runView(run, ctx.clock()));
    } catch (e) {
      ctx.log.warn({ status: (e as { statusCode?: number }).statusCode }, 'job run not read');
      res.json(503, { error: 'Storage did not answer; try again.' });
    }
  });
}
