/** Digest section: RAG per day and per home, and the reasons behind every red. */
import type { Rag } from '../rag';
import type { HuddleRow } from './rows';
import type { DigestScope } from './scope';
import type { Digest, HomeDigest } from './types';

const count = (rows: HuddleRow[], rag: Rag) => rows.filter((r) => r.rag === rag).length;

export function homeRag(s: DigestScope, homeId: string): Pick<HomeDigest, 'days' | 'green' | 'amber' | 'red' | 'reds'> {
  const mine = s.thisOf(homeId);
  const byDate = new Map(mine.map((r) => [r.date, r]));
  return {
    days: s.week.dates.map((date) => ({ date, mark: byDate.get(date)?.rag ?? (s.expected.includes(date) ? 'missing' : 'not-expected') })),
    green: count(mine, 'green'),
    amber: count(mine, 'amber'),
    red: count(mine, 'red'),
    reds: mine.filter((r) => r.rag === 'red').map((r) => ({ date: r.date, reasons: r.reasons })),
  };
}

export function ragByDay(s: DigestScope, homes: HomeDigest[]): Digest['ragByDay'] {
  return s.week.dates.map((date, i) => {
    const marks = homes.map((h) => h.days[i].mark);
    return { date, green: marks.filter((m) => m === 'green').length, amber: marks.filter((m) => m === 'amber').length, red: marks.filter((m) => m === 'red').length, missing: marks.filter((m) => m === 'missing').length };
  });
}

export const homesRed = (homes: HomeDigest[]): Digest['homesRed'] => homes.filter((h) => h.red > 0).map((h) => ({ homeId: h.homeId, name: h.name, days: h.red }));

export function reds(s: DigestScope): Digest['reds'] {
  return s.thisWeek
    .filter((r) => r.rag === 'red')
    .sort((a, b) => a.date.localeCompare(b.date) || s.nameOf(a.homeId).localeCompare(s.nameOf(b.homeId)))
    .map((r) => ({ homeId: r.homeId, name: s.nameOf(r.homeId), date: r.date, reasons: r.reasons }));
}
