/**
 * npm run bench:digest: the weekly digest's load + compute time on Azurite, for an area of 250,
 * 500 and 1,000 homes with a fortnight of answers each (the week and the week before), 2 plan
 * actions a home and an escalation for one home in ten.
 */
import os from 'node:os';
import { digestCard, digestCardData } from '../src/cards/digest.card';
import { computeDigest } from '../src/domain/digest';
import { digestWeekFor } from '../src/domain/digest-week';
import { startAzurite } from '../src/storage/azurite';
import { Storage } from '../src/storage/client';
import { loadDigestSource } from '../src/storage/digest-source';

const SIZES = (process.env.BENCH_HOMES ?? '250,500,1000').split(',').map(Number);
const RUNS = 3;
const SEND_DATE = '2026-11-23';
const TZ = 'Europe/London';

const homeId = (area: string, i: number) => `${area}-h${String(i).padStart(4, '0')}`;

async function seed(storage: Storage, area: string, homes: number): Promise<void> {
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
  const huddles = storage.table('huddles');
  for (let i = 0; i < rows.length; i += 100) await huddles.submitTransaction(rows.slice(i, i + 100).map((r) => ['create', r]));
  const actions = storage.table('actions');
  await parallel(Array.from({ length: homes }, (_, i) => i), 8, (i) =>
    actions.submitTransaction([
      ['create', { partitionKey: homeId(area, i), rowKey: '2.1', theme: 2, number: '2.1', status: 'open', onTarget: i % 3 !== 0, dueDate: i % 4 === 0 ? '2026-11-18' : '2026-12-20' }],
      ['create', { partitionKey: homeId(area, i), rowKey: '6.1', theme: 6, number: '6.1', status: 'completed', onTarget: true, dueDate: '2026-11-30', completedAt: '2026-11-19T10:00:00.000Z' }],
    ]),
  );
  const escalations = storage.table('escalations');
  for (let i = 0; i < homes; i += 10) {
    await escalations.createEntity({ partitionKey: area, rowKey: `esc-${i}`, homeId: homeId(area, i), state: i % 20 === 0 ? 'escalated' : 'open', trigger: 'huddle', openedAt: '2026-11-17T09:45:00.000Z', openedFor: '2026-11-17', daysRed: 1, version: 1, owner: 'lead@nhs.example', pathway: 'care-inspectorate', updatedAt: '2026-11-18T10:00:00.000Z' });
  }
}

async function parallel<T>(items: T[], limit: number, work: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const storage = new Storage({ connectionString: azurite.connectionString, prefix: 'bench' });
  await storage.ensureTables();
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`);
  console.log('homes | answers read | load ms | of which without action queries | compute ms | card ms | total ms | card KB');
  try {
    for (const homes of SIZES) {
      const area = `a${homes}`;
      await seed(storage, area, homes);
      const homeList = Array.from({ length: homes }, (_, i) => ({ id: homeId(area, i), name: `Home ${i}`, registeredPlaces: 40 }));
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
        const digest = computeDigest({ area: { id: area, name: area, timezone: TZ, huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] }, homes: homeList, sendDate: SEND_DATE, ...source });
        const compute = ms(t0);
        t0 = process.hrtime.bigint();
        const card = digestCard(digestCardData(digest));
        runs.push({ load, noActions, compute, card: ms(t0), answers: source.huddles.length, kb: JSON.stringify(card).length / 1024 });
      }
      const m = (k: 'load' | 'noActions' | 'compute' | 'card') => median(runs.map((x) => x[k]));
      console.log(`${homes} | ${runs[0].answers} | ${m('load').toFixed(0)} | ${m('noActions').toFixed(0)} | ${m('compute').toFixed(1)} | ${m('card').toFixed(1)} | ${(m('load') + m('compute') + m('card')).toFixed(0)} | ${runs[0].kb.toFixed(1)}`);
    }
  } finally {
    await azurite.stop();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
