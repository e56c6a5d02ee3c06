import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/storage/azurite';
import { StallProxy, throughProxy } from './harness/stall-proxy';
import { uniquePrefix } from './harness/test-host';

const root = path.join(__dirname, '..');

function start(env: NodeJS.ProcessEnv) {
  // node itself runs the app (tsx as its loader), so that a signal to the child is a signal to the app
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
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

/** The processes whose command line names `text` (the embedded Azurite carries its data folder). */
function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) out.push(Number(pid));
    } catch {
      /* gone */
    }
  }
  return out;
}

async function healthy(port: number, withinMs = 45_000): Promise<boolean> {
  const began = Date.now();
  while (Date.now() - began < withinMs) {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0)) === 200) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('stopping', () => {
  it('exits within 10 s of SIGTERM with a card action in flight, and answers it', async () => {
    const cs = process.env.TEST_STORAGE_CONNECTION_STRING!;
    const tablePort = Number(process.env.TEST_AZURITE_TABLE_PORT);
    const proxy = await new StallProxy(tablePort).start();
    const port = await freePort();
    const app = start({ PORT: String(port), SCHEDULER: 'off', STORAGE_CONNECTION_STRING: throughProxy(cs, tablePort, proxy.port), TABLE_PREFIX: uniquePrefix() });
    try {
      expect(await healthy(port)).toBe(true);
      proxy.hold('all');
      const activity = {
        type: 'invoke', name: 'adaptiveCard/action', id: 'in-flight-1', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/',
        from: { id: '29:someone', aadObjectId: '00000000-0000-0000-0000-00000000abcd' }, recipient: { id: '28:bot' },
        conversation: { id: 'a:personal-someone', conversationType: 'personal', tenantId: 't' }, channelData: { tenant: { id: 't' } },
        value: { action: { type: 'Action.Execute', verb: 'huddle.open', data: { homeId: 'pkc-birchwood', date: '2026-11-23' } }, trigger: 'manual' },
      };
      const answer = fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).then(
        async (r) => ({ status: r.status, text: await r.text() }),
        () => ({ status: 0, text: '' }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      app.child.kill('SIGTERM');
      await app.exited;
      expect(Date.now() - signalled).toBeLessThan(10_000);
      const got = await answer;
      expect(got.status).toBe(200);
      expect(got.text).toMatch(/Not saved|could not confirm/);
    } finally {
      app.child.kill('SIGKILL');
      await proxy.stop();
    }
  }, 60000);

  it('leaves no embedded Azurite behind after SIGKILL of the app', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'huddle-kill-'));
    const app = start({ PORT: String(port), DATA_DIR: dataDir, SCHEDULER: 'off' });
    try {
      expect(await healthy(port)).toBe(true);
      expect(existsSync(path.join(dataDir, 'azurite.json'))).toBe(true);
      expect(processesWith(dataDir).length).toBeGreaterThanOrEqual(2);
      app.child.kill('SIGKILL');
      await app.exited;
      const until = Date.now() + 10_000;
      while (processesWith(dataDir).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(processesWith(dataDir)).toEqual([]);
    } finally {
      app.child.kill('SIGKILL');
      for (const pid of processesWith(dataDir)) process.kill(pid, 'SIGKILL');
    }
  }, 60000);

  it('says once that the port is in use and exits 1, leaving no Azurite behind', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'huddle-port-'));
    try {
      const app = start({ PORT: String(port), DATA_DIR: dataDir, SCHEDULER: 'off' });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(app.output().match(/already in use/g)).toHaveLength(1);
      expect(processesWith(dataDir)).toEqual([]);
    } finally {
      taken.close();
    }
  }, 60000);
});
