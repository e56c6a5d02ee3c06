import type { HuddleAnswer } from './huddle';
import { isNotifiableKind, notifiableEvents, notifiedWithAnswer } from './notifiable';

const quiet: HuddleAnswer = {
  residents: 20, bedsAvailable: 1, bedsClosed: 0, staffingRag: 'green', shiftsUnfilled: 0, agencyShifts: 0, nurseCoverGap: false, outbreakStatus: 'none',
  newCasesResidents: 0, newCasesStaff: 0, careInspectorateNotified: false, ppeSupply: 'good', fallsWithHarm: 0, newPressureUlcers: 0, deaths: 0, unexpectedDeaths: 0,
  hospitalAdmissions: 0, hospitalDischarges: 0, visiting: 'open', protectionConcern: false, supportNeeded: '', concern: '',
} as HuddleAnswer;

describe('notifiable events of a huddle answer', () => {
  it('has none on a quiet day', () => expect(notifiableEvents(quiet)).toEqual([]));

  it('lists deaths, flagging the unexpected', () => {
    expect(notifiableEvents({ ...quiet, deaths: 1 })).toEqual([{ kind: 'death', label: '1 death', flagged: false }]);
    expect(notifiableEvents({ ...quiet, deaths: 2, unexpectedDeaths: 1 })).toEqual([{ kind: 'death', label: '2 deaths (1 unexpected)', flagged: true }]);
  });

  it('lists an outbreak only when it is new since the last huddle', () => {
    expect(notifiableEvents({ ...quiet, outbreakStatus: 'suspected' })).toEqual([{ kind: 'outbreak', label: 'An outbreak suspected', flagged: false }]);
    expect(notifiableEvents({ ...quiet, outbreakStatus: 'confirmed' }, { outbreakStatus: 'none' })[0]).toMatchObject({ kind: 'outbreak', flagged: true });
    expect(notifiableEvents({ ...quiet, outbreakStatus: 'confirmed' }, { outbreakStatus: 'closing' })).toHaveLength(1);
    expect(notifiableEvents({ ...quiet, outbreakStatus: 'confirmed' }, { outbreakStatus: 'suspected' })).toEqual([]);
    expect(notifiableEvents({ ...quiet, outbreakStatus: 'suspected' }, { outbreakStatus: 'confirmed' })).toEqual([]);
    expect(notifiableEvents({ ...quiet, outbreakStatus: 'closing' }, { outbreakStatus: 'none' })).toEqual([]);
  });

  it('lists an adult-protection concern and falls with harm', () => {
    expect(notifiableEvents({ ...quiet, protectionConcern: true })).toEqual([{ kind: 'protection', label: 'An adult-protection concern', flagged: true }]);
    expect(notifiableEvents({ ...quiet, fallsWithHarm: 2 })).toEqual([{ kind: 'fall', label: '2 falls with harm', flagged: false }]);
  });

  it('keeps one event per kind, in a fixed order', () => {
    const all = notifiableEvents({ ...quiet, deaths: 1, outbreakStatus: 'confirmed', protectionConcern: true, fallsWithHarm: 3 });
    expect(all.map((e) => e.kind)).toEqual(['death', 'outbreak', 'protection', 'fall']);
  });

  it('takes an outbreak confirmed with "Care Inspectorate notified: yes" as notified with the answer', () => {
    expect(notifiedWithAnswer({ ...quiet, outbreakStatus: 'confirmed', careInspectorateNotified: true })).toEqual(['outbreak']);
    expect(notifiedWithAnswer({ ...quiet, outbreakStatus: 'confirmed', careInspectorateNotified: false })).toEqual([]);
    expect(notifiedWithAnswer({ ...quiet, outbreakStatus: 'suspected', careInspectorateNotified: true })).toEqual([]);
  });

  it('knows its kinds', () => {
    expect(isNotifiableKind('death')).toBe(true);
    expect(isNotifiableKind('birthday')).toBe(false);
    expect(isNotifiableKind(3)).toBe(false);
  });
});
