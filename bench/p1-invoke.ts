/**
 * P1: 200 concurrent clients sending huddle.submit invokes over HTTP to the real server on Azurite,
 * against a bare teams-ai Application answering the same invoke with a fixed card (the baseline).
 * Run: npm run bench:p1 [-- SECONDS]   (default 30 s each)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DateTime } from 'luxon';
import { startAzurite } from '../src/storage/azurite';
import { Storage } from '../src/storage/client';
import { DirectoryStore } from '../src/storage/directory.store';
import { benchDirectory, benchObjectId } from './fixtures';

const HOMES = 200;
const CONNECTIONS = 200;

/** A green answer with every field, as Teams sends Action.Execute data (numbers and toggles as strings). */
export const validAnswer = (homeId: string, date: string) => ({
  homeId,
  date,
  residents: '35',
  bedsAvailable: '2',
  bedsClosed: '0',
  staffingRag: 'green',
  shiftsUnfilled: '0',
  agencyShifts: '1',
  nurseCoverGap: 'false',
  outbreakStatus: 'none',
  newCasesResidents: '0',
  newCasesStaff: '0',
  careInspectorateNotified: 'false',
  ppeSupply: 'good',
  fallsWithHarm: '0',
  newPressureUlcers: '0',
  deaths: '0',
  unexpectedDeaths: '0',
  hospitalAdmissions: '0',
  hospitalDischarges: '0',
  visiting: 'open',
  protectionConcern: 'false',
  supportNeeded: '',
  concern: '',
});

function invoke(i: number, date: string): string {
  const oid = benchObjectId(i);
  return JSON.stringify({
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `bench-${i}-${Math.random()}`,
    serviceUrl: 'http://127.0.0.1:9/',
    channelId: 'msteams',
    from: { id: `29:${oid}`, name: `Manager ${i}`, aadObjectId: oid },
    recipient: { id: '28:bench-bot', name: 'Care Home Huddle' },
    conversation: { id: `a:personal-${oid}`, conversationType: 'personal', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } },
    value: { action: { type: 'Action.Execute', verb: 'huddle.submit', data: validAnswer(`bench-home-${i}`, date) }, trigger: 'manual' },
  });
}

function serve(kind: 'app' | 'baseline', env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(__dirname, '../node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'serve.ts'), kind], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function load(url: string, seconds: number, date: string) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let n = 0;
  let done!: (r: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((r) => (done = r));
  const instance = autocannon({
    url: `${url}/api/messages`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: invoke(n++ % HOMES, date) }) }],
  }, (err, r) => (err ? Promise.reject(err) : done(r)));
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
  const result = await finished;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    errors: result.errors + result.timeouts,
    statuses: Object.fromEntries(statuses),
  };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 30);
  const azurite = await startAzurite();
  const prefix = `p1${Date.now().toString(36)}`;
  const storage = new Storage({ connectionString: azurite.connectionString, prefix });
  await storage.ensureTables();
  await new DirectoryStore(storage).importDirectory(benchDirectory(HOMES));
  const env = { STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix, SCHEDULER: 'off', LOG_LEVEL: 'error', MicrosoftAppId: '' };
  const date = DateTime.now().setZone('Europe/London').toISODate()!;
  const servers: ChildProcess[] = [];
  try {
    const base = await serve('baseline', env);
    servers.push(base.child);
    await load(base.url, 3, date); // warm-up
    const baseline = await load(base.url, seconds, date);
    base.child.kill();
    const app = await serve('app', env);
    servers.push(app.child);
    await load(app.url, 3, date);
    const ours = await load(app.url, seconds, date);
    const fmt = (r: typeof ours) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, errors ${r.errors}, statuses ${JSON.stringify(r.statuses)}`;
    console.log(`P1 huddle.submit, ${CONNECTIONS} connections × ${seconds} s, ${HOMES} homes, ${os.cpus().length} cores, ${new Date().toISOString()}`);
    console.log(`  baseline (bare teams-ai, fixed card): ${fmt(baseline)}`);
    console.log(`  Care Home Huddle (Azurite):           ${fmt(ours)}`);
    console.log(`  p99 ratio ours/baseline: ${(ours.p99 / baseline.p99).toFixed(2)} (target ≤ 3); our p99 ${ours.p99} ms (target ≤ 150 ms)`);
  } finally {
    for (const c of servers) c.kill();
    await azurite.stop();
  }
}

void main();
