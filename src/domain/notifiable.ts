/**
 * Care Inspectorate notifications (§3): the events of a huddle answer that the home must notify the regulator
 * of (through its eForms, "immediately"): a death (each unexpected one flagged), an outbreak suspected or
 * confirmed that is new since the last huddle, an adult-protection concern, a fall with harm. One record per
 * event kind per home and day; whether it was notified is kept apart from the answer (the answer says what was
 * true at the huddle).
 */
import type { HuddleAnswer } from './huddle';

export const NOTIFIABLE = ['death', 'outbreak', 'protection', 'fall'] as const;
export type NotifiableKind = (typeof NOTIFIABLE)[number];

export interface NotifiableEvent {
  kind: NotifiableKind;
  /** for people: "2 deaths (1 unexpected)" */
  label: string;
  /** a death that was unexpected, or an outbreak confirmed: flagged on the card */
  flagged: boolean;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const active = (s?: string) => s === 'suspected' || s === 'confirmed';

/** An outbreak suspected or confirmed at this huddle: only then does the answer before matter (is it new?). */
export const outbreakActive = (a: Pick<HuddleAnswer, 'outbreakStatus'>): boolean => active(a.outbreakStatus);

/** The answers the rule reads (the digest has them as plain rows). */
export type NotifiableAnswer = Pick<HuddleAnswer, 'deaths' | 'unexpectedDeaths' | 'outbreakStatus' | 'protectionConcern' | 'fallsWithHarm'>;

/** The notifiable events of an answer; `previous` is the home's answer at the huddle before (none: a new outbreak). */
export function notifiableEvents(a: NotifiableAnswer, previous?: Pick<HuddleAnswer, 'outbreakStatus'>): NotifiableEvent[] {
  const out: NotifiableEvent[] = [];
  if (a.deaths > 0) {
    out.push({ kind: 'death', label: `${plural(a.deaths, 'death', 'deaths')}${a.unexpectedDeaths ? ` (${a.unexpectedDeaths} unexpected)` : ''}`, flagged: a.unexpectedDeaths > 0 });
  }
  if (active(a.outbreakStatus) && !active(previous?.outbreakStatus)) {
    out.push({ kind: 'outbreak', label: `An outbreak ${a.outbreakStatus === 'confirmed' ? 'confirmed' : 'suspected'}`, flagged: a.outbreakStatus === 'confirmed' });
  }
  if (a.protectionConcern) out.push({ kind: 'protection', label: 'An adult-protection concern', flagged: true });
  if (a.fallsWithHarm > 0) out.push({ kind: 'fall', label: plural(a.fallsWithHarm, 'fall with harm', 'falls with harm'), flagged: false });
  return out;
}

/** The kinds already notified when the answer was given: an outbreak confirmed with "Care Inspectorate notified: yes". */
export function notifiedWithAnswer(a: Pick<HuddleAnswer, 'outbreakStatus' | 'careInspectorateNotified'>): NotifiableKind[] {
  return a.outbreakStatus === 'confirmed' && a.careInspectorateNotified ? ['outbreak'] : [];
}

export const isNotifiableKind = (v: unknown): v is NotifiableKind => typeof v === 'string' && (NOTIFIABLE as readonly string[]).includes(v);

/**
 * The home's answer at the huddle before `date`, among `answers` (the area's answers of the week before, say): the latest
 * earlier one, which says whether an outbreak is new.
 */
export function previousAnswerOf<T extends { homeId: string; date: string }>(answers: readonly T[], homeId: string, date: string): T | undefined {
  return answers.filter((a) => a.homeId === homeId && a.date < date).sort((a, b) => a.date.localeCompare(b.date)).at(-1);
}
