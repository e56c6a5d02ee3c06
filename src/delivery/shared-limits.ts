/**
 * The tenant-wide limits shared by every instance that sends: each sending instance says so every `beatMs`,
 * and learns how many instances are sending (the tenant rate is split between them) and the longest 429 pause
 * any of them was given (every instance waits it out). An instance that starts sending waits one beat first.
 * Storage that cannot be reached leaves the last figures.
 */
import type { SenderRow } from '../storage/senders.table';

export interface SendersStore {
  beat(instance: string, pauseMs: number): Promise<void>;
  list(): Promise<SenderRow[]>;
  leave(instance: string): Promise<void>;
}

export interface Shared {
  /** instances sending now, this one included */
  senders: number;
  /** local time (Date.now()) until which every instance is paused by a 429 */
  pausedUntil: number;
}

export interface SharedLimitsOptions {
  beatMs?: number;
  /** an instance that has not said so for this long is no longer sending */
  liveMs?: number;
  /** rows of instances gone this long are removed */
  forgetMs?: number;
}

export class SharedLimits {
  private last: Shared = { senders: 1, pausedUntil: 0 };
  private syncedAt = -Infinity;
  private syncing?: Promise<Shared>;
  readonly beatMs: number;
  private readonly liveMs: number;
  private readonly forgetMs: number;

  constructor(private readonly store: SendersStore, readonly instance: string, opts: SharedLimitsOptions = {}) {
    this.beatMs = opts.beatMs ?? 1000;
    this.liveMs = opts.liveMs ?? 4 * this.beatMs;
    this.forgetMs = opts.forgetMs ?? 600_000;
  }

  /** The shared figures, at most `beatMs` old; `pausedUntil` is this instance's own 429 pause, published at once. */
  async sync(pausedUntil: number, publish = false): Promise<Shared> {
    if (publish && this.syncing) await this.syncing; // that one may predate the pause: publish after it
    else if (!publish && Date.now() - this.syncedAt < this.beatMs) return this.last;
    this.syncing ??= this.exchange(pausedUntil).finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async exchange(pausedUntil: number): Promise<Shared> {
    try {
      const joining = Date.now() - this.syncedAt > this.liveMs;
      await this.store.beat(this.instance, pausedUntil - Date.now());
      if (joining) {
        // Not counted by the others yet: give each of them a beat to see this instance and slow down, so that
        // two instances starting (or one joining) never send at the whole rate each, even for a second.
        await new Promise((r) => setTimeout(r, this.beatMs * 1.2));
        await this.store.beat(this.instance, pausedUntil - Date.now());
      }
      const rows = await this.store.list();
      const now = Date.now();
      // Storage's clock, read from the row just written, so that no two instances' clocks are compared.
      const storageNow = rows.find((r) => r.instance === this.instance)?.writtenAt ?? 0;
      const live = rows.filter((r) => r.writtenAt > storageNow - this.liveMs);
      const pausedByOthers = Math.max(0, ...live.map((r) => now + (r.writtenAt - storageNow) + r.pauseMs));
      for (const gone of rows.filter((r) => r.writtenAt < storageNow - this.forgetMs)) void this.store.leave(gone.instance);
      this.last = { senders: Math.max(1, live.length), pausedUntil: Math.max(pausedUntil, pausedByOthers) };
      this.syncedAt = now;
    } catch {
      this.syncedAt = Date.now(); // try again after the next beat, sending meanwhile on the figures in hand
    }
    return this.last;
  }
}
