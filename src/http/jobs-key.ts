/**
 * The jobs key (`Authorization: Bearer $JOBS_API_KEY`) that guards the jobs and export endpoints, and the limit on
 * wrong keys: after MAX_FAILURES wrong keys from one client address within WINDOW_MS, that address gets 429 with
 * `Retry-After` (its key is not even compared) until the window ends. A right key never counts, so a scheduler
 * calling with the right key is never throttled by someone else's wrong guesses from another address.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type restify from 'restify';
import type { Config } from '../config';

export const MAX_FAILURES = 10;
export const WINDOW_MS = 60_000;
/** Addresses remembered at most (the oldest window is forgotten first), so a flood of addresses cannot fill memory. */
export const MAX_ADDRESSES = 10_000;

function bearerMatches(header: string | undefined, key: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(key);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** One address as written in a header: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443` or `2001:db8::1`. */
function addressOf(hop: string): string | undefined {
  const h = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(h)?.[1];
  const candidate = bracketed ?? (/^[\d.]+:\d+$/.test(h) ? h.slice(0, h.lastIndexOf(':')) : h);
  return isIP(candidate) ? candidate.toLowerCase() : undefined;
}

/** The client: the first `X-Forwarded-For` hop (App Service puts the caller there), else the socket's address. */
export function clientAddress(req: restify.Request): string {
  const forwarded = req.header('x-forwarded-for');
  const first = forwarded ? addressOf(forwarded.split(',')[0]) : undefined;
  return first ?? req.socket?.remoteAddress ?? 'unknown';
}

/** Wrong-key attempts per address in a fixed window, on an injected clock. */
export class FailedKeyLimiter {
  private readonly windows = new Map<string, { since: number; failures: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly max = MAX_FAILURES,
    private readonly windowMs = WINDOW_MS,
  ) {}

  /** Milliseconds until this address may try again; 0 when it may now. */
  retryAfterMs(address: string): number {
    const w = this.current(address);
    return w && w.failures >= this.max ? w.since + this.windowMs - this.now().getTime() : 0;
  }

  recordFailure(address: string): void {
    const w = this.current(address) ?? { since: this.now().getTime(), failures: 0 };
    w.failures++;
    this.windows.delete(address);
    this.windows.set(address, w);
    while (this.windows.size > MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
  }

  /** A right key forgets the address's wrong ones. */
  recordSuccess(address: string): void {
    this.windows.delete(address);
  }

  private current(address: string) {
    const w = this.windows.get(address);
    if (w && this.now().getTime() - w.since >= this.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return w;
  }
}

/** One limiter per configuration, shared by every endpoint the key guards (jobs, exports). */
const limiters = new WeakMap<Config, FailedKeyLimiter>();
export function keyLimiterFor(config: Config, now: () => Date = () => new Date()): FailedKeyLimiter {
  let l = limiters.get(config);
  if (!l) limiters.set(config, (l = new FailedKeyLimiter(now)));
  return l;
}

/**
 * True when the request carries the key; otherwise answers it and false: 404 when the endpoints are off, 429 with
 * `Retry-After` when its address has sent too many wrong keys lately, 401 for a wrong key.
 */
export function requireJobsKey(config: Config, req: restify.Request, res: restify.Response, limiter = keyLimiterFor(config)): boolean {
  const key = config.JOBS_API_KEY;
  if (!key) {
    res.json(404, { error: 'The jobs endpoint is off: set JOBS_API_KEY to use it.' });
    return false;
  }
  const address = clientAddress(req);
  const wait = limiter.retryAfterMs(address);
  if (wait > 0) {
    res.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
    res.json(429, { error: 'Too many wrong keys from this address: try again later.' });
    return false;
  }
  if (!bearerMatches(req.header('authorization'), key)) {
    limiter.recordFailure(address);
    res.header('WWW-Authenticate', 'Bearer');
    res.json(401, { error: 'Send Authorization: Bearer <JOBS_API_KEY>.' });
    return false;
  }
  limiter.recordSuccess(address);
  return true;
}
