/** Digest section: outbreaks new, open and closing, whether the regulator was notified, and new cases. */
import type { DigestHomeInput, OutbreakStatus } from './rows';
import { sum, type DigestScope } from './scope';
import type { Digest, HomeDigest } from './types';

const isActive = (s: OutbreakStatus | undefined) => s === 'suspected' || s === 'confirmed';

export function outbreaks(s: DigestScope, homes: DigestHomeInput[], digests: HomeDigest[]): Digest['outbreaks'] {
  // "New" when suspected/confirmed follows an answer without one (or no earlier answer).
  const started: string[] = [];
  const confirmed: Digest['outbreaks']['confirmed'] = [];
  for (const h of homes) {
    const all = [...s.lastOf(h.id), ...s.thisOf(h.id)];
    if (all.some((r, i) => r.date >= s.week.start && isActive(r.outbreakStatus) && !isActive(all[i - 1]?.outbreakStatus))) started.push(h.name);
    const conf = all.filter((r) => r.date >= s.week.start && r.outbreakStatus === 'confirmed');
    if (conf.length) confirmed.push({ homeId: h.id, name: h.name, notified: conf.some((r) => r.careInspectorateNotified === true) });
  }
  const latest = digests.flatMap((h) => (h.latest ? [{ h, latest: h.latest }] : []));
  return {
    new: started,
    open: latest.filter(({ latest }) => isActive(latest.outbreakStatus)).map(({ h, latest }) => ({ homeId: h.homeId, name: h.name, status: latest.outbreakStatus })),
    closing: latest.filter(({ latest }) => latest.outbreakStatus === 'closing').map(({ h }) => h.name),
    confirmed,
    newCasesResidents: sum(s.thisWeek, (r) => r.newCasesResidents),
    newCasesStaff: sum(s.thisWeek, (r) => r.newCasesStaff),
  };
}
