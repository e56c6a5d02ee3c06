/**
 * The Bot Framework's signing keys, fetched from its OpenID metadata once and refreshed in the
 * background. botframework-connector's own OpenIdMetadata fetches with no time limit and, while the
 * metadata cannot be fetched, once per request; this cache answers every request from memory, bounds
 * each fetch, and backs off when it fails, so an outage answers 503 at once instead of hanging.
 * It is handed to the connector's JWT validation too (see install), so both read the same keys.
 */
import { createPublicKey, createVerify } from 'node:crypto';
// Not exported from the package index; the same module instance the connector's validation uses.
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import type { Logger } from '../log';

/** A fetch of the metadata and its keys together takes at most this long (well inside a 5 s answer). */
const FETCH_TIMEOUT_MS = 2500;
/** Keys are fetched again this often while all is well (the connector's own default is 24 h). */
const REFRESH_MS = 6 * 60 * 60_000;
/** After a failure the next fetch waits this long, doubling up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
/** A token signed by a key not in hand makes a fetch at most this often (key rollover). */
const UNKNOWN_KID_REFETCH_MS = 5 * 60_000;

export const ALGORITHMS: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

export interface SigningKey {
  key: string;
  endorsements?: string[];
}

/** Thrown to the connector's validation when no keys could be fetched: the server answers 503. */
export class MetadataUnavailableError extends Error {
  constructor() {
    super('signing keys unavailable');
    this.name = 'MetadataUnavailableError';
  }
}

interface Jwk {
  kid?: unknown;
  kty?: unknown;
  n?: unknown;
  e?: unknown;
  endorsements?: unknown;
}

export class SigningKeys {
  private keys?: Map<string, SigningKey>;
  private loading?: Promise<boolean>;
  private lastAttempt = 0;
  private retryMs = RETRY_MIN_MS;
  private nextAllowed = 0;
  private timer?: NodeJS.Timeout;
  /** how many times the metadata was fetched (for the log and the tests) */
  fetches = 0;

  constructor(readonly metadataUrl: string, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** Starts the first fetch, in the background, and hands the cache to the connector's validation. */
  start(): this {
    this.install();
    void this.load();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** True when keys are in hand; waits for a fetch under way, or starts one if the back-off allows. */
  async ready(): Promise<boolean> {
    if (this.keys) return true;
    if (this.loading) return this.loading;
    if (this.now() < this.nextAllowed) return false;
    return this.load();
  }

  /** The connector's OpenIdMetadata interface. */
  async getKey(keyId: string): Promise<SigningKey | null> {
    if (!this.keys) throw new MetadataUnavailableError();
    return this.keys.get(keyId) ?? null;
  }

  /** Why a token's signature is refused, or undefined when a key in hand verifies it. */
  async refuseSignature(token: string): Promise<string | undefined> {
    const [head, body, signature] = token.split('.');
    let header: { kid?: unknown; alg?: unknown };
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header;
    } catch {
      return 'malformed token';
    }
    const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (!algorithm) return 'signing algorithm not allowed';
    if (typeof header.kid !== 'string') return 'unknown signing key';
    let key = this.keys?.get(header.kid);
    if (!key && this.now() - this.lastAttempt > UNKNOWN_KID_REFETCH_MS) {
      await (this.loading ?? this.load());
      key = this.keys?.get(header.kid);
    }
    if (!key) return 'unknown signing key';
    const ok = createVerify(algorithm).update(`${head}.${body}`).verify(key.key, Buffer.from(signature, 'base64url'));
    return ok ? undefined : 'bad signature';
  }

  /** One fetch at a time; never throws. */
  private load(): Promise<boolean> {
    if (this.loading) return this.loading;
    this.lastAttempt = this.now();
    this.fetches++;
    this.loading = this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.retryMs = RETRY_MIN_MS;
        this.nextAllowed = 0;
        this.log.info({ code: 'AUTH.KEYS_LOADED', keys: keys.size }, 'Bot Framework signing keys loaded');
        this.schedule(REFRESH_MS);
        return true;
      })
      .catch((e: unknown) => {
        // Keys already in hand stay in use; the next fetch is tried in the background, later each time.
        this.nextAllowed = this.now() + this.retryMs;
        this.log.warn({ code: 'AUTH.METADATA_UNAVAILABLE', reason: (e as Error).name, retryInMs: this.retryMs, haveKeys: !!this.keys }, 'Bot Framework signing keys could not be fetched');
        this.schedule(this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        return !!this.keys;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), ms);
    this.timer.unref();
  }

  private async fetchKeys(): Promise<Map<string, SigningKey>> {
    const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
    const config = await fetchJson(this.metadataUrl, signal);
    const jwksUri = (config as { jwks_uri?: unknown }).jwks_uri;
    if (typeof jwksUri !== 'string') throw new Error('no jwks_uri in the OpenID metadata');
    const jwks = await fetchJson(jwksUri, signal);
    const list = (jwks as { keys?: unknown }).keys;
    if (!Array.isArray(list)) throw new Error('no keys in the JWKS');
    const keys = new Map<string, SigningKey>();
    for (const jwk of list as Jwk[]) {
      if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      const endorsements = Array.isArray(jwk.endorsements) ? jwk.endorsements.filter((x): x is string => typeof x === 'string') : undefined;
      keys.set(jwk.kid, { key, ...(endorsements ? { endorsements } : {}) });
    }
    if (keys.size === 0) throw new Error('no RSA keys in the JWKS');
    return keys;
  }

  /** The connector keeps one OpenIdMetadata per URL in a static map: this cache takes that place. */
  private install(): void {
    const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: unknown }).openIdMetadataCache;
    if (cache instanceof Map) cache.set(this.metadataUrl, this);
    else this.log.warn({ code: 'AUTH.KEYS_NOT_SHARED' }, "the connector's metadata cache was not found: it fetches its own keys");
  }
}

async function fetchJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
