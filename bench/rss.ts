/**
 * P4: the server's memory with 1,000 homes after a day of traffic. The real server in its own process (Azurite in
 * memory, a fake Bot Connector on loopback), driven through a day: every manager installs the app, the daily-huddle
 * job sends 1,000 cards, 95 % of managers answer (8 % amber, 2 % red, which open escalations on the channel card),
 * 15 % amend, the reminder and summary jobs run, support takes every escalation to approval, 100 plans get an action,
 * the action-reminders job runs. The server prints process.memoryUsage() every second; this prints RSS and heap at
 * each stage and the peak.
 * Run: npm run bench:rss   (BENCH_HOMES, default 1000)
 */
import os from 'node:os';
import { DateTime } from 'luxon';
import { startAzurite } from '../src/storage/azurite';
import { Storage } from '../src/storage/client';
import { DirectoryStore } from '../src/storage/directory.store';
import { FakeConnector } from '../test/harness/fake-connector';
import { channel, personalChat, TeamsClient, teamsUser } from '../test/harness/teams-client';
import { validAnswer } from './answer';
import { benchDirectory } from './fixtures';
import { startServer } from './server';

const HOMES = Number(process.env.BENCH_HOMES ?? 1000);
const JOBS_KEY = 'bench-rss-jobs-key-0123456789abcdef';

interface Mem { rss: number; heapUsed: number; heapTotal: number; external: number }

/** 20 at a time, as a busy morning's managers would. */
async function inBatches<T>(items: T[], each: (item: T, i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 20) await Promise.all(items.slice(i, i + 20).map((item, j) => each(item, i + j)));
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const connector = await new FakeConnector().start();
  const prefix = `rss${Date.now().toString(36)}`;
  const storage = new Storage({ connectionString: azurite.connectionString, prefix });
  await storage.ensureTables();
  const dir = benchDirectory(HOMES);
  await new DirectoryStore(storage).importDirectory(dir);
  const date = DateTime.now().setZone('Europe/London').toISODate()!;

  let latest: Mem | undefined;
  const gc: { mem?: Mem } = {};
  let peak = 0;
  // --expose-gc, and SIGUSR2 reaching the server itself (tsx as a loader, not a parent process)
  const server = await startServer(
    'app',
    { STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix, SCHEDULER: 'off', LOG_LEVEL: 'error', MicrosoftAppId: '', JOBS_API_KEY: JOBS_KEY, SEND_RATE_PER_SECOND: '50', BENCH_MEM: '1' },
    (line) => {
      if (line.startsWith('MEM ')) ((latest = JSON.parse(line.slice(4)) as Mem), (peak = Math.max(peak, latest.rss)));
      if (line.startsWith('GCMEM ')) gc.mem = JSON.parse(line.slice(6)) as Mem;
    },
    ['--expose-gc'],
  );
  const teams = new TeamsClient(server.url, connector);
  teams.rosterFrom(dir);
  const mark = async (stage: string) => {
    await sleep(1500); // the next memory line
    const before = latest!;
    gc.mem = undefined;
    server.child.kill('SIGUSR2');
    while (!gc.mem) await sleep(50);
    const after: Mem = gc.mem;
    console.log(`  ${stage.padEnd(52)} RSS ${mb(before.rss)}, heap used ${mb(before.heapUsed)}; after a full GC: RSS ${mb(after.rss)}, heap used ${mb(after.heapUsed)}`);
  };
  const job = async (name: string) => {
    const res = await fetch(`${server.url}/api/jobs/${name}`, { method: 'POST', headers: { authorization: `Bearer ${JOBS_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ area: 'bench', date }) });
    const body = (await res.json()) as { sent?: number };
    return `${name}: HTTP ${res.status}, sent ${body.sent}`;
  };
  const managers = dir.people.filter((p) => p.roles.some((r) => r.role === 'manager')).map(teamsUser);
  const lead = teamsUser(dir.people.find((p) => p.roles.some((r) => r.role === 'support'))!);
  const support = channel('bench-support');
  const failures = { count: 0 };
  const check = (r: { status: number }) => (r.status >= 400 ? failures.count++ : undefined);

  console.log(`P4 memory: ${HOMES} homes, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString()}`);
  await mark('started, nothing asked yet');
  await inBatches(managers, (m) => teams.install(m).then(check));
  await teams.install(lead);
  await teams.addToTeam(lead, support);
  await teams.message(lead, support, 'link area bench');
  await mark(`${managers.length} managers installed, channel linked`);

  console.log(`    ${await job('daily-huddle')}`);
  await mark('daily-huddle job sent its cards');

  const answering = managers.filter((_, i) => i % 20 !== 0); // 5 % never answer
  await inBatches(answering, async (m, i) => {
    const home = `bench-home-${managers.indexOf(m)}`;
    const answer = { ...validAnswer(home, date), ...(i % 50 === 7 ? { ppeSupply: 'critical' } : i % 12 === 3 ? { staffingRag: 'amber' } : {}) };
    check(await teams.invoke(m, personalChat(m), 'huddle.submit', answer));
    if (i % 7 === 0) check(await teams.invoke(m, personalChat(m), 'huddle.submit', { ...answer, agencyShifts: '2' }));
  });
  await mark(`${answering.length} answers (2 % red, 8 % amber, 15 % amended)`);

  console.log(`    ${await job('huddle-reminder')}`);
  console.log(`    ${await job('daily-summary')}`);
  await mark('reminder and summary jobs');

  const escalationCards = connector.recorded.filter((r) => r.conversationId === support.id && JSON.stringify(r.activity ?? {}).includes('escalation.assign'));
  const ids = [...new Set(escalationCards.map((r) => /"escalationId":"([^"]+)"/.exec(JSON.stringify(r.activity))?.[1]).filter((x): x is string => !!x))];
  for (const escalationId of ids) {
    check(await teams.invoke(lead, support, 'escalation.assign', { escalationId, version: 1, owner: lead.email }));
    check(await teams.invoke(lead, support, 'escalation.request', { escalationId, version: 2, pathway: 'care-inspectorate', rationale: 'Bench' }));
    check(await teams.invoke(lead, support, 'escalation.approve', { escalationId, version: 3, externalRef: 'B-1' }));
  }
  await mark(`${ids.length} escalations assigned, requested, approved`);

  for (let i = 0; i < Math.min(100, HOMES); i++) {
    const plans = channel(`bench-plan-${i}`);
    await teams.message(lead, plans, `plan bench-home-${i}`);
    check(await teams.invoke(lead, plans, 'action.create', { homeId: `bench-home-${i}`, theme: '3', description: 'IPC e-learning', outcome: 'All staff trained', responsibleEmail: `manager${i}@bench.example`, responsibleName: '', due: DateTime.fromISO(date).plus({ days: 3 }).toISODate() }));
  }
  console.log(`    ${await job('action-reminders')}`);
  await mark(`${Math.min(100, HOMES)} plans with an action, action reminders`);
  await sleep(10_000);
  await mark('10 s later, idle');

  server.child.kill();
  await connector.stop();
  await azurite.stop();
  console.log(`  peak RSS ${mb(peak)}; activities the fake connector received ${connector.recorded.length}; requests answered 4xx/5xx ${failures.count}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
