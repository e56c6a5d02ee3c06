/** npm start: configuration, storage, server, scheduler; a clean stop on SIGTERM/SIGINT within 10 s. */
// First: Application Insights (when configured) must be on before restify and the Azure SDKs load.
import './telemetry/start';
import { ConfigError } from './config';
import { PortInUseError, startHost } from './host';
import { log } from './log';

/** A stop that has not ended by now ends the process anyway (App Service and systemd wait about 10 s). */
const HARD_STOP_MS = 9500;

// Logged once each, with no stack or free text; the process goes on (the request that made it was answered).
process.on('unhandledRejection', (reason: unknown) => {
  log.error({ err: reason instanceof Error ? reason.message : String(reason).slice(0, 200), code: 'PROCESS.UNHANDLED_REJECTION' }, 'unhandled rejection');
});

startHost()
  .then((host) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      setTimeout(() => {
        log.warn({ code: 'PROCESS.STOP_TIMEOUT' }, 'stop did not finish in time: exiting');
        process.exit(1);
      }, HARD_STOP_MS).unref();
      host.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          log.error({ err: (e as Error).message }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  })
  .catch((e: unknown) => {
    if (e instanceof ConfigError || e instanceof PortInUseError) {
      process.stderr.write(`${e.message}\n`);
    } else {
      log.fatal({ err: (e as Error).message }, 'could not start');
    }
    process.exit(1);
  });
