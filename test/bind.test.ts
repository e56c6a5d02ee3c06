/**
 * With authentication off the server listens on 127.0.0.1 only, unless HOST is set explicitly, and
 * then it warns loudly (§8): a reachable port without authentication lets anyone post as anyone.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/storage/azurite';
import { startTestHost, uniquePrefix } from './harness/test-host';

/** This machine's first non-loopback IPv4 address, if it has one (a network namespace may have none). */
const outsideAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

it('listens on 127.0.0.1 with authentication off and no HOST', async () => {
  const t = await startTestHost({ directory: null });
  try {
    expect(t.host.server.address().address).toBe('127.0.0.1');
    expect(t.host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    if (outsideAddress) expect(await reachable(outsideAddress, t.host.server.address().port)).toBe(false);
  } finally {
    await t.stop();
  }
});

it('listens where HOST says when it is set', async () => {
  const t = await startTestHost({ directory: null, env: { HOST: '0.0.0.0' } });
  try {
    expect(t.host.server.address().address).toBe('0.0.0.0');
    expect((await fetch(`${t.host.url}/healthz`)).status).toBe(200);
    if (outsideAddress) expect(await reachable(outsideAddress, t.host.server.address().port)).toBe(true);
  } finally {
    await t.stop();
  }
});

/** npm start's log until it says it is listening. */
async function startLog(env: NodeJS.ProcessEnv): Promise<string> {
  const root = path.join(__dirname, '..');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/index.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(await freePort()), STORAGE_CONNECTION_STRING: process.env.TEST_STORAGE_CONNECTION_STRING, TABLE_PREFIX: uniquePrefix(), SCHEDULER: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    const take = (d: Buffer) => {
      out += d;
      if (out.includes('is listening')) resolve();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  await exited;
  return out;
}

it('says where it listens at start, and warns loudly when HOST exposes it without authentication', async () => {
  const [quiet, loud] = await Promise.all([startLog({}), startLog({ HOST: '0.0.0.0' })]);
  expect(quiet).toContain('AUTHENTICATION IS OFF');
  expect(quiet).toContain('"host":"127.0.0.1"');
  expect(quiet).not.toContain('HOST IS SET');
  expect(quiet).toContain('TENANT.ANY');
  expect(loud).toContain('AUTHENTICATION IS OFF AND HOST IS SET');
  expect(loud).toContain('"code":"HOST.EXPOSED"');
  expect(loud).toContain('"host":"0.0.0.0"');
}, 60000);
