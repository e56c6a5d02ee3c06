/** The day's huddle summary for an area (§3): submitted N of M, RAG counts, what made each red, who has not answered. */
import type { DirectoryView, Home } from './directory';
import type { Rag } from './rag';
import { completionRate, percent } from './completion';
import { nameWithReach, type Reach } from './reach';

export interface DayAnswer {
  homeId: string;
  rag: Rag;
  reasons: string[];
  /** the huddle's free text ("Anything else the support team should know"): the support view only */
  concern?: string;
  /** when it was answered (ISO) */
  answeredAt?: string;
}

export interface DaySummary {
  submitted: number;
  expected: number;
  completion: string;
  red: number;
  amber: number;
  green: number;
  reds: { home: string; reasons: string[] }[];
  missing: { home: string; managers: string }[];
  /** notifiable events not recorded as notified to the Care Inspectorate (filled in from the notifications table): the support view only */
  unnotified: { home: string; events: string }[];
  /** each answer's concern text, in the order of the homes: the support view only (free text, §3, §4) */
  concerns: { home: string; concern: string; answeredAt: string }[];
}

export type { Reach } from './reach';

/** `reachOf` says whether each manager could be sent the prompt (default: every one could). */
export function summariseDay(homes: Home[], answers: DayAnswer[], dir: DirectoryView, reachOf: (email: string) => Reach = () => 'reachable'): DaySummary {
  const byHome = new Map(answers.map((a) => [a.homeId, a]));
  const ofHomes = homes.map((h) => ({ home: h, answer: byHome.get(h.id) }));
  const count = (rag: Rag) => ofHomes.filter((x) => x.answer?.rag === rag).length;
  const submitted = ofHomes.filter((x) => x.answer).length;
  return {
    submitted,
    expected: homes.length,
    completion: percent(completionRate(submitted, homes.length)),
    red: count('red'),
    amber: count('amber'),
    green: count('green'),
    reds: ofHomes.filter((x) => x.answer?.rag === 'red').map((x) => ({ home: x.home.name, reasons: x.answer!.reasons })),
    unnotified: [],
    concerns: ofHomes
      .filter((x) => x.answer?.concern?.trim())
      .map((x) => ({ home: x.home.name, concern: x.answer!.concern!.trim(), answeredAt: x.answer!.answeredAt ?? '' })),
    missing: ofHomes
      .filter((x) => !x.answer)
      .map((x) => ({
        home: x.home.name,
        managers:
          dir
            .managersOf(x.home.id)
            .map((p) => nameWithReach(p.name, reachOf(p.email)))
            .join(', ') || 'no manager in the directory',
      })),
  };
}
