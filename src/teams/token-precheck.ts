/**
 * A cheap first look at the Bot Framework token, before the adapter's full validation: a missing,
 * malformed, expired, wrongly issued or wrongly addressed token is refused with 401 at once, without
 * fetching signing keys. It only ever refuses; a token it lets through is still fully validated by the adapter.
 * Only channel tokens are expected (Teams): an emulator or skill issuer is refused here, so those paths
 * of the connector, which fetch other metadata, are never taken.
 */
import { ALGORITHMS } from './auth-metadata';

const SKEW_S = 300;

const json = (segment: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Why a request must be refused, or undefined to hand it on (the token alone, without the "Bearer "). */
export function refuseToken(authorization: string | undefined, appId: string, issuer: string, nowMs = Date.now()): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) return authorization ? 'malformed token' : 'no token';
  const header = json(match[1]);
  const claims = json(match[2]);
  if (!header || typeof header.alg !== 'string' || !claims) return 'malformed token';
  if (!ALGORITHMS[header.alg]) return 'signing algorithm not allowed';
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now - SKEW_S) return 'expired token';
  if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_S) return 'token not yet valid';
  if (claims.iss !== issuer) return 'token from another issuer';
  if (claims.aud !== appId) return 'token for another audience';
  return undefined;
}
