/**
 * npm run bench:digest: the weekly digest for one area with a fortnight of answers a home (the week and the week
 * before), 2 plan actions a home and an escalation for one home in ten.
 * 1. Compute (P3): the rows built in memory exactly as they come out of the tables (`toHuddleRow` etc.), then
 *    `computeDigest` and the card, for 1,000 and 10,000 homes (BENCH_HOMES), median of 5, with the growth ratio.
 * 2. Load + compute from Azurite, a fresh in-memory Azurite per size (BENCH_LOAD_HOMES, default 250,500,1000).
 */
import os from 'node:os';
import { digestCard, digestCardData } from '../src/cards/digest.card';
import { computeDigest } from '../src/domain/digest';
import { digestWeekFor } from '../src/domain/digest/week';
import { startAzurite } from '../src/storage/azurite';
import { Storage } from '../src/storage/client';
import { loadDigestSource, toActionRow, toEscalationRow, toHuddleRow, type DigestSource } from '../src/storage/digest-source';

const SIZES = (process.env.BENCH_HOMES ?? '1000,10000').split(',').map(Number);
const LOAD_SIZES = (process.env.BENCH_LOAD_HOMES ?? '250,500,1000').split(',').filter(Boolean).map(Number);
const RUNS = 3;
const COMPUTE_RUNS = 5;
const SEND_DATE = '2026-11-23';
const TZ = 'Europe/London';

const homeId = (area: string, i: number) => `${area}-h${String(i).padStart(4, '0')}`;

/** The area's entities as the tables hold them. */
function entities(area: string, homes: number) {
  const { week, previous } = digestWeekFor(SEND_DATE, TZ);
  const dates = [...previous.dates, ...week.dates];
  const rows = dates.flatMap((date, d) =>
    Array.from({ length: homes }, (_, i) => {
      const red = (i + d) % 17 === 0;
      return {
        partitionKey: area, rowKey: `${date}_${homeId(area, i)}`, homeId: homeId(area, i), date,
        rag: red ? 'red' : (i + d) % 5 === 0 ? 'amber' : 'green', reasons: JSON.stringify(red ? ['Staffing is red'] : []),
        answeredBy: 'manager@home.example', answeredAt: `${date}T09:40:00.000Z`, version: 1,
        residents: 30, bedsAvailable: i % 4, bedsClosed: i % 9 === 0 ? 1 : 0, bedsClosedReason: i % 9 === 0 ? 'staffing' : '',
        staffingRag: red ? 'red' : 'green', shiftsUnfilled: i % 7 === 0 ? 1 : 0, agencyShifts: i % 3, nurseCoverGap: false,
        outbreakStatus: i % 50 === 0 ? 'confirmed' : 'none', newCasesResidents: 0, newCasesStaff: 0, careInspectorateNotified: i % 100 === 0,
        ppeSupply: 'good', fallsWithHarm: (i + d) % 23 === 0 ? 1 : 0, newPressureUlcers: 0, deaths: (i + d) % 41 === 0 ? 1 : 0, unexpectedDeaths: 0,
        hospitalAdmissions: 0, hospitalDischarges: 0, visiting: 'open', protectionConcern: false, supportNeeded: '', concern: '',
      };
    }),
  );
  const actions = Array.from({ length: homes }, (_, i) => [
    { partitionKey: homeId(area, i), rowKey: 'action_2.001', theme: 2, seq: 1, no: '2.1', status: 'open', onTarget: i % 3 !== 0, due: i % 4 === 0 ? '2026-11-18' : '2026-12-20' },
    { partitionKey: homeId(area, i), rowKey: 'action_6.001', theme: 6, seq: 1, no: '6.1', status: 'completed', onTarget: true, due: '2026-11-30', completedAt: '2026-11-19T10:00:00.000Z' },
  ]);
  const escalations = Array.from({ length: Math.ceil(homes / 10) }, (_, k) => k * 10).map((i) => ({
    partitionKey: area, rowKey: `esc-${i}`, homeId: homeId(area, i), state: i % 20 === 0 ? 'escalated' : 'open', trigger: 'huddle', openedAt: '2026-11-17T09:45:00.000Z',
    openedFor: '2026-11-17', daysRed: 1, version: 1, owner: 'lead@nhs.example', pathway: 'care-inspectorate', updatedAt: '2026-11-18T10:00:00.000Z',
  }));
  return { huddles: rows, actions, escalations };
}

async function seed(storage: Storage, area: string, homes: number): Promise<void> {
  const { huddles: rows, actions: perHome, escalations: escalationRows } = entities(area, homes);
  const huddles = storage.table('huddles');
  for (let i = 0; i < rows.length; i += 100) await huddles.submitTransaction(rows.slice(i, i + 100).map((r) => ['create', r]));
  const actions = storage.table('actions');
  await parallel(perHome, 8, (pair) => actions.submitTransaction(pair.map((r) => ['create', r])));
  const escalations = storage.table('escalations');
  for (const e of escalationRows) await escalations.createEntity(e);
}

/** The rows `loadDigestSource` would give for the area, built in memory. */
function sourceInMemory(area: string, homes: number): DigestSource {
  const { huddles, actions, escalations } = entities(area, homes);
  return {
    huddles: huddles.flatMap((e) => toHuddleRow(e) ?? []),
    actions: actions.flat().flatMap((e) => toActionRow(e.partitionKey, e) ?? []),
    escalations: escalations.flatMap((e) => toEscalationRow(e) ?? []),
    notifications: [],
  };
}

async function parallel<T>(items: T[], limit: number, work: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const areaInput = (area: string) => ({ id: area, name: area, timezone: TZ, huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const });
const homesOf = (area: string, homes: number) => Array.from({ length: homes }, (_, i) => ({ id: homeId(area, i), name: `Home ${i}`, registeredPlaces: 40 }));

function computeOnly(): void {
  console.log('\n1. Compute (rows in memory), median of 5');
  console.log('homes | answers | compute ms | card ms | total ms | card KB | heap used MB');
  const totals: number[] = [];
  for (const homes of SIZES) {
    const area = `m${homes}`;
    const source = sourceInMemory(area, homes);
    const homeList = homesOf(area, homes);
    const runs: { compute: number; card: number; kb: number }[] = [];
    for (let r = 0; r < COMPUTE_RUNS; r++) {
      let t0 = process.hrtime.bigint();
      const digest = computeDigest({ area: areaInput(area), homes: homeList, sendDate: SEND_DATE, ...source });
      const compute = ms(t0);
      t0 = process.hrtime.bigint();
      const card = digestCard(digestCardData(digest));
      runs.push({ compute, card: ms(t0), kb: JSON.stringify(card).length / 1024 });
    }
    const compute = median(runs.map((x) => x.compute));
    const card = median(runs.map((x) => x.card));
    totals.push(compute + card);
    console.log(`${homes} | ${source.huddles.length} | ${compute.toFixed(1)} | ${card.toFixed(1)} | ${(compute + card).toFixed(1)} | ${runs[0].kb.toFixed(1)} | ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)}`);
  }
  for (let i = 1; i < SIZES.length; i++) {
    console.log(`growth ${SIZES[i - 1]} → ${SIZES[i]} homes (×${(SIZES[i] / SIZES[i - 1]).toFixed(0)}): time ×${(totals[i] / totals[i - 1]).toFixed(1)}`);
  }
}

async function loadAndCompute(homes: number): Promise<void> {
  const azurite = await startAzurite();
  try {
    const storage = new Storage({ connectionString: azurite.connectionString, prefix: 'bench' });
    await storage.ensureTables();
    const area = `a${homes}`;
    await seed(storage, area, homes);
    const homeList = homesOf(area, homes);
    const { week, previous } = digestWeekFor(SEND_DATE, TZ);
    const runs: { load: number; noActions: number; compute: number; card: number; answers: number; kb: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      let t0 = process.hrtime.bigint();
      const source = await loadDigestSource(storage, { areaId: area, homeIds: homeList.map((h) => h.id), from: previous.start, to: week.end, since: previous.from });
      const load = ms(t0);
      t0 = process.hrtime.bigint();
      await loadDigestSource(storage, { areaId: area, homeIds: [], from: previous.start, to: week.end, since: previous.from });
      const noActions = ms(t0);
      t0 = process.hrtime.bigint();
      const digest = computeDigest({ area: areaInput(area), homes: homeList, sendDate: SEND_DATE, ...source });
      const compute = ms(t0);
      t0 = process.hrtime.bigint();
      const card = digestCard(digestCardData(digest));
      runs.push({ load, noActions, compute, card: ms(t0), answers: source.huddles.length, kb: JSON.stringify(card).length / 1024 });
    }
    const m = (k: 'load' | 'noActions' | 'compute' | 'card') => median(runs.map((x) => x[k]));
    console.log(`${homes} | ${runs[0].answers} | ${m('load').toFixed(0)} | ${m('noActions').toFixed(0)} | ${m('compute').toFixed(1)} | ${m('card').toFixed(1)} | ${(m('load') + m('compute') + m('card')).toFixed(0)} | ${runs[0].kb.toFixed(1)}`);
  } finally {
    await azurite.stop();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`);
  computeOnly();
  if (!LOAD_SIZES.length) return;
  console.log('\n2. Load from Azurite (in memory, fresh per size) + compute, median of 3');
  console.log('homes | answers read | load ms | of which without action queries | compute ms | card ms | total ms | card KB');
  for (const homes of LOAD_SIZES) await loadAndCompute(homes);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
