/**
 * npm run playground: the bot on the embedded store with the example directory, and the Microsoft 365
 * Agents Playground (offline, Teams-like) pointed at it. Open http://localhost:56150 and type "help".
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDirectory } from '../src/domain/directory';
import { startHost } from '../src/host';

/** The tenant id the Agents Playground puts on every activity (its default config; not a real GUID). */
const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000001';

async function main(): Promise<void> {
  const allowed = [process.env.ALLOWED_TENANTS, PLAYGROUND_TENANT].filter(Boolean).join(',');
  const host = await startHost({ env: { ...process.env, MicrosoftAppId: '', ALLOWED_TENANTS: allowed, PORT: process.env.PORT ?? '3978' } });
  const current = await host.ctx.directory.load();
  if (current.people.length === 0) {
    const example = validateDirectory(JSON.parse(readFileSync(path.join(__dirname, '../examples/directory.json'), 'utf8')));
    if (!example.ok) throw new Error('examples/directory.json is not valid');
    await host.ctx.directory.importDirectory(example.directory);
    process.stderr.write('Imported examples/directory.json (Alex Wilber manages Birchwood House and Tayview Lodge).\n');
  }
  const bin = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  const playground = spawn(process.execPath, [bin, 'start', '-e', `${host.url}/api/messages`, '-c', 'msteams'], {
    stdio: 'inherit',
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER ?? 'none' },
  });
  const stop = () => {
    playground.kill('SIGINT');
    void host.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  playground.once('exit', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`playground failed: ${(e as Error).message}\n`);
  process.exit(1);
});
