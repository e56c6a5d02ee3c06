/** The app's context for a command-line tool: the same configuration and storage as the server. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { createContext, type AppContext } from '../context';
import { registerJobs } from '../jobs';
import { log } from '../log';
import { Storage } from '../storage/client';
import { openEmbeddedStore } from '../storage/embedded';
import { createBot } from '../teams';

export async function openCli(): Promise<{ ctx: AppContext; close(): Promise<void> }> {
  const config = loadConfig(process.env);
  log.level = process.env.LOG_LEVEL ?? 'warn';
  let connectionString = config.STORAGE_CONNECTION_STRING;
  let close = async (): Promise<void> => undefined;
  if (!connectionString && !config.STORAGE_ACCOUNT_URL) {
    const embedded = await openEmbeddedStore(config.DATA_DIR);
    connectionString = embedded.connectionString;
    close = embedded.stop;
    if (embedded.startedHere) process.stderr.write(`Using the embedded store in ${path.resolve(config.DATA_DIR)}\n`);
  }
  const storage = new Storage({ connectionString, accountUrl: config.STORAGE_ACCOUNT_URL, queueUrl: config.STORAGE_QUEUE_URL, prefix: config.TABLE_PREFIX });
  await storage.ensureTables();
  const ctx = createContext(config, storage);
  registerJobs(ctx);
  ctx.messenger = createBot(ctx).messenger;
  return { ctx, close };
}

/** Runs a CLI's main, printing a configuration problem or failure plainly and exiting non-zero. */
export function runCli(main: () => Promise<number>): void {
  main()
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof ConfigError ? e.message : `Failed: ${(e as Error).message}`}\n`);
      process.exit(1);
    });
}
