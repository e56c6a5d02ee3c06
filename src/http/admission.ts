/**
 * When a card action's work starts (§8: every card action answered within 5 s, none unanswered under overload).
 *
 * Why a queue and not "start it as it arrives": since libuv 1.45 (Node 20) a listening socket accepts one new
 * connection per turn of the event loop. Started as they arrive, 200 requests read in one turn are all worked on in
 * that turn, the turn lasts a second or more, and a connection opened meanwhile waits in the kernel's accept queue
 * for dozens of turns: past Teams' 5 s, unanswered, without the server ever seeing it (measured: `bench/README.md`,
 * "P1 overload"). Here a request is only queued as it arrives; a few start per turn (`startsPerTurn`, from
 * `setImmediate`), so a turn stays a few requests long, new connections are accepted within milliseconds, and the
 * requests are worked on in the order they came. At most `maxInFlight` run at once (storage stalled: they wait on
 * it, not the CPU); one still waiting `maxWaitMs` after it arrived is not started at all (`enter` → false), and its
 * answer can say truthfully that nothing was changed.
 */

export interface AdmissionLimits {
  /** requests started at most in one turn of the event loop */
  startsPerTurn: number;
  /** requests started and not yet finished, at most */
  maxInFlight: number;
  /** from arrival: a request not started by then is answered without being started */
  maxWaitMs: number;
}

interface Waiter {
  start: (started: boolean) => void;
  timer: NodeJS.Timeout;
  done: boolean;
}

export class Admission {
  private readonly queue: Waiter[] = [];
  private running = 0;
  private scheduled = false;

  /** `nextTurn`: how a callback is put off to the next turn of the event loop (a spec turns it by hand). */
  constructor(
    private readonly limits: AdmissionLimits,
    private readonly nextTurn: (fn: () => void) => void = setImmediate,
  ) {}

  /** started and not yet finished */
  get inFlight(): number {
    return this.running;
  }

  /** true when the request may start (call `leave` when it ends); false when it waited too long and must not. */
  enter(arrivedAt: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        start: resolve,
        done: false,
        timer: setTimeout(() => {
          if (waiter.done) return;
          waiter.done = true; // left in the queue: the next turn skips it
          resolve(false);
        }, Math.max(0, arrivedAt + this.limits.maxWaitMs - Date.now())).unref(), // the request's socket keeps the process up
      };
      this.queue.push(waiter);
      this.schedule();
    });
  }

  leave(): void {
    this.running--;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.running >= this.limits.maxInFlight) return;
    this.scheduled = true;
    this.nextTurn(this.turn);
  }

  /** One turn's starts. Each resumes its request as a microtask right after this callback, before the next turn. */
  private readonly turn = (): void => {
    this.scheduled = false;
    let started = 0;
    while (started < this.limits.startsPerTurn && this.running < this.limits.maxInFlight && this.queue.length > 0) {
      const waiter = this.queue.shift()!;
      if (waiter.done) continue;
      waiter.done = true;
      clearTimeout(waiter.timer);
      this.running++;
      started++;
      waiter.start(true);
    }
    this.schedule();
  };
}
