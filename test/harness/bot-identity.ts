/**
 * The Bot Framework's side of authentication, on loopback: an OpenID configuration and its signing
 * keys (JWKS) served over HTTP, and tokens signed with a test RSA key, as Teams would send them.
 * It can be told to hang or to fail, and counts every fetch, so a test sees what the bot fetched.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials } from 'botframework-connector';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const TEST_KID = 'test-signing-key';

const b64url = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

export function signToken(privateKey: KeyObject, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = b64url({ alg: 'RS256', typ: 'JWT', kid: TEST_KID, ...header });
  const body = b64url(claims);
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

export type MetadataMode = 'up' | 'hang' | 'fail';

export class BotFrameworkIdentity {
  readonly signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** a key nobody trusts, for forged signatures */
  readonly otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly fetched: string[] = [];
  mode: MetadataMode = 'up';
  url = '';
  private server?: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** A current channel token for this bot, with any claim replaced; signed with the trusted key unless told. */
  token(appId: string, serviceUrl: string, claims: Record<string, unknown> = {}, opts: { key?: KeyObject; header?: Record<string, unknown> } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    return signToken(opts.key ?? this.signingKey.privateKey, { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims }, opts.header);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.fetched.push(req.url ?? '');
    if (this.mode === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (this.mode === 'fail') {
      res.writeHead(500);
      res.end();
      return;
    }
    const json = (v: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') return void json({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    if (req.url === '/v1/.well-known/keys') {
      const jwk = this.signingKey.publicKey.export({ format: 'jwk' });
      return void json({ keys: [{ kty: 'RSA', use: 'sig', kid: TEST_KID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
    }
    res.writeHead(404);
    res.end();
  }
}

/**
 * The bot's own outbound token (app id + secret → Entra) cannot be had on loopback: MSAL only talks to
 * an https authority. The connector keeps such tokens in a process-wide cache, checked before MSAL is
 * asked, so the test puts one there; the fake connector then sees "Bearer <it>" on every call.
 */
export function seedOutboundToken(appId: string, token = 'test-outbound-token'): string {
  const { cache } = AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> };
  cache.set(`${appId}https://api.botframework.com-cache`, { accessToken: token, expiresOn: new Date(Date.now() + 3600_000) });
  return token;
}
