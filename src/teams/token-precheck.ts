/**
 * A cheap first look at the Bot Framework token, before the adapter's full validation: a missing,
 * malformed, expired or wrongly addressed token is refused with 401 at once, without fetching signing
 * keys. It only ever refuses; a token it lets through is still fully validated by the adapter.
 */
const SKEW_S = 300;

const json = (segment: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Why a request must be refused, or undefined to hand it to the adapter. */
export function refuseToken(authorization: string | undefined, appId: string, nowMs = Date.now()): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) return authorization ? 'malformed token' : 'no token';
  const header = json(match[1]);
  const claims = json(match[2]);
  if (!header || typeof header.alg !== 'string' || !claims) return 'malformed token';
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now - SKEW_S) return 'expired token';
  if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_S) return 'token not yet valid';
  if (claims.aud !== appId) return 'token for another audience';
  return undefined;
}
