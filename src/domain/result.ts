/** Expected failures as values with a fixed code, so a route can turn each into a clear card. */
export interface Failure<C extends string = string> {
  ok: false;
  code: C;
  message: string;
  /** field → problem, for errors shown next to a card's inputs */
  fields?: Record<string, string>;
}
export interface Success<T> {
  ok: true;
  value: T;
}
export type Result<T, C extends string = string> = Success<T> | Failure<C>;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const fail = <C extends string>(code: C, message: string, fields?: Record<string, string>): Failure<C> =>
  fields ? { ok: false, code, message, fields } : { ok: false, code, message };
