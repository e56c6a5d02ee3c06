/** The embedded default: Azurite's Table and Queue services started as child processes (no global install). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Azurite's documented development account; it is public and only ever used against the local emulator. */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedAzurite {
  connectionString: string;
  tablePort: number;
  queuePort: number;
  stop(): Promise<void>;
}

export function azuriteConnectionString(tablePort: number, queuePort: number, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `TableEndpoint=http://${host}:${tablePort}/${ACCOUNT};QueueEndpoint=http://${host}:${queuePort}/${ACCOUNT};`
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited early with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite did not listen on port ${port} within ${timeoutMs} ms`);
}

/**
 * Runs Azurite's main script (argv: main, owner pid, Azurite's flags) and watches the process that started it:
 * when that one is gone (a crash, SIGKILL), Azurite is stopped as on Ctrl-C (SIGINT: it saves and closes),
 * and ended outright if it has not closed 5 s later. So the embedded store ends with its owner, always.
 */
const WATCH_OWNER = `
const [main, owner, ...flags] = process.argv.slice(1);
process.argv = [process.argv[0], main, ...flags];
const watch = setInterval(() => {
  try { process.kill(Number(owner), 0); } catch (e) {
    if (e.code !== 'ESRCH') return;
    clearInterval(watch);
    setTimeout(() => process.exit(0), 5000).unref();
    process.kill(process.pid, 'SIGINT');
  }
}, 500);
watch.unref();
require(main);
`;

function azuriteBin(service: 'table' | 'queue'): string {
  return path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', service, 'main.js');
}

/**
 * Starts Azurite's Table and Queue services. With `location` the data is kept on disk there;
 * without it, in memory (the tests).
 */
export async function startAzurite(opts: { location?: string; tablePort?: number; queuePort?: number } = {}): Promise<EmbeddedAzurite> {
  const tablePort = opts.tablePort ?? (await freePort());
  const queuePort = opts.queuePort ?? (await freePort());
  const common = ['--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose'];
  const storage = opts.location ? ['--location', opts.location] : ['--inMemoryPersistence'];
  if (opts.location) mkdirSync(opts.location, { recursive: true });
  const start = (service: 'table' | 'queue', port: number) =>
    spawn(process.execPath, ['-e', WATCH_OWNER, azuriteBin(service), String(process.pid), ...common, ...storage, `--${service}Host`, '127.0.0.1', `--${service}Port`, String(port)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const children = [start('table', tablePort), start('queue', queuePort)];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            // Azurite saves its data and closes on SIGINT only; SIGKILL if it hangs.
            const hard = setTimeout(() => c.kill('SIGKILL'), 5000);
            c.once('exit', () => (clearTimeout(hard), resolve()));
            c.kill('SIGINT');
          }),
      ),
    );
  };
  try {
    await Promise.all([waitForPort(tablePort, children[0]), waitForPort(queuePort, children[1])]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { connectionString: azuriteConnectionString(tablePort, queuePort), tablePort, queuePort, stop };
}
