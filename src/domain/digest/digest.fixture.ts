/** A hand-checked week of Perth and Kinross-like data (figures worked out in digest.spec.ts). */
import type { ActionRow, DigestInput, EscalationRow, HuddleRow } from './rows';

const WEEK = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'];
const PREVIOUS = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15'];

const green = (homeId: string, date: string, extra: Partial<HuddleRow> = {}): HuddleRow => ({
  homeId,
  date,
  rag: 'green',
  reasons: [],
  residents: 30,
  bedsAvailable: 2,
  bedsClosed: 0,
  staffingRag: 'green',
  shiftsUnfilled: 0,
  agencyShifts: 0,
  nurseCoverGap: false,
  outbreakStatus: 'none',
  newCasesResidents: 0,
  newCasesStaff: 0,
  careInspectorateNotified: false,
  fallsWithHarm: 0,
  newPressureUlcers: 0,
  deaths: 0,
  unexpectedDeaths: 0,
  ...extra,
});

/** Birchwood: every day; red Mon–Wed (staffing), amber Thu, green after; an outbreak suspected Thu, confirmed Fri. */
const birchwood: HuddleRow[] = WEEK.map((date, i) =>
  green('pkc-birchwood', date, {
    agencyShifts: 2,
    shiftsUnfilled: i < 2 ? 1 : 0,
    fallsWithHarm: i === 1 ? 1 : 0,
    deaths: i === 2 ? 1 : i === 5 ? 2 : 0,
    ...(i < 3 ? { rag: 'red', reasons: ['Staffing is red: not enough staff to meet residents’ needs'], staffingRag: 'red' } : {}),
    ...(i === 3 ? { rag: 'amber', reasons: ['Staffing is stretched', 'Outbreak suspected'], staffingRag: 'amber', outbreakStatus: 'suspected' } : {}),
    ...(i >= 4 ? { outbreakStatus: 'confirmed', careInspectorateNotified: i >= 5, newCasesResidents: i === 4 ? 3 : 0, newCasesStaff: i === 4 ? 1 : 0 } : {}),
    ...(i === 6 ? { bedsAvailable: 3, bedsClosed: 2, bedsClosedReason: 'staffing', residents: 35 } : {}),
  }),
);

/** Tayview: Mon–Fri only (missed Sat and Sun); amber Wed; an outbreak closing all week. */
const tayview: HuddleRow[] = WEEK.slice(0, 5).map((date, i) =>
  green('pkc-tayview', date, {
    outbreakStatus: 'closing',
    fallsWithHarm: i === 0 ? 1 : 0,
    newPressureUlcers: i === 1 ? 1 : 0,
    ...(i === 2 ? { rag: 'amber', reasons: ['Staffing is stretched'], staffingRag: 'amber' } : {}),
    ...(i === 4 ? { bedsAvailable: 1, bedsClosed: 1, bedsClosedReason: 'ipc', residents: 27 } : {}),
  }),
);

/** The week before: Birchwood and Tayview every day (14 of 21), Tayview's outbreak confirmed. */
const previous: HuddleRow[] = [
  ...PREVIOUS.map((date) => green('pkc-birchwood', date, { agencyShifts: 1 })),
  ...PREVIOUS.map((date) => green('pkc-tayview', date, { rag: 'amber', reasons: ['Outbreak confirmed'], outbreakStatus: 'confirmed', careInspectorateNotified: true })),
];

const escalations: EscalationRow[] = [
  {
    id: 'esc-1',
    homeId: 'pkc-birchwood',
    state: 'escalated',
    openedAt: '2026-11-16T09:40:00.000Z',
    owner: 'iain.shaw@nhs.example',
    pathway: 'care-inspectorate',
    events: [
      { from: 'open', to: 'awaiting-approval', at: '2026-11-17T10:00:00.000Z' },
      { from: 'awaiting-approval', to: 'escalated', at: '2026-11-17T15:00:00.000Z' },
    ],
  },
  {
    id: 'esc-2',
    homeId: 'pkc-tayview',
    state: 'closed',
    openedAt: '2026-11-10T10:00:00.000Z',
    events: [
      { from: 'open', to: 'awaiting-approval', at: '2026-11-18T10:00:00.000Z' },
      { from: 'awaiting-approval', to: 'local-support', at: '2026-11-19T10:00:00.000Z' },
      { from: 'local-support', to: 'closed', at: '2026-11-21T10:00:00.000Z' },
    ],
  },
  // raised by a person after the week ended: in next week's digest
  { id: 'esc-3', homeId: 'pkc-kinnoull', state: 'open', openedAt: '2026-11-23T08:00:00.000Z', events: [] },
];

const actions: ActionRow[] = [
  { homeId: 'pkc-birchwood', theme: 2, number: '2.1', status: 'open', onTarget: true, dueDate: '2026-12-10' },
  { homeId: 'pkc-birchwood', theme: 2, number: '2.2', status: 'open', onTarget: true, dueDate: '2026-11-20' },
  { homeId: 'pkc-birchwood', theme: 6, number: '6.1', status: 'completed', onTarget: true, dueDate: '2026-11-30', completedAt: '2026-11-18T12:00:00.000Z' },
  { homeId: 'pkc-tayview', theme: 1, number: '1.1', status: 'open', onTarget: false, dueDate: '2027-01-15' },
  { homeId: 'pkc-tayview', theme: 3, number: '3.1', status: 'completed', onTarget: true, dueDate: '2026-11-05', completedAt: '2026-11-02T09:00:00.000Z' },
  // completed after the week ended: still open (amber) as at Sunday
  { homeId: 'pkc-tayview', theme: 4, number: '4.1', status: 'completed', onTarget: true, dueDate: '2026-11-30', completedAt: '2026-11-23T10:00:00.000Z' },
];

export const fixtureInput = (): DigestInput => ({
  area: { id: 'pkc', name: 'Perth and Kinross', timezone: 'Europe/London', huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
  homes: [
    { id: 'pkc-birchwood', name: 'Birchwood House', registeredPlaces: 40 },
    { id: 'pkc-tayview', name: 'Tayview Lodge', registeredPlaces: 28 },
    { id: 'pkc-kinnoull', name: 'Kinnoull Court', registeredPlaces: 60 },
  ],
  sendDate: '2026-11-23',
  huddles: [...birchwood, ...tayview, ...previous],
  escalations,
  actions,
});
