/** restify: /api/messages (Bot Framework), /healthz, /api/jobs/:job and /api/jobs/runs/:id. */
import restify from 'restify';
import type { AppContext } from './context';
import { registerExportRoutes } from './http/exports.route';
import { registerJobRoutes } from './http/job-runs.route';
import { keyLimiterFor } from './http/jobs-key';
import type { JobRegistry } from './jobs/registry';

/** Teams card payloads are small; anything this large is refused before it reaches a route. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Hands a Bot Framework request to the bot (the teams/ folder provides it). */
export type BotHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export function createServer(ctx: AppContext, jobs: JobRegistry, bot: BotHandler): restify.Server {
  const server = restify.createServer({ name: 'care-home-huddle', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  // One limiter of wrong jobs keys for every endpoint the key guards, on the context's clock.
  keyLimiterFor(ctx.config, ctx.clock);

  server.post('/api/messages', async (req, res) => {
    // The bot checks the token first and then the body's shape (src/http/activity-shape.ts): 401 before 400.
    await bot(req, res);
  });

  server.get('/healthz', async (_req, res) => {
    const up = await ctx.storageAnswers();
    res.json(up ? 200 : 503, { status: up ? 'ok' : 'degraded', storage: up ? 'ok' : 'unreachable' });
  });

  registerJobRoutes(server, ctx, jobs);

  registerExportRoutes(server, ctx);

  return server;
}
