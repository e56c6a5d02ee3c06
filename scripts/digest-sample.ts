/** Writes cards/samples/digest.data.json from the fixture week plus three more homes: `npx tsx scripts/digest-sample.ts`. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { digestCardData } from '../src/cards/digest.card';
import { computeDigest, type HuddleRow } from '../src/domain/digest';
import { fixtureInput } from '../src/domain/digest/digest.fixture';

const input = fixtureInput();
const more = [
  { id: 'pkc-balhousie', name: 'Balhousie Gardens', registeredPlaces: 22 },
  { id: 'pkc-craigie', name: 'Craigie Brae', registeredPlaces: 35 },
  { id: 'pkc-loch-leven', name: 'Loch Leven View', registeredPlaces: 18 },
];
const dates = (start: number) => Array.from({ length: 7 }, (_, i) => `2026-11-${String(start + i).padStart(2, '0')}`);
const answers: HuddleRow[] = more.flatMap((h, k) =>
  [...dates(9), ...dates(16)].map((date, i) => ({
    homeId: h.id,
    date,
    rag: k === 1 && i % 3 === 0 ? 'amber' : 'green',
    reasons: k === 1 && i % 3 === 0 ? ['Shifts unfilled in the next 24 hours'] : [],
    residents: h.registeredPlaces - 2 - k,
    bedsAvailable: 1 + k,
    bedsClosed: 0,
    staffingRag: k === 1 && i % 3 === 0 ? 'amber' : 'green',
    shiftsUnfilled: k === 1 && i % 3 === 0 ? 1 : 0,
    agencyShifts: k,
    outbreakStatus: 'none',
    fallsWithHarm: k === 2 && i === 10 ? 1 : 0,
  })),
);
const digest = computeDigest({
  ...input,
  homes: [...input.homes, ...more],
  huddles: [...input.huddles, ...answers],
  actions: [...input.actions, { homeId: 'pkc-craigie', theme: 3, number: '3.1', status: 'open', onTarget: true, dueDate: '2026-12-18' }],
  // Birchwood recorded its fall and first death as notified; the rest are not recorded yet
  notifications: [
    { homeId: 'pkc-birchwood', date: '2026-11-17', kind: 'fall' },
    { homeId: 'pkc-birchwood', date: '2026-11-18', kind: 'death' },
  ],
});
const names: Record<string, string> = { 'iain.shaw@nhs.example': 'Iain Shaw' };
const data = digestCardData(digest, (e) => names[e] ?? e);
writeFileSync(path.join(__dirname, '../cards/samples/digest.data.json'), `${JSON.stringify(data, null, 2)}\n`);
