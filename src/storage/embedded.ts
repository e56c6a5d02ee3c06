/**
 * The embedded default shared by `npm start` and the CLI: whoever starts Azurite on DATA_DIR writes its
 * ports there, so that `npm run job` or `npm run directory` beside a running bot use the same store.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { azuriteConnectionString, startAzurite } from './azurite';

const portsFile = (dataDir: string) => path.join(path.resolve(dataDir), 'azurite.json');

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });

const ownerAlive = (pid: number | undefined): boolean => {
  if (!pid) return true; // written before owners were recorded: the ports decide
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface EmbeddedStore {
  connectionString: string;
  /** stops Azurite if this process started it */
  stop(): Promise<void>;
  startedHere: boolean;
}

export async function openEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  const file = portsFile(dataDir);
  if (existsSync(file)) {
    const { tablePort, queuePort, pid } = JSON.parse(readFileSync(file, 'utf8')) as { tablePort: number; queuePort: number; pid?: number };
    // One whose owner is gone is ending (it watches its owner): not reused. One found running is never stopped here.
    if (ownerAlive(pid) && (await answers(tablePort)) && (await answers(queuePort))) {
      return { connectionString: azuriteConnectionString(tablePort, queuePort), stop: async () => undefined, startedHere: false };
    }
  }
  const azurite = await startAzurite({ location: path.resolve(dataDir) });
  writeFileSync(file, JSON.stringify({ tablePort: azurite.tablePort, queuePort: azurite.queuePort, pid: process.pid }));
  return {
    connectionString: azurite.connectionString,
    startedHere: true,
    async stop() {
      rmSync(file, { force: true });
      await azurite.stop();
    },
  };
}
