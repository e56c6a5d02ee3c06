/** npm start: configuration, storage, server, scheduler. */
// First: Application Insights (when configured) must be on before restify and the Azure SDKs load.
import './telemetry/start';
import { ConfigError } from './config';
import { startHost } from './host';
import { log } from './log';

startHost()
  .then((host) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'shutting down');
      host.stop().finally(() => process.exit(0));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  })
  .catch((e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
    } else {
      log.fatal({ err: (e as Error).message }, 'could not start');
    }
    process.exit(1);
  });
