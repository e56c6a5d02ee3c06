/** Starts the whole app: storage (embedded Azurite when none is configured), tables, bot, server, scheduler. */
import path from 'node:path';
import type restify from 'restify';
import { loadConfig, type Config } from './config';
import { createContext, type AppContext, type Clock } from './context';
import { registerJobs } from './jobs';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { log } from './log';
import { createServer } from './server';
import { Storage } from './storage/client';
import { openEmbeddedStore, type EmbeddedStore } from './storage/embedded';
import { createBot } from './teams';

export interface Host {
  ctx: AppContext;
  server: restify.Server;
  url: string;
  scheduler?: Scheduler;
  stop(): Promise<void>;
}

export interface HostOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** listen here instead of config.PORT (tests use 0) */
  port?: number;
}

export async function startHost(opts: HostOptions = {}): Promise<Host> {
  const config: Config = loadConfig(opts.env ?? process.env);
  log.level = config.LOG_LEVEL;
  let embedded: EmbeddedStore | undefined;
  let connectionString = config.STORAGE_CONNECTION_STRING;
  if (!connectionString && !config.STORAGE_ACCOUNT_URL) {
    embedded = await openEmbeddedStore(config.DATA_DIR);
    connectionString = embedded.connectionString;
    log.info({ dataDir: path.resolve(config.DATA_DIR), startedHere: embedded.startedHere }, 'no storage configured: using the embedded Azurite');
  }
  const storage = new Storage({ connectionString, accountUrl: config.STORAGE_ACCOUNT_URL, queueUrl: config.STORAGE_QUEUE_URL, prefix: config.TABLE_PREFIX });
  await storage.ensureTables();

  const ctx = createContext(config, storage, opts.clock);
  registerJobs(ctx);
  const bot = createBot(ctx);
  ctx.messenger = bot.messenger;
  if (!config.authEnabled) {
    log.warn('AUTHENTICATION IS OFF: MicrosoftAppId is empty, so /api/messages accepts requests without a Bot Framework token. Use this only on your own machine.');
    if (config.HOST) log.warn({ host: config.HOST, code: 'HOST.EXPOSED' }, `AUTHENTICATION IS OFF AND HOST IS SET: listening on ${config.HOST}, so anyone who can reach this port can post as anyone. Unset HOST to listen on 127.0.0.1 only.`);
    else log.info({ host: config.listenHost, code: 'HOST.LOOPBACK' }, 'authentication is off: listening on 127.0.0.1 only (HOST changes this, with a warning)');
  }

  const server = createServer(ctx, bot.handle);
  await new Promise<void>((resolve) => server.listen(opts.port ?? config.PORT, config.listenHost, resolve));
  const address = server.address();
  const reachAt = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${reachAt}:${address.port}`;
  const scheduler = config.SCHEDULER === 'on' ? startScheduler(ctx) : undefined;
  log.info({ url, scheduler: config.SCHEDULER, auth: config.authEnabled }, 'Care Home Huddle is listening');

  return {
    ctx,
    server,
    url,
    scheduler,
    async stop() {
      scheduler?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await embedded?.stop();
    },
  };
}
