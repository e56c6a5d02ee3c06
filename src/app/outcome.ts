/**
 * What a use case answers: a view for the card, or a refusal with a fixed code (`HUDDLE.NOT_YOUR_HOME`,
 * `ESCALATION.STALE`, …) and a sentence for the person, with the view to show it on when there is one
 * (the form with what was typed kept, the plan with the problem at the top).
 */
import type { Failure, Success } from '../domain/result';
import type { DirectoryView, Person } from '../domain/directory';

export type Refusal<V> = Failure & { view?: V };
export type Outcome<V> = (Success<V> & { message?: string }) | Refusal<V>;

export const done = <V>(value: V, message?: string): Outcome<V> => (message === undefined ? { ok: true, value } : { ok: true, value, message });

export function refuse<V = never>(code: string, message: string, view?: V, fields?: Record<string, string>): Refusal<V> {
  return { ok: false, code, message, ...(fields ? { fields } : {}), ...(view !== undefined ? { view } : {}) };
}

/** Who is asking: the directory person behind the activity (none when not in the directory), and the directory read once for the request. */
export interface Asker {
  person: Person | undefined;
  dir: DirectoryView;
}

/** A card action's data as the card sent it: always a record (a missing or odd value becomes {}). */
export type CardData = Record<string, unknown>;
