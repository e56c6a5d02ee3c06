/** A bench server in its own process: the real app (argv[2] = "app") or a bare teams-ai baseline ("baseline"). Prints its URL. */
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import restify from 'restify';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { startHost } from '../src/host';

async function baseline(): Promise<string> {
  const adapter = new TeamsAdapter({});
  const app = new Application({ adapter, botAppId: '', removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const card = { type: 'AdaptiveCard' as const, $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [{ type: 'TextBlock', text: 'Saved', wrap: true }] };
  app.adaptiveCards.actionExecute('huddle.submit', async () => card);
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => adapter.process(req, res, (ctx) => app.run(ctx).then(() => undefined)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}`;
}

async function main(): Promise<void> {
  const url = process.argv[2] === 'baseline' ? await baseline() : (await startHost({ port: 0 })).url;
  // profiled from here: the requests, not the start (tsx compiling the sources)
  if (process.env.BENCH_PROF) profile(process.env.BENCH_PROF);
  process.stdout.write(`URL ${url}\n`);
}

/** BENCH_PROF=<folder>: a CPU profile of the server once started, written when it is stopped, for finding where its time goes. */
function profile(folder: string): void {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  process.on('SIGTERM', () =>
    session.post('Profiler.stop', (err, { profile }) => {
      if (!err) writeFileSync(path.join(folder, `${process.argv[2]}-${process.pid}.cpuprofile`), JSON.stringify(profile));
      process.exit(0);
    }),
  );
}

// BENCH_MEM=1: the process's memory every second, for the RSS bench; on SIGUSR2 (run with --expose-gc), after a full GC.
if (process.env.BENCH_MEM) {
  setInterval(() => process.stdout.write(`MEM ${JSON.stringify(process.memoryUsage())}\n`), 1000).unref();
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(`GCMEM ${JSON.stringify(process.memoryUsage())}\n`);
  });
}

void main();
