/**
 * Sends one message at a time within Teams' limits: a tenant-wide rate, the per-conversation windows,
 * one shared "throttled until" after a 429, jittered backoff on 412/5xx, and a bounded number of tries.
 */
import { SendError } from '../messaging';
import type { SharedLimits } from './shared-limits';

export interface Window {
  count: number;
  ms: number;
}

/** Teams' per-conversation limits for a bot: 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour. */
export const TEAMS_CONVERSATION_WINDOWS: Window[] = [
  { count: 7, ms: 1000 },
  { count: 8, ms: 2000 },
  { count: 60, ms: 30_000 },
  { count: 1800, ms: 3_600_000 },
];

export const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);

export interface SenderOptions {
  ratePerSecond: number;
  windows?: Window[];
  maxTries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** added to every window: Teams counts arrivals, and a request can arrive sooner after the one before than it left */
  marginMs?: number;
  /** used when a 429 carries no Retry-After */
  defaultRetryAfterMs?: number;
  /** the instances sending at once: the rate is split between them, and a 429 given to one pauses all */
  shared?: SharedLimits;
  /** the real clock unless a test gives its own; SharedLimits reads Date.now(), so a shared sender keeps the real one */
  clock?: SenderClock;
}

/** The time a sender reads and waits on: milliseconds, as Date.now() counts them. */
export interface SenderClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: SenderClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
};

export type SendOutcome =
  | { outcome: 'sent'; activityId: string; tries: number }
  | { outcome: 'stale'; status: number; tries: number }
  | { outcome: 'failed'; status: number; tries: number };

export class Sender {
  /** one for every send of this process: a 429 anywhere pauses them all */
  throttledUntil = 0;
  private nextSlot = 0;
  private readonly history = new Map<string, number[]>();
  private readonly windows: Window[];
  private readonly maxTries: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly defaultRetryAfterMs: number;
  private readonly rate: number;
  private readonly shared?: SharedLimits;
  private readonly clock: SenderClock;
  /** ms between two requests of this instance: the tenant rate divided by the instances sending */
  intervalMs: number;

  constructor(opts: SenderOptions) {
    this.rate = opts.ratePerSecond;
    this.intervalMs = 1000 / opts.ratePerSecond;
    this.shared = opts.shared;
    this.clock = opts.clock ?? realClock;
    const margin = opts.marginMs ?? 50;
    this.windows = (opts.windows ?? TEAMS_CONVERSATION_WINDOWS).map((w) => ({ count: w.count, ms: w.ms + margin }));
    this.maxTries = opts.maxTries ?? 5;
    this.baseMs = opts.backoffBaseMs ?? 500;
    this.maxMs = opts.backoffMaxMs ?? 30_000;
    this.defaultRetryAfterMs = opts.defaultRetryAfterMs ?? 5_000;
  }

  /** The earliest time this conversation may take one more message, at or after `from`. */
  private conversationSlot(conversationId: string, from: number): number {
    const h = this.history.get(conversationId) ?? [];
    let t = from;
    for (let moved = true; moved; ) {
      moved = false;
      for (const w of this.windows) {
        const inWindow = h.filter((x) => x > t - w.ms);
        if (inWindow.length >= w.count) {
          const next = inWindow[inWindow.length - w.count] + w.ms;
          if (next > t) {
            t = next;
            moved = true;
          }
        }
      }
    }
    return t;
  }

  /** Reserves a time slot for one request and waits for it. */
  private async acquire(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const start = Math.max(now, this.throttledUntil);
      const slot = Math.max(this.conversationSlot(conversationId, start), this.nextSlot);
      this.nextSlot = slot + this.intervalMs;
      const longest = Math.max(...this.windows.map((w) => w.ms));
      const h = (this.history.get(conversationId) ?? []).filter((x) => x > slot - longest);
      h.push(slot);
      h.sort((a, b) => a - b);
      this.history.set(conversationId, h);
      await this.clock.sleep(slot - this.clock.now());
      if (this.clock.now() >= this.throttledUntil) return;
      // a 429 arrived while this one waited: give the slot back and queue again after the pause
      const i = h.indexOf(slot);
      if (i >= 0) h.splice(i, 1);
    }
  }

  private backoff(tries: number): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** (tries - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Brings in what the other sending instances say: how many share the rate, and any 429 pause. */
  private async share(publish = false): Promise<void> {
    if (!this.shared) return;
    const { senders, pausedUntil } = await this.shared.sync(this.throttledUntil, publish);
    this.intervalMs = (1000 * senders) / this.rate;
    if (pausedUntil > this.throttledUntil) {
      this.throttledUntil = pausedUntil;
      this.nextSlot = Math.max(this.nextSlot, pausedUntil);
    }
  }

  /** Sends with the limits and retries; never throws for a connector answer. */
  async send(conversationId: string, attempt: () => Promise<{ activityId: string }>): Promise<SendOutcome> {
    let status = 0;
    for (let tries = 1; tries <= this.maxTries; tries++) {
      await this.share();
      await this.acquire(conversationId);
      try {
        const { activityId } = await attempt();
        return { outcome: 'sent', activityId, tries };
      } catch (e) {
        status = e instanceof SendError ? e.status : 0;
        if (status === 403 || status === 404) return { outcome: 'stale', status, tries };
        if (status === 429) {
          const wait = (e as SendError).retryAfterMs ?? this.defaultRetryAfterMs;
          this.throttledUntil = Math.max(this.throttledUntil, this.clock.now() + wait);
          this.nextSlot = Math.max(this.nextSlot, this.throttledUntil);
          await this.share(true); // tell the other instances at once
          continue;
        }
        // status 0: the request never got an HTTP answer (connection refused or reset)
        if (status !== 0 && !RETRYABLE.has(status)) return { outcome: 'failed', status, tries };
        if (tries < this.maxTries) await this.clock.sleep(this.backoff(tries));
      }
    }
    return { outcome: 'failed', status, tries: this.maxTries };
  }
}
