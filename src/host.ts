/**
 * One start path for the server and every command-line tool: configuration, storage (embedded Azurite
 * when none is configured), the context with its tables, the jobs and the Teams messenger. The server
 * adds restify and the scheduler on top.
 */
import path from 'node:path';
import type restify from 'restify';
import { loadConfig, type Config } from './config';
import { createContext, type AppContext, type Clock } from './context';
import { createJobs } from './jobs';
import type { JobRegistry } from './jobs/registry';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { log } from './log';
import { remindLoneRequests, remindUnowned, sweepPendingEscalations } from './app/escalation-sweep';
import { buildChatExport } from './app/export-chat';
import { chatExports } from './delivery/export-file';
import { DeliveryWorker, defaultWorkerOptions, type WorkerOptions } from './delivery/worker';
import { createServer } from './server';
import { Storage } from './storage/client';
import { outsideDeadline } from './storage/deadline';
import { openEmbeddedStore, type EmbeddedStore } from './storage/embedded';
import { createBot, type Bot } from './teams';

export interface OpenApp {
  ctx: AppContext;
  jobs: JobRegistry;
  bot: Bot;
  /** the raw storage, for tests and tools that count or inspect rows; the app reaches it through ctx's tables */
  storage: Storage;
  close(): Promise<void>;
}

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** told when this process started the embedded store (CLIs say so on stderr) */
  onEmbeddedStarted?: (dataDir: string) => void;
}

export async function openApp(opts: OpenOptions = {}): Promise<OpenApp> {
  const config: Config = loadConfig(opts.env ?? process.env);
  log.level = config.LOG_LEVEL;
  let embedded: EmbeddedStore | undefined;
  let connectionString = config.STORAGE_CONNECTION_STRING;
  if (!connectionString && !config.STORAGE_ACCOUNT_URL) {
    embedded = await openEmbeddedStore(config.DATA_DIR);
    connectionString = embedded.connectionString;
    log.info({ dataDir: path.resolve(config.DATA_DIR), startedHere: embedded.startedHere }, 'no storage configured: using the embedded Azurite');
    if (embedded.startedHere) opts.onEmbeddedStarted?.(path.resolve(config.DATA_DIR));
  }
  const storage = new Storage({ connectionString, accountUrl: config.STORAGE_ACCOUNT_URL, queueUrl: config.STORAGE_QUEUE_URL, prefix: config.TABLE_PREFIX });
  await storage.ensureTables();
  const ctx = createContext(config, storage, opts.clock);
  const bot = createBot(ctx);
  ctx.messenger = bot.messenger;
  chatExports.build = buildChatExport;
  return { ctx, jobs: createJobs(), bot, storage, close: async () => void (await embedded?.stop()) };
}

export interface Host extends OpenApp {
  server: restify.Server;
  url: string;
  /** sends the send intents the use cases record: on every instance, whatever SCHEDULER says */
  delivery: DeliveryWorker;
  scheduler?: Scheduler;
  stop(): Promise<void>;
}

export interface HostOptions extends OpenOptions {
  /** listen here instead of config.PORT (tests use 0) */
  port?: number;
  /** the delivery worker's timings, changed (tests: a give-up within seconds rather than minutes) */
  delivery?: Partial<WorkerOptions>;
}

export async function startHost(opts: HostOptions = {}): Promise<Host> {
  const app = await openApp(opts);
  const { ctx, jobs, bot } = app;
  const config = ctx.config;
  if (!config.authEnabled) {
    log.warn('AUTHENTICATION IS OFF: MicrosoftAppId is empty, so /api/messages accepts requests without a Bot Framework token. Use this only on your own machine.');
    if (config.HOST) log.warn({ host: config.HOST, code: 'HOST.EXPOSED' }, `AUTHENTICATION IS OFF AND HOST IS SET: listening on ${config.HOST}, so anyone who can reach this port can post as anyone. Unset HOST to listen on 127.0.0.1 only.`);
    else log.info({ host: config.listenHost, code: 'HOST.LOOPBACK' }, 'authentication is off: listening on 127.0.0.1 only (HOST changes this, with a warning)');
  }

  // Rows once stored per channel thread become their channel's one row (§2; done once, here at start).
  try {
    const folded = await ctx.conversations.foldThreadRows();
    if (folded) log.info({ folded }, 'channel thread rows folded into their channels');
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'channel thread rows not folded: the next start tries again');
  }

  const server = createServer(ctx, jobs, bot.handle);
  // The requests being answered, so that a stop can let them finish (each card action is bounded by its deadline).
  const inFlight = new Set<Promise<void>>();
  server.server.on('request', (_req, res: import('node:http').ServerResponse) => {
    const done = new Promise<void>((resolve) => res.once('close', resolve));
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  });
  const port = opts.port ?? config.PORT;
  try {
    await new Promise<void>((resolve, reject) => {
      // restify re-emits the http server's 'error' on itself: unheard, it would crash the process
      server.once('error', reject);
      server.listen(port, config.listenHost, () => (server.off('error', reject), resolve()));
    });
  } catch (e) {
    await app.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, config.listenHost);
    throw e;
  }
  const address = server.address();
  const reachAt = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${reachAt}:${address.port}`;
  const delivery = new DeliveryWorker(ctx, { ...defaultWorkerOptions(), ...opts.delivery }, [
    { name: 'escalation-sweep', run: () => sweepPendingEscalations(ctx) },
    { name: 'unowned-reminder', run: () => remindUnowned(ctx) },
    { name: 'lone-request-reminder', run: () => remindLoneRequests(ctx) },
  ]).start();
  // A use case wakes it from within a request: its passes run under no request's deadline.
  ctx.wakeDelivery = () => outsideDeadline(() => delivery.wake());
  const scheduler = config.SCHEDULER === 'on' ? startScheduler(ctx, jobs) : undefined;
  log.info({ url, scheduler: config.SCHEDULER, auth: config.authEnabled }, 'Care Home Huddle is listening');

  return {
    ...app,
    server,
    url,
    scheduler,
    delivery,
    async stop() {
      // No new requests; the ones in flight finish (or are cut) within STOP_REQUESTS_MS; then the scheduler,
      // the delivery worker and last the embedded store.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      await Promise.race([Promise.all([...inFlight]), new Promise((r) => setTimeout(r, STOP_REQUESTS_MS).unref())]);
      server.server.closeAllConnections();
      await closed;
      scheduler?.stop();
      await Promise.race([delivery.stop(), new Promise((r) => setTimeout(r, STOP_WORKERS_MS).unref())]);
      await app.close();
    },
  };
}

/** How long a stop waits for requests in flight (a card action answers within 5 s) and for the workers. */
const STOP_REQUESTS_MS = 5500;
const STOP_WORKERS_MS = 2500;

/** The port is taken (another instance, another program): one clear message, exit 1 (src/index.ts). */
export class PortInUseError extends Error {
  constructor(readonly port: number, host: string) {
    super(`Port ${port} on ${host} is already in use: stop what is listening there, or set PORT to another port.`);
    this.name = 'PortInUseError';
  }
}
