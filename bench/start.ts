/**
 * P5: `npm start` to /healthz 200 on the embedded default (a fresh .data each run, then a warm one).
 * Run: npm run bench:start [-- RUNS]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/storage/azurite';

const root = path.join(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(dataDir: string): Promise<number> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, SCHEDULER: 'off', LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  try {
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status === 200) return performance.now() - began;
      if (performance.now() - began > 60_000) throw new Error('no 200 within 60 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'huddle-p5-'));
    cold.push(await once(dir));
    warm.push(await once(dir));
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  console.log(`P5 npm start → /healthz 200, ${runs} runs, ${os.cpus().length} cores`);
  console.log(`  empty .data: ${fmt(cold)}`);
  console.log(`  existing .data: ${fmt(warm)}`);
  console.log(`  target 10000 ms: ${median(cold) <= 10_000 ? 'met' : 'MISSED'}`);
}

void main();
