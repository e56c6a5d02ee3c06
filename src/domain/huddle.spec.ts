import type { Home } from './directory';
import { assess, parseAnswerBasis, parseHuddle, type HuddleAnswer } from './huddle';
import { completionRate, huddleDates } from './completion';

const nursing: Home = { id: 'pkc-birchwood', area: 'pkc', name: 'Birchwood House', registeredPlaces: 40, nursing: true };
const residential: Home = { ...nursing, id: 'pkc-tayview', name: 'Tayview Lodge', nursing: false };

/** A green answer as Teams sends it: every value a string. */
export const greenData = (): Record<string, unknown> => ({
  residents: '35', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '1',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
});

const parse = (changes: Record<string, unknown>, home = nursing) => parseHuddle({ ...greenData(), ...changes }, home);
const problemOf = (changes: Record<string, unknown>, field: string, home = nursing) => {
  const r = parse(changes, home);
  if (r.ok) throw new Error(`expected ${field} to be refused`);
  return r.fields?.[field];
};

describe('parsing the huddle answer', () => {
  it('accepts a complete answer and turns strings into numbers and booleans', () => {
    const r = parse({ extraField: 'ignored', homeId: 'pkc-birchwood' });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.residents).toBe(35);
      expect(r.value.nurseCoverGap).toBe(false);
      expect(r.value).not.toHaveProperty('extraField');
    }
  });

  it.each(['3.5', '-1', '', 'three', ' 3', '3 ', '1e3', '0x10', '999999'])('refuses %p as a count', (value) => {
    expect(problemOf({ shiftsUnfilled: value }, 'shiftsUnfilled')).toBeDefined();
  });

  it.each([[null], [undefined]])('says a missing count is needed (%p)', (value) => {
    expect(problemOf({ residents: value }, 'residents')).toBe('This answer is needed.');
  });

  it.each([
    ['staffingRag', 'Green'],
    ['staffingRag', 'purple'],
    ['outbreakStatus', 'over'],
    ['ppeSupply', 'fine'],
    ['visiting', 'Open'],
    ['bedsClosedReason', 'flood'],
    ['supportNeeded', 'staffing,money'],
    ['nurseCoverGap', 'yes'],
    ['protectionConcern', 1],
  ])('refuses %s = %p (enumerations are exact)', (field, value) => {
    expect(problemOf({ [field]: value }, field)).toBeDefined();
  });

  it('refuses more residents than registered places', () => {
    expect(problemOf({ residents: '41' }, 'residents')).toContain('40 registered places');
  });

  it('refuses more unexpected deaths than deaths', () => {
    expect(problemOf({ deaths: '1', unexpectedDeaths: '2' }, 'unexpectedDeaths')).toContain('more than the deaths');
  });

  it('needs a reason when beds are closed', () => {
    expect(problemOf({ bedsClosed: '2' }, 'bedsClosedReason')).toContain('why beds are closed');
    expect(parse({ bedsClosed: '2', bedsClosedReason: 'ipc' }).ok).toBe(true);
  });

  it('needs to know whether the Care Inspectorate was notified of a confirmed outbreak', () => {
    expect(problemOf({ outbreakStatus: 'confirmed' }, 'careInspectorateNotified')).toContain('Care Inspectorate');
    expect(parse({ outbreakStatus: 'confirmed', careInspectorateNotified: 'true' }).ok).toBe(true);
  });

  it('asks about nurse cover only of nursing homes', () => {
    expect(problemOf({ nurseCoverGap: undefined }, 'nurseCoverGap', nursing)).toBeDefined();
    const r = parse({ nurseCoverGap: 'true' }, residential);
    expect(r.ok && r.value.nurseCoverGap).toBe(false);
  });

  it('keeps the concern to 500 characters', () => {
    expect(problemOf({ concern: 'x'.repeat(501) }, 'concern')).toContain('500');
    expect(parse({ concern: 'x'.repeat(500) }).ok).toBe(true);
  });

  it.each(['CHI 0101501234 was seen', 'ref 010 150 1234', '0101-50-1234 again'])('refuses a 10-digit number in the concern (%p)', (concern) => {
    expect(problemOf({ concern }, 'concern')).toContain('CHI');
  });

  it('allows other numbers in the concern', () => {
    expect(parse({ concern: 'Two of 12 staff off since 23/11' }).ok).toBe(true);
  });

  it('refuses an oversized payload', () => {
    const r = parse({ padding: 'x'.repeat(20_000) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('HUDDLE.TOO_LARGE');
  });

  it('lists every problem at once', () => {
    const r = parse({ residents: 'lots', staffingRag: '', concern: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fields ?? {}).sort()).toEqual(['concern', 'residents', 'staffingRag']);
  });

  it('orders the support asked for as the card lists it', () => {
    const r = parse({ supportNeeded: 'other,staffing' });
    expect(r.ok && r.value.supportNeeded).toBe('staffing,other');
  });
});

describe('RAG and reasons', () => {
  const answer = (changes: Partial<HuddleAnswer>): HuddleAnswer => {
    const r = parseHuddle(greenData(), nursing);
    if (!r.ok) throw new Error('green data invalid');
    return { ...r.value, ...changes };
  };

  it('is green with no reasons when nothing is wrong', () => {
    expect(assess(answer({}))).toEqual({ rag: 'green', reasons: [] });
  });

  it.each<[string, Partial<HuddleAnswer>, string]>([
    ['staffing red', { staffingRag: 'red' }, 'Staffing is red'],
    ['a nurse cover gap', { nurseCoverGap: true }, 'without a registered nurse'],
    ['a confirmed outbreak not notified', { outbreakStatus: 'confirmed', careInspectorateNotified: false }, 'not yet notified'],
    ['PPE critical', { ppeSupply: 'critical' }, 'PPE supply is critical'],
    ['an unexpected death', { deaths: 1, unexpectedDeaths: 1 }, '1 unexpected death'],
    ['an adult-protection concern', { protectionConcern: true }, 'adult-protection'],
    ['2 new cases with no outbreak', { newCasesResidents: 1, newCasesStaff: 1 }, '2 new infections with no outbreak declared'],
  ])('is red for %s', (_name, changes, reason) => {
    const r = assess(answer(changes));
    expect(r.rag).toBe('red');
    expect(r.reasons.join(' | ')).toContain(reason);
  });

  it.each<[string, Partial<HuddleAnswer>, string]>([
    ['staffing amber', { staffingRag: 'amber' }, 'stretched'],
    ['an unfilled shift', { shiftsUnfilled: 2 }, '2 shifts unfilled'],
    ['a closed bed', { bedsClosed: 1, bedsClosedReason: 'ipc' }, '1 bed closed (infection control)'],
    ['a fall with harm', { fallsWithHarm: 1 }, '1 fall with harm'],
    ['a new pressure ulcer', { newPressureUlcers: 1 }, '1 new pressure ulcer'],
    ['visiting closed', { visiting: 'closed' }, 'Visiting is closed'],
    ['an outbreak suspected', { outbreakStatus: 'suspected' }, 'Outbreak suspected'],
    ['an outbreak confirmed and notified', { outbreakStatus: 'confirmed', careInspectorateNotified: true }, 'Outbreak confirmed'],
    ['PPE low', { ppeSupply: 'low' }, 'PPE supply is low'],
    ['support needed', { supportNeeded: 'staffing,ipc' }, 'Support asked for: staffing, ipc'],
    ['a concern', { concern: 'Worried about the lift' }, 'A concern was written'],
  ])('is amber for %s', (_name, changes, reason) => {
    const r = assess(answer(changes));
    expect(r.rag).toBe('amber');
    expect(r.reasons.join(' | ')).toContain(reason);
  });

  it('is not red for one new case, nor for two in a declared outbreak', () => {
    expect(assess(answer({ newCasesResidents: 1 })).rag).toBe('green');
    expect(assess(answer({ newCasesStaff: 2, outbreakStatus: 'closing' })).rag).toBe('green');
  });

  it('gives every red reason, and red wins over amber', () => {
    const r = assess(answer({ staffingRag: 'red', ppeSupply: 'critical', visiting: 'closed' }));
    expect(r.rag).toBe('red');
    expect(r.reasons).toHaveLength(2);
  });
});

describe('completion rate', () => {
  it('counts huddle days only', () => {
    expect(huddleDates('2026-11-16', '2026-11-22', ['MON', 'TUE', 'WED', 'THU', 'FRI'])).toHaveLength(5);
    expect(huddleDates('2026-10-19', '2026-10-25', ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'])).toHaveLength(7);
  });
  it('is submitted home-days over expected home-days', () => {
    expect(completionRate(33, 42)).toBeCloseTo(0.7857);
    expect(completionRate(0, 0)).toBeUndefined();
  });
});

describe('the answer an amend card was opened on', () => {
  const etag = `W/"datetime'2026-11-23T09%3A40%3A00.1234567Z'"`;
  it('is none for a blank form', () => {
    expect(parseAnswerBasis({})).toBeUndefined();
    expect(parseAnswerBasis({ amendsVersion: '', amendsEtag: '' })).toBeUndefined();
  });
  it('is the version and ETag the card carries', () => {
    expect(parseAnswerBasis({ amendsVersion: '3', amendsEtag: etag })).toEqual({ version: 3, etag });
  });
  it.each([
    ['version 0', { amendsVersion: '0', amendsEtag: etag }],
    ['a number, not the string a card sends', { amendsVersion: 3, amendsEtag: etag }],
    ['a decimal version', { amendsVersion: '1.5', amendsEtag: etag }],
    ['no ETag', { amendsVersion: '2' }],
    ['an ETag without a version', { amendsEtag: etag }],
    ['an ETag that is not Table storage’s', { amendsVersion: '2', amendsEtag: '*' }],
    ['OData-looking text', { amendsVersion: '2', amendsEtag: "W/\"datetime'x' or PartitionKey ne ''\"" }],
  ])('is refused for %s', (_name, data) => {
    expect(parseAnswerBasis(data)).toBe(false);
  });
});
