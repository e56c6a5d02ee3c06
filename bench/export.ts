/**
 * npm run bench:export: the server's memory while it streams a year of huddles for one area of 1,000 homes
 * (365,000 home-days) from GET /api/exports/huddles.csv, against the same export of a shorter range: flat memory
 * means the peak does not grow with the rows. The real server in its own process (Azurite in memory), printing
 * process.memoryUsage() every second; the rows are written in the `huddles` table's shape (transactions of 100).
 * BENCH_HOMES (default 1000), BENCH_DAYS (comma separated ranges to export, default 30,365; the longest is seeded).
 *
 * Seeding: transactions of 100 in the area's one partition, BENCH_SEED_CONCURRENCY (default 8) at once, into an
 * Azurite started with bench/azurite-rowkey-first.cjs preloaded (its duplicate check on insert uses the RowKey index:
 * without it each insert scans the one-partition table and 365,000 rows take hours). Before seeding, one answer is
 * saved through HuddlesTable.save (the storage module's own row builder) and the bench's rows must have exactly its
 * columns and types, so the rows are the ones the app writes (the version rows beside them are not seeded: the
 * export's range never reads them).
 */
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { startAzurite } from '../src/storage/azurite';
import { Storage } from '../src/storage/client';
import { DirectoryStore } from '../src/storage/directory.store';
import { HuddlesTable } from '../src/storage/huddles.table';
import type { HuddleAnswer } from '../src/domain/huddle';
import type { Rag } from '../src/domain/rag';
import { addDays } from '../src/domain/calendar';
import { benchDirectory } from './fixtures';
import { startServer } from './server';

const HOMES = Number(process.env.BENCH_HOMES ?? 1000);
const RANGES = (process.env.BENCH_DAYS ?? '30,365').split(',').map(Number);
const DAYS = Math.max(...RANGES);
const KEY = 'bench-export-jobs-key-0123456789';
const AREA = 'bench';
const FIRST = '2025-01-01';

interface Mem { rss: number; heapUsed: number }
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

function row(date: string, d: number, i: number) {
  const homeId = `${AREA}-home-${i}`;
  const red = (i + d) % 17 === 0;
  return {
    partitionKey: AREA, rowKey: `${date}_${homeId}`, homeId, date, rag: red ? 'red' : (i + d) % 5 === 0 ? 'amber' : 'green',
    reasons: JSON.stringify(red ? ['Staffing is red: not enough staff to meet residents\u2019 needs'] : []),
    answeredBy: `manager${i}@${AREA}.example`, answeredAt: `${date}T09:40:00.000Z`, version: 1,
    residents: 30, bedsAvailable: i % 4, bedsClosed: i % 9 === 0 ? 1 : 0, bedsClosedReason: i % 9 === 0 ? 'staffing' : '', staffingRag: red ? 'red' : 'green',
    shiftsUnfilled: i % 7 === 0 ? 1 : 0, agencyShifts: i % 3, nurseCoverGap: false, outbreakStatus: 'none', newCasesResidents: 0, newCasesStaff: 0,
    careInspectorateNotified: false, ppeSupply: 'good', fallsWithHarm: 0, newPressureUlcers: 0, deaths: 0, unexpectedDeaths: 0, hospitalAdmissions: 0,
    hospitalDischarges: 0, visiting: 'open', protectionConcern: false, supportNeeded: '', concern: 'free text that must never be exported',
  };
}

/** Saves the bench's first row through the huddles table module and checks the bench's rows have its columns and types. */
async function checkShape(storage: Storage): Promise<void> {
  const sample = row(FIRST, 0, 17) as Record<string, unknown>;
  const { partitionKey: _pk, rowKey: _rk, homeId, date, rag, reasons, answeredBy, answeredAt, version: _v, ...answer } = sample;
  const area = 'shape-check';
  await new HuddlesTable(storage.table('huddles')).save({
    areaId: area, homeId: String(homeId), date: String(date), answer: answer as unknown as HuddleAnswer, rag: rag as Rag,
    reasons: JSON.parse(String(reasons)) as string[], answeredBy: String(answeredBy), answeredAt: String(answeredAt),
  });
  const stored = (await storage.table('huddles').getEntity<Record<string, unknown>>(area, String(sample.rowKey))) as Record<string, unknown>;
  const shape = (e: Record<string, unknown>) => Object.keys(e).filter((k) => !['partitionKey', 'etag', 'timestamp', 'odata.metadata'].includes(k)).sort().map((k) => `${k}:${typeof e[k]}`);
  const want = shape(stored);
  const got = shape(sample);
  if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`the bench's rows are not the huddles table's shape:\n stored ${want.join(' ')}\n bench  ${got.join(' ')}`);
  process.stderr.write(`rows checked against HuddlesTable.save: ${want.length} columns, same names and types\n`);
}

async function seed(storage: Storage): Promise<void> {
  const huddles = storage.table('huddles');
  const started = Date.now();
  const batches: { date: string; d: number; from: number }[] = [];
  for (let d = 0; d < DAYS; d++) for (let i = 0; i < HOMES; i += 100) batches.push({ date: addDays(FIRST, d), d, from: i });
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Number(process.env.BENCH_SEED_CONCURRENCY ?? 8) }, async () => {
      while (next < batches.length) {
        const b = batches[next++];
        const rows = Array.from({ length: Math.min(100, HOMES - b.from) }, (_, k) => row(b.date, b.d, b.from + k));
        await huddles.submitTransaction(rows.map((r) => ['create', r]));
        if (++done % 100 === 0) process.stderr.write(`\rseeding ${done}/${batches.length} batches   `);
      }
    }),
  );
  process.stderr.write(`\rseeded ${HOMES * DAYS} rows in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

async function main(): Promise<void> {
  // Azurite with its insert check on the RowKey index (see the file's header); the server started later does not get it.
  const nodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --require ${path.join(__dirname, 'azurite-rowkey-first.cjs')}`.trim();
  const azurite = await startAzurite().finally(() => {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
  });
  const prefix = `exp${Date.now().toString(36)}`;
  const storage = new Storage({ connectionString: azurite.connectionString, prefix });
  await storage.ensureTables();
  await new DirectoryStore(storage).importDirectory(benchDirectory(HOMES, AREA));
  await checkShape(storage);
  await seed(storage);

  let latest: Mem | undefined;
  let live: Mem | undefined;
  const server = await startServer(
    'app',
    { STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix, SCHEDULER: 'off', LOG_LEVEL: 'error', MicrosoftAppId: '', JOBS_API_KEY: KEY, BENCH_MEM: '1' },
    (line) => {
      if (line.startsWith('MEM ')) latest = JSON.parse(line.slice(4)) as Mem;
      if (line.startsWith('GCMEM ')) live = JSON.parse(line.slice(6)) as Mem;
    },
    ['--expose-gc'],
  );
  /** the live heap: after a full GC in the server (SIGUSR2), what it still holds */
  const liveHeap = async () => {
    live = undefined;
    server.child.kill('SIGUSR2');
    for (let i = 0; i < 50 && !live; i++) await new Promise((r) => setTimeout(r, 100));
    return (live as Mem | undefined)?.heapUsed ?? NaN;
  };
  await new Promise((r) => setTimeout(r, 3000));
  const results: string[] = [];
  try {
    for (const days of RANGES) {
      const idleLive = await liveHeap();
      const idle = latest!;
      let peak = { rss: idle.rss, heapUsed: idle.heapUsed, live: idleLive };
      const watch = setInterval(() => {
        if (latest) peak = { ...peak, rss: Math.max(peak.rss, latest.rss), heapUsed: Math.max(peak.heapUsed, latest.heapUsed) };
        if (live) peak.live = Math.max(peak.live, live.heapUsed);
      }, 250);
      // a full GC in the server every second while it streams: the live heap shows what the export holds
      const gcs = setInterval(() => server.child.kill('SIGUSR2'), 1000);
      const started = Date.now();
      const res = await fetch(`${server.url}/api/exports/huddles.csv?area=${AREA}&from=${FIRST}&to=${addDays(FIRST, days - 1)}`, { headers: { authorization: `Bearer ${KEY}` } });
      const firstByte = Date.now() - started;
      let bytes = 0;
      let rows = 0;
      const parser = parse({ bom: true, columns: true });
      parser.on('readable', () => {
        while (parser.read()) rows++;
      });
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
      }
      await new Promise<void>((r) => parser.end(r));
      const ms = Date.now() - started;
      clearInterval(gcs);
      await new Promise((r) => setTimeout(r, 1500));
      clearInterval(watch);
      const line = `| ${HOMES.toLocaleString('en-GB')} × ${days} | ${rows.toLocaleString('en-GB')} | ${(bytes / 1024 / 1024).toFixed(1)} MB | ${firstByte} ms | ${(ms / 1000).toFixed(1)} s | ${mb(idle.rss)} / ${mb(idle.heapUsed)} / ${mb(idleLive)} | ${mb(peak.rss)} / ${mb(peak.heapUsed)} / **${mb(peak.live)}** |`;
      results.push(line);
      process.stderr.write(`${line}\n`);
      if (res.status !== 200 || rows !== HOMES * days) throw new Error(`expected ${HOMES * days} rows with 200, got ${rows} with ${res.status}`);
    }
  } finally {
    server.child.kill('SIGTERM');
    await azurite.stop();
  }
  process.stdout.write(`${new Date().toISOString()} · ${os.cpus().length} cores · load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write('| homes × days | rows | CSV | first byte | total | server RSS / heap / live heap before | peak RSS / heap / live heap (after GC) during |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n');
  process.stdout.write(`${results.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
