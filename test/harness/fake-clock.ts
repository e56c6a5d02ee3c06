/**
 * A hand-written clock for the Sender: virtual milliseconds that move only when a sleeper wakes.
 * Sleepers wake in the order of their wake times, one a turn of the event loop, so what a sleeper does
 * on waking (up to its next real I/O) happens at its own wake time. `hold()` stops time for a test to
 * set something up between two instants; the function it answers lets time go on.
 */
import type { SenderClock } from '../../src/delivery/sender';

export class FakeClock implements SenderClock {
  private t: number;
  private seq = 0;
  private held = 0;
  private waking = false;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];

  constructor(start = Date.UTC(2026, 10, 23, 9, 30)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake });
      this.schedule();
    });
  }

  /** how many are asleep now */
  get sleeping(): number {
    return this.timers.length;
  }

  hold(): () => void {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      this.schedule();
    };
  }

  private schedule(): void {
    if (this.waking || this.held > 0 || this.timers.length === 0) return;
    this.waking = true;
    setImmediate(() => {
      this.waking = false;
      if (this.held > 0 || this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.wake();
      this.schedule();
    });
  }
}
