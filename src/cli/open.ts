/** The app for a command-line tool: the same start path, configuration and storage as the server (host.ts). */
import { ConfigError } from '../config';
import { openApp, type OpenApp } from '../host';

export async function openCli(): Promise<OpenApp> {
  // quieter than the server unless asked: a CLI prints its own progress
  return openApp({ env: { LOG_LEVEL: 'warn', ...process.env }, onEmbeddedStarted: (dir) => process.stderr.write(`Using the embedded store in ${dir}\n`) });
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
