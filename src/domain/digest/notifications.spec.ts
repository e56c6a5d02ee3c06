import { fixtureInput } from './digest.fixture';
import { computeDigest, FEWER_THAN_3, type HuddleRow } from './index';

const row = (homeId: string, date: string, extra: Partial<HuddleRow> = {}): HuddleRow => ({ homeId, date, rag: 'green', reasons: [], outbreakStatus: 'none', deaths: 0, unexpectedDeaths: 0, fallsWithHarm: 0, ...extra });

describe('the digest: Care Inspectorate notifications', () => {
  // The fixture week's notifiable events: Birchwood a fall (Tue 17), a death (Wed 18), an outbreak suspected (Thu 19,
  // new; confirmed on Fri is the same outbreak) and 2 deaths (Sat 21); Tayview a fall (Mon 16); Kinnoull nothing.
  const input = fixtureInput();
  const records = [
    { homeId: 'pkc-birchwood', date: '2026-11-17', kind: 'fall' },
    { homeId: 'pkc-birchwood', date: '2026-11-18', kind: 'death' },
    // a record whose event is no longer in the answer (amended away), and one of a home of another area: not counted
    { homeId: 'pkc-birchwood', date: '2026-11-20', kind: 'death' },
    { homeId: 'elsewhere', date: '2026-11-18', kind: 'death' },
  ];
  const d = computeDigest({ ...input, notifications: records });

  it('counts the week’s notifiable events for the area, by kind, and how many were recorded as notified', () => {
    expect(d.notifications).toMatchObject({ events: 5, notified: 2, notYet: 3 });
    expect(d.notifications.byKind).toEqual([
      { kind: 'death', events: 2, notified: 1 },
      { kind: 'outbreak', events: 1, notified: 0 },
      { kind: 'fall', events: 2, notified: 1 },
    ]);
  });

  it('gives each home with an event its counts under the small-number rule, the not-notified first and named by kind and day', () => {
    expect(d.notifications.homes).toEqual([
      {
        homeId: 'pkc-birchwood', name: 'Birchwood House', events: 4, notified: FEWER_THAN_3, notYet: FEWER_THAN_3,
        outstanding: [{ date: '2026-11-19', kind: 'outbreak', flagged: false }, { date: '2026-11-21', kind: 'death', flagged: false }],
      },
      { homeId: 'pkc-tayview', name: 'Tayview Lodge', events: FEWER_THAN_3, notified: 0, notYet: FEWER_THAN_3, outstanding: [{ date: '2026-11-16', kind: 'fall', flagged: false }] },
    ]);
    expect(d.homes.map((h) => h.notifications)).toEqual([
      { events: 4, notified: FEWER_THAN_3, notYet: FEWER_THAN_3 },
      { events: FEWER_THAN_3, notified: 0, notYet: FEWER_THAN_3 },
      { events: 0, notified: 0, notYet: 0 },
    ]);
  });

  it('has nothing to notify and nothing recorded without events; with no records given, every event is not yet notified', () => {
    expect(computeDigest(input).notifications).toMatchObject({ events: 5, notified: 0, notYet: 5 });
    const quiet = computeDigest({ ...input, huddles: input.huddles.map((r) => ({ ...r, deaths: 0, fallsWithHarm: 0, outbreakStatus: 'none' as const })), notifications: records });
    expect(quiet.notifications).toEqual({ events: 0, notified: 0, notYet: 0, byKind: [], homes: [] });
  });

  it('takes a new confirmed outbreak answered "Care Inspectorate notified: yes" as notified, flags it, and counts a protection concern', () => {
    const huddles = [
      ...input.huddles.filter((r) => r.homeId !== 'pkc-kinnoull'),
      row('pkc-kinnoull', '2026-11-16', { outbreakStatus: 'confirmed', careInspectorateNotified: true }),
      row('pkc-kinnoull', '2026-11-17', { outbreakStatus: 'confirmed', careInspectorateNotified: true, protectionConcern: true }),
    ];
    const k = computeDigest({ ...input, huddles }).notifications.homes.find((h) => h.homeId === 'pkc-kinnoull')!;
    expect(k).toEqual({ homeId: 'pkc-kinnoull', name: 'Kinnoull Court', events: FEWER_THAN_3, notified: FEWER_THAN_3, notYet: FEWER_THAN_3, outstanding: [{ date: '2026-11-17', kind: 'protection', flagged: true }] });
  });

  it('reads "new outbreak" as the manager’s card does: against the home’s answer in the 7 days before, across the week’s start', () => {
    const huddles = (before: string, after: string) => [
      ...input.huddles.filter((r) => r.homeId !== 'pkc-kinnoull'),
      row('pkc-kinnoull', before, { outbreakStatus: 'suspected' }),
      row('pkc-kinnoull', after, { outbreakStatus: 'suspected' }),
    ];
    const kinnoull = (before: string, after: string) => computeDigest({ ...input, huddles: huddles(before, after) }).notifications.homes.find((h) => h.homeId === 'pkc-kinnoull');
    expect(kinnoull('2026-11-15', '2026-11-16')).toBeUndefined(); // suspected the Sunday before: not new on Monday
    expect(kinnoull('2026-11-09', '2026-11-16')).toBeUndefined(); // 7 days before: still the huddle before
    expect(kinnoull('2026-11-09', '2026-11-17')?.outstanding).toEqual([{ date: '2026-11-17', kind: 'outbreak', flagged: false }]); // 8 days: new again
  });

  it('leaves a home with an event not recorded as notified out of the quiet homes', () => {
    const huddles = [...input.huddles, ...['16', '17', '18', '19', '20', '21', '22'].map((day, i) => row('pkc-kinnoull', `2026-11-${day}`, { deaths: i === 0 ? 1 : 0 }))];
    const k = computeDigest({ ...input, huddles }).homes.find((h) => h.homeId === 'pkc-kinnoull')!;
    expect(k.notifications).toEqual({ events: FEWER_THAN_3, notified: 0, notYet: FEWER_THAN_3 });
  });
});
