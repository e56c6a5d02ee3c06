/** The delivery path's tunables: the app keeps the defaults; tests and the bench shorten them. */
import { randomUUID } from 'node:crypto';

export interface DurableOptions {
  /** how long a received queue message stays hidden and a claimed row stays claimed */
  visibilityMs: number;
  /** dequeues after which a message goes to the poison queue and its row is failed */
  maxDequeues: number;
  leaseMs: number;
  /** messages sent at once by this instance */
  workers: number;
  pollMs: number;
  /** this instance, for the lease */
  instance: string;
}

export const defaultDurableOptions = (): DurableOptions => ({
  visibilityMs: 120_000,
  maxDequeues: 5,
  leaseMs: 60_000,
  workers: 32,
  pollMs: 500,
  instance: `${process.pid}-${randomUUID().slice(0, 8)}`,
});

/** Tests and the bench tune these (short visibility, few dequeues); the app keeps the defaults. */
export const deliveryOptions: { current?: DurableOptions } = {};
