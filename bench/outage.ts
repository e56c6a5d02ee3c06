/**
 * R4: Table storage stopped for 30 s while 200 managers submit their huddle answers over HTTP.
 * Each manager submits, waits 2–4 s, and submits again (each submission distinguishable by its agencyShifts
 * value); `/healthz` is polled every 500 ms. Afterwards: every acknowledged answer is in storage, every
 * unacknowledged one was told "Not saved" within 5 s, the answer row and its version rows agree (nothing
 * half-written), and healthz said 503 during the outage and 200 after.
 * Run: npm run bench:outage [-- OUTAGE_SECONDS]   (default 30; BENCH_MANAGERS, default 200)
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { startAzurite, type EmbeddedAzurite } from '../src/storage/azurite';
import { Storage } from '../src/storage/client';
import { DirectoryStore } from '../src/storage/directory.store';
import { HuddlesTable } from '../src/storage/huddles.table';
import { benchDirectory } from './fixtures';
import { huddleSubmit, validAnswer } from './answer';
import { startServer } from './server';

const MANAGERS = Number(process.env.BENCH_MANAGERS ?? 200);
const OUTAGE_S = Number(process.argv[2] ?? 30);
const BEFORE_S = 10;
const AFTER_S = 15;

type Outcome = 'saved' | 'not saved' | 'other';
interface Submission { manager: number; shifts: number; sentAt: number; ms: number; status: number; outcome: Outcome }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const location = mkdtempSync(path.join(os.tmpdir(), 'huddle-r4-'));
  let azurite: EmbeddedAzurite = await startAzurite({ location });
  const prefix = `r4${Date.now().toString(36)}`;
  const storage = new Storage({ connectionString: azurite.connectionString, prefix });
  await storage.ensureTables();
  await new DirectoryStore(storage).importDirectory(benchDirectory(MANAGERS));
  const date = DateTime.now().setZone('Europe/London').toISODate()!;
  const server = await startServer('app', { STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix, SCHEDULER: 'off', LOG_LEVEL: 'silent', MicrosoftAppId: '' });

  const t0 = Date.now();
  const outageFrom = t0 + BEFORE_S * 1000;
  let outageTo = Infinity;
  let restartAt = Infinity;
  const end = outageFrom + OUTAGE_S * 1000 + AFTER_S * 1000;
  const submissions: Submission[] = [];
  const health: { at: number; status: number }[] = [];

  const manager = async (i: number) => {
    let shifts = 0;
    await sleep(Math.random() * 3000);
    while (Date.now() < end) {
      shifts++;
      const sentAt = Date.now();
      let status = 0;
      let body = '';
      try {
        const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huddleSubmit(i, { ...validAnswer(`bench-home-${i}`, date), agencyShifts: String(shifts) }, `outage-${i}-${shifts}`), signal: AbortSignal.timeout(15000) });
        status = res.status;
        body = await res.text();
      } catch {
        status = 0;
      }
      const outcome: Outcome = /Saved\. Thank you|Amended\. Thank you/.test(body) ? 'saved' : /Not saved/.test(body) ? 'not saved' : 'other';
      submissions.push({ manager: i, shifts, sentAt, ms: Date.now() - sentAt, status, outcome });
      await sleep(2000 + Math.random() * 2000);
    }
  };
  const poll = async () => {
    while (Date.now() < end) {
      const at = Date.now();
      const status = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
      health.push({ at, status });
      await sleep(500);
    }
  };
  const outage = async () => {
    await sleep(outageFrom - Date.now());
    await azurite.stop();
    console.log(`storage stopped at +${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(OUTAGE_S * 1000);
    restartAt = Date.now();
    azurite = await startAzurite({ location, tablePort: azurite.tablePort, queuePort: azurite.queuePort });
    outageTo = Date.now();
    console.log(`storage back at +${((outageTo - t0) / 1000).toFixed(1)} s`);
  };
  await Promise.all([...Array.from({ length: MANAGERS }, (_, i) => manager(i)), poll(), outage()]);
  server.child.kill();

  // What storage holds now, for each home: the answer and its version rows.
  const huddles = new HuddlesTable(storage.table('huddles'));
  let halfWritten = 0;
  let ackedMissing = 0;
  let notSavedButStored = 0;
  for (let i = 0; i < MANAGERS; i++) {
    const answer = await huddles.get('bench', date, `bench-home-${i}`);
    const versions = await huddles.versions('bench', date, `bench-home-${i}`);
    const last = versions.at(-1);
    const consistent = (!answer && versions.length === 0) || (!!answer && !!last && answer.version === versions.length && last.version === answer.version && last.answer.agencyShifts === answer.answer.agencyShifts);
    if (!consistent) halfWritten++;
    const storedShifts = new Set(versions.map((v) => v.answer.agencyShifts));
    for (const s of submissions.filter((x) => x.manager === i)) {
      if (s.outcome === 'saved' && !storedShifts.has(s.shifts)) ackedMissing++;
      if (s.outcome !== 'saved' && storedShifts.has(s.shifts)) notSavedButStored++;
    }
  }

  const inOutage = (s: Submission) => s.sentAt >= outageFrom && s.sentAt < outageTo;
  const count = (f: (s: Submission) => boolean) => submissions.filter(f).length;
  const notSaved = submissions.filter((s) => s.outcome === 'not saved').map((s) => s.ms).sort((a, b) => a - b);
  // From 3 s after the stop began (Azurite saves its data on the way down) to the moment its restart began.
  const healthDuring = health.filter((h) => h.at >= outageFrom + 3000 && h.at < restartAt);
  const healthAfter = health.filter((h) => h.at >= outageTo + 2000);
  const firstOkAfter = health.find((h) => h.at >= outageTo && h.status === 200);
  const pct = (p: number) => notSaved[Math.min(notSaved.length - 1, Math.floor((p / 100) * notSaved.length))] ?? 0;
  await azurite.stop();

  console.log(`R4: ${MANAGERS} managers, storage stopped ${OUTAGE_S} s, ${os.cpus().length} cores, ${new Date().toISOString()}`);
  console.log(`  submissions: ${submissions.length} (${count(inOutage)} sent during the outage)`);
  console.log(`  acknowledged "Saved"/"Amended": ${count((s) => s.outcome === 'saved')}; of them missing from storage: ${ackedMissing}`);
  console.log(`  told "Not saved": ${notSaved.length} (during the outage ${count((s) => inOutage(s) && s.outcome === 'not saved')}); answer time median ${notSaved[Math.floor(notSaved.length / 2)] ?? 0} ms, p99 ${pct(99)} ms, max ${notSaved.at(-1) ?? 0} ms; over 5 s: ${notSaved.filter((ms) => ms > 5000).length}`);
  console.log(`  told "Not saved" yet stored: ${notSavedButStored}; other answers: ${count((s) => s.outcome === 'other')}; HTTP 5xx: ${count((s) => s.status >= 500)}; no HTTP answer: ${count((s) => s.status === 0)}`);
  console.log(`  homes whose answer and version rows disagree (half-written): ${halfWritten}`);
  console.log(`  /healthz during the outage (from 3 s in): ${JSON.stringify(tally(healthDuring))}; after: ${JSON.stringify(tally(healthAfter))}; first 200 ${firstOkAfter ? `${firstOkAfter.at - outageTo} ms` : 'never'} after storage came back`);
}

const tally = (hs: { status: number }[]) => hs.reduce<Record<number, number>>((m, h) => ((m[h.status] = (m[h.status] ?? 0) + 1), m), {});

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
