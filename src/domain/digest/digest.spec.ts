import { completionRate, expectedDates } from '../completion';
import { fixtureInput } from './digest.fixture';
import { computeDigest, FEWER_THAN_3, suppressSmall } from './index';
import { digestWeekFor, inWeek } from './week';

describe('the digest week', () => {
  it('covers the Monday-to-Sunday week that ended before the send day', () => {
    expect(digestWeekFor('2026-11-23', 'Europe/London').week.start).toBe('2026-11-16'); // a Monday
    expect(digestWeekFor('2026-11-25', 'Europe/London').week.start).toBe('2026-11-16'); // a Wednesday
    expect(digestWeekFor('2026-11-22', 'Europe/London').week.start).toBe('2026-11-09'); // a Sunday: its week has not ended
    const { week, previous } = digestWeekFor('2026-11-23', 'Europe/London');
    expect(week.end).toBe('2026-11-22');
    expect([previous.start, previous.end]).toEqual(['2026-11-09', '2026-11-15']);
  });

  it('is 169 hours long across the end of British Summer Time (Sunday 2026-10-25)', () => {
    const { week } = digestWeekFor('2026-10-26', 'Europe/London');
    expect(week.dates).toEqual(['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25']);
    expect(week.from).toBe('2026-10-18T23:00:00.000Z'); // Monday 00:00 BST
    expect(week.until).toBe('2026-10-26T00:00:00.000Z'); // next Monday 00:00 GMT
    expect(inWeek('2026-10-18T23:30:00.000Z', week)).toBe(true); // 00:30 BST Monday
    expect(inWeek('2026-10-25T23:30:00.000Z', week)).toBe(true); // 23:30 GMT Sunday
    expect(inWeek('2026-10-18T22:30:00.000Z', week)).toBe(false); // 23:30 BST the Sunday before
    expect(inWeek('2026-10-26T00:30:00.000Z', week)).toBe(false);
  });
});

describe('completion', () => {
  it('divides submitted by expected home-days and has no rate when nothing was expected', () => {
    expect(completionRate(12, 21)).toBeCloseTo(0.5714, 4);
    expect(completionRate(0, 0)).toBeUndefined();
    expect(expectedDates(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'], ['MON', 'TUE', 'WED', 'THU', 'FRI'])).toEqual(['2026-11-20', '2026-11-23']);
  });
});

describe('computeDigest on a fixture week', () => {
  const d = computeDigest(fixtureInput());

  it('gives completion for the area and per home against the week before, and homes that missed 2+ days', () => {
    // this week: Birchwood 7 + Tayview 5 + Kinnoull 0 = 12 of 3 × 7; the week before 14 of 21
    expect(d.completion).toMatchObject({ submitted: 12, expected: 21, previousSubmitted: 14, previousExpected: 21 });
    expect(d.completion.rate).toBeCloseTo(12 / 21);
    expect(d.completion.changePoints).toBe(-9.5);
    const [birchwood, tayview, kinnoull] = d.homes;
    expect([birchwood.rate, tayview.rate, kinnoull.rate]).toEqual([1, 5 / 7, 0]);
    expect([birchwood.previousRate, tayview.previousRate, kinnoull.previousRate]).toEqual([1, 1, 0]);
    expect(d.homesMissing2).toEqual([
      { homeId: 'pkc-tayview', name: 'Tayview Lodge', missed: 2 },
      { homeId: 'pkc-kinnoull', name: 'Kinnoull Court', missed: 7 },
    ]);
  });

  it('shows a home with no answers as missing every day, with nothing else made up', () => {
    const kinnoull = d.homes[2];
    expect(kinnoull.days.map((x) => x.mark)).toEqual(Array(7).fill('missing'));
    expect(kinnoull.latest).toBeUndefined();
    expect(kinnoull).toMatchObject({ green: 0, amber: 0, red: 0, agencyShifts: 0, submitted: 0 });
  });

  it('gives RAG per day and per home, and the reasons behind every red', () => {
    expect(d.ragByDay.map(({ green, amber, red, missing }) => [green, amber, red, missing])).toEqual([
      [1, 0, 1, 1],
      [1, 0, 1, 1],
      [0, 1, 1, 1],
      [1, 1, 0, 1],
      [2, 0, 0, 1],
      [1, 0, 0, 2],
      [1, 0, 0, 2],
    ]);
    expect(d.homes[0].days.map((x) => x.mark)).toEqual(['red', 'red', 'red', 'amber', 'green', 'green', 'green']);
    expect(d.homes[1].days.map((x) => x.mark)).toEqual(['green', 'green', 'amber', 'green', 'green', 'missing', 'missing']);
    expect(d.homesRed).toEqual([{ homeId: 'pkc-birchwood', name: 'Birchwood House', days: 3 }]);
    expect(d.reds.map((r) => r.date)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18']);
    expect(d.reds[0].reasons[0]).toContain('Staffing is red');
  });

  it('counts escalations opened, escalated by pathway, rejected and closed, and those open with owner and age', () => {
    expect(d.escalations).toMatchObject({ opened: 1, escalated: 1, rejected: 1, closed: 1, escalatedByPathway: [{ pathway: 'care-inspectorate', count: 1 }] });
    // opened Mon 16 Nov 09:40 UTC; the week ends Mon 23 Nov 00:00 GMT: 6 whole days
    expect(d.escalations.open).toEqual([
      { id: 'esc-1', homeId: 'pkc-birchwood', homeName: 'Birchwood House', state: 'escalated', owner: 'iain.shaw@nhs.example', ageDays: 6 },
    ]);
    expect(d.homes[0].openEscalation?.id).toBe('esc-1');
  });

  it('lists outbreaks new, open and closing, whether the regulator was notified, and new cases', () => {
    expect(d.outbreaks).toEqual({
      new: ['Birchwood House'],
      open: [{ homeId: 'pkc-birchwood', name: 'Birchwood House', status: 'confirmed' }],
      closing: ['Tayview Lodge'],
      confirmed: [{ homeId: 'pkc-birchwood', name: 'Birchwood House', notified: true }],
      newCasesResidents: 3,
      newCasesStaff: 1,
    });
  });

  it('gives staffing: homes amber or red on 3+ days, agency and unfilled shifts against the week before', () => {
    expect(d.staffing).toEqual({
      homesAmberRed3: [{ homeId: 'pkc-birchwood', name: 'Birchwood House', days: 4 }],
      agencyShifts: 14,
      previousAgencyShifts: 7,
      shiftsUnfilled: 2,
      previousShiftsUnfilled: 0,
      nurseCoverGapDays: 0,
    });
  });

  it('gives beds available and closed by reason, and occupancy, as at each home’s last answer', () => {
    expect(d.beds).toEqual({
      available: 4,
      closed: 3,
      closedByReason: [
        { reason: 'ipc', count: 1 },
        { reason: 'staffing', count: 2 },
      ],
      residents: 62,
      places: 68,
      occupancy: 62 / 68,
    });
  });

  it('shows harm for the area as it is, home-level counts of 1 or 2 as "fewer than 3", and a zero as a zero', () => {
    expect(d.harm).toEqual({ fallsWithHarm: 2, newPressureUlcers: 1, deaths: 3, unexpectedDeaths: 0 });
    expect(d.homes[0].harm).toEqual({ fallsWithHarm: FEWER_THAN_3, newPressureUlcers: 0, deaths: 3, unexpectedDeaths: 0 });
    expect(d.homes[1].harm.fallsWithHarm).toBe(FEWER_THAN_3);
    expect([suppressSmall(0), suppressSmall(1), suppressSmall(2), suppressSmall(3), suppressSmall(11)]).toEqual([0, FEWER_THAN_3, FEWER_THAN_3, 3, 11]);
  });

  it('gives improvement actions by RAG and theme, overdue, and completed this week', () => {
    expect(d.actions.byRag).toEqual({ green: 2, amber: 2, red: 2 });
    expect(d.actions.byTheme).toEqual([
      { theme: 1, green: 0, amber: 0, red: 1 },
      { theme: 2, green: 0, amber: 1, red: 1 },
      { theme: 3, green: 1, amber: 0, red: 0 },
      { theme: 4, green: 0, amber: 1, red: 0 },
      { theme: 5, green: 0, amber: 0, red: 0 },
      { theme: 6, green: 1, amber: 0, red: 0 },
    ]);
    expect(d.actions.overdue).toEqual([{ homeId: 'pkc-birchwood', name: 'Birchwood House', number: '2.2', dueDate: '2026-11-20' }]);
    expect(d.actions.completedThisWeek).toBe(1);
    expect(d.homes[0].actions).toEqual({ green: 1, amber: 1, red: 1, overdue: 1 });
  });
});

describe('computeDigest across the clock change', () => {
  it('counts what happened between Monday 00:00 BST and Sunday 24:00 GMT', () => {
    const input = fixtureInput();
    const at = (iso: string, id: string) => ({ id, homeId: 'pkc-birchwood', state: 'open', openedAt: iso, events: [] });
    const d = computeDigest({
      ...input,
      sendDate: '2026-10-26',
      huddles: ['2026-10-19', '2026-10-25'].map((date) => ({ homeId: 'pkc-birchwood', date, rag: 'green' as const, reasons: [] })),
      escalations: [at('2026-10-18T22:30:00.000Z', 'before'), at('2026-10-18T23:30:00.000Z', 'first'), at('2026-10-25T23:30:00.000Z', 'last'), at('2026-10-26T00:30:00.000Z', 'after')],
      actions: [{ homeId: 'pkc-tayview', theme: 5, number: '5.1', status: 'completed', onTarget: true, dueDate: '2026-11-01', completedAt: '2026-10-25T23:59:00.000Z' }],
    });
    expect(d.week.start).toBe('2026-10-19');
    expect(d.escalations.opened).toBe(2);
    // open at the week's end: the one from before the week and the two within it, not the one after
    expect(d.escalations.open.map((e) => e.id).sort()).toEqual(['before', 'first', 'last']);
    expect(d.escalations.open.find((e) => e.id === 'first')?.ageDays).toBe(7); // 169 hours
    expect(d.actions.completedThisWeek).toBe(1);
    expect(d.homes[0].days.map((x) => x.mark)).toEqual(['green', 'missing', 'missing', 'missing', 'missing', 'missing', 'green']);
    expect(d.completion).toMatchObject({ submitted: 2, expected: 21 });
  });

  it('expects only the area’s huddle days', () => {
    const input = fixtureInput();
    const d = computeDigest({ ...input, area: { ...input.area, huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI'] } });
    // Birchwood 5 + Tayview 5 of 3 × 5; Birchwood's weekend answers are shown but not counted
    expect(d.completion).toMatchObject({ submitted: 10, expected: 15 });
    expect(d.homes[1].missed).toBe(0);
    expect(d.homes[1].days[5].mark).toBe('not-expected');
    expect(d.homes[0].days[5].mark).toBe('green');
  });
});
