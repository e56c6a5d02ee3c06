/** restify: /api/messages (Bot Framework), /healthz, /api/jobs/:job. */
import restify from 'restify';
import { z } from 'zod';
import type { AppContext } from './context';
import { isIsoDate } from './domain/calendar';
import { registerExportRoutes } from './http/exports.route';
import { requireJobsKey } from './http/jobs-key';
import type { JobParams, JobRegistry } from './jobs/registry';

/** Teams card payloads are small; anything this large is refused before it reaches a route. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Hands a Bot Framework request to the bot (the teams/ folder provides it). */
export type BotHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

const jobBody = z
  .object({
    area: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an area id').optional(),
    date: z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD').optional(),
  })
  .strict();

export function createServer(ctx: AppContext, jobs: JobRegistry, bot: BotHandler): restify.Server {
  const server = restify.createServer({ name: 'care-home-huddle', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    await bot(req, res);
  });

  server.get('/healthz', async (_req, res) => {
    const up = await ctx.storageAnswers();
    res.json(up ? 200 : 503, { status: up ? 'ok' : 'degraded', storage: up ? 'ok' : 'unreachable' });
  });

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
    try {
      const result = await jobs.get(name)!(ctx, params, () => undefined);
      res.json(200, result);
    } catch (e) {
      ctx.log.error({ job: name, err: (e as Error).message }, 'job failed');
      res.json(503, { job: name, error: 'The job could not finish; it is safe to run it again.' });
    }
  });

  registerExportRoutes(server, ctx);

  return server;
}
