import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/storage/azurite';

const root = path.join(__dirname, '..');

function start(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/index.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('npm start', () => {
  // How fast is measured in bench/start.ts (P5); here, that it comes up at all on a fresh data folder.
  it('answers /healthz 200 on the embedded store, with no Azure and no Teams, and says auth is off', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'huddle-start-'));
    const app = start({ PORT: String(port), DATA_DIR: dataDir, SCHEDULER: 'off' });
    const began = Date.now();
    let status = 0;
    try {
      while (Date.now() - began < 45_000 && status !== 200) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(app.output()).toContain('AUTHENTICATION IS OFF');
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  }, 60000);

  it('stops at once with one message listing every configuration problem', async () => {
    const app = start({ PORT: 'x', SCHEDULER: 'maybe', MicrosoftAppId: 'id-without-password' });
    expect(await app.exited).toBe(1);
    const out = app.output();
    expect(out).toContain('Configuration is not valid');
    expect(out).toContain('PORT');
    expect(out).toContain('SCHEDULER');
    expect(out).toContain('MicrosoftAppPassword');
  }, 30000);
});
