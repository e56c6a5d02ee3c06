/** Digest section: completion of the huddle, for the area and each home, against the week before. */
import { completionRate } from '../completion';
import type { DigestScope } from './scope';
import type { Digest, HomeDigest } from './types';

const submittedOf = (dates: string[], answered: Set<string>) => dates.filter((d) => answered.has(d)).length;

export function homeCompletion(s: DigestScope, homeId: string): Pick<HomeDigest, 'submitted' | 'expected' | 'rate' | 'previousRate' | 'missed'> {
  const submitted = submittedOf(s.expected, new Set(s.thisOf(homeId).map((r) => r.date)));
  const previousSubmitted = submittedOf(s.previousExpected, new Set(s.lastOf(homeId).map((r) => r.date)));
  const rate = completionRate(submitted, s.expected.length);
  const previousRate = completionRate(previousSubmitted, s.previousExpected.length);
  return {
    submitted,
    expected: s.expected.length,
    ...(rate !== undefined ? { rate } : {}),
    ...(previousRate !== undefined ? { previousRate } : {}),
    missed: s.expected.length - submitted,
  };
}

/** Home-days answered on huddle days (a second answer for the same home and day counts once). */
const homeDaysOn = (rows: DigestScope['thisWeek'], dates: string[]) => new Set(rows.filter((r) => dates.includes(r.date)).map((r) => `${r.homeId}|${r.date}`)).size;

export function areaCompletion(s: DigestScope, homeCount: number): Digest['completion'] {
  const submitted = homeDaysOn(s.thisWeek, s.expected);
  const expected = homeCount * s.expected.length;
  const previousSubmitted = homeDaysOn(s.lastWeek, s.previousExpected);
  const previousExpected = homeCount * s.previousExpected.length;
  const rate = completionRate(submitted, expected);
  const previousRate = completionRate(previousSubmitted, previousExpected);
  return {
    submitted,
    expected,
    ...(rate !== undefined ? { rate } : {}),
    previousSubmitted,
    previousExpected,
    ...(previousRate !== undefined ? { previousRate } : {}),
    ...(rate !== undefined && previousRate !== undefined ? { changePoints: Math.round((rate - previousRate) * 1000) / 10 } : {}),
  };
}

export const homesMissing2 = (homes: HomeDigest[]): Digest['homesMissing2'] =>
  homes.filter((h) => h.missed >= 2).map((h) => ({ homeId: h.homeId, name: h.name, missed: h.missed }));
