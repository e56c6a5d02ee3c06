/**
 * One deadline per request (§8): the Teams edge opens it when a request arrives (`withDeadline`), and every
 * storage call made on that request's behalf carries its AbortSignal without being handed it — the storage
 * clients read it here, in one pipeline policy (src/storage/client.ts). Anything else on the request's path
 * that takes no signal (the Teams roster look-up) is raced against it with `untilDeadline`.
 *
 * Why AsyncLocalStorage and not a signal passed through ctx: the signal must reach every table module, the
 * directory load and the outboxes' writes, on every verb; threading a parameter through all of them touches
 * each use case and each storage method, while one policy on the clients covers every call, the ones added
 * later included. Work that outlives the request (the delivery worker, a shared directory load, the
 * conversation-reference refresh) runs `outsideDeadline`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Deadline {
  /** aborted when the request's time is up */
  signal: AbortSignal;
  /** epoch ms at which it fires */
  at: number;
  /** writes sent to storage on this request whose answer has not come back (yet) */
  unconfirmed: number;
  /** writes sent to storage on this request, confirmed or not */
  writes: number;
  /** writes storage confirmed (2xx) on this request */
  written: number;
}

const als = new AsyncLocalStorage<Deadline>();

/** Runs `fn` with a deadline `ms` from `startedAt` (default now). */
export function withDeadline<T>(ms: number, fn: () => Promise<T>, startedAt = Date.now()): Promise<T> {
  const at = startedAt + ms;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError()), Math.max(0, at - Date.now()));
  timer.unref();
  const deadline: Deadline = { signal: controller.signal, at, unconfirmed: 0, writes: 0, written: 0 };
  return als.run(deadline, () => fn().finally(() => clearTimeout(timer)));
}

/** The deadline of the request this code runs for, if any. */
export const currentDeadline = (): Deadline | undefined => als.getStore();

/** Runs `fn` with no request's deadline: work that may outlive the request (it must bound itself). */
export const outsideDeadline = <T>(fn: () => T): T => als.exit(fn);

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor() {
    super('the request ran out of time');
  }
}

/** A write was sent to storage, but its answer did not come before the deadline: it may or may not be stored. */
export class UnconfirmedWriteError extends Error {
  override readonly name = 'UnconfirmedWriteError';
  constructor() {
    super('a write was sent but not confirmed before the deadline');
  }
}

export const isDeadline = (e: unknown): boolean => e instanceof DeadlineError || e instanceof UnconfirmedWriteError || (e as Error)?.name === 'AbortError';
export const isUnconfirmed = (e: unknown): boolean => e instanceof UnconfirmedWriteError;

/** `p`, or a DeadlineError when the current request's deadline comes first (`p` itself is not stopped). */
export function untilDeadline<T>(p: Promise<T>, deadline = currentDeadline()): Promise<T> {
  if (!deadline) return p;
  if (deadline.signal.aborted) return Promise.reject(new DeadlineError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineError());
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (deadline.signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (deadline.signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
