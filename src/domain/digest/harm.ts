/** Digest section: harm (falls with harm, new pressure ulcers, deaths), with small home-level counts (1 or 2) not shown as numbers; a zero stays a zero (§6). */
import type { HuddleRow } from './rows';
import { sum } from './scope';
import type { Harm, HomeDigest, SmallCount } from './types';

export const FEWER_THAN_3 = 'fewer than 3' as const;
export const suppressSmall = (n: number): SmallCount => (n > 0 && n < 3 ? FEWER_THAN_3 : n);

export const harmOf = (rows: HuddleRow[]): Harm => ({
  fallsWithHarm: sum(rows, (r) => r.fallsWithHarm),
  newPressureUlcers: sum(rows, (r) => r.newPressureUlcers),
  deaths: sum(rows, (r) => r.deaths),
  unexpectedDeaths: sum(rows, (r) => r.unexpectedDeaths),
});

export function homeHarm(mine: HuddleRow[]): HomeDigest['harm'] {
  const harm = harmOf(mine);
  return { fallsWithHarm: suppressSmall(harm.fallsWithHarm), newPressureUlcers: suppressSmall(harm.newPressureUlcers), deaths: suppressSmall(harm.deaths), unexpectedDeaths: suppressSmall(harm.unexpectedDeaths) };
}
