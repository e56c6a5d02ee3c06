/** With MicrosoftAppId set, /api/messages refuses requests without a valid Bot Framework token. */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const APP_ID = '11111111-2222-3333-4444-555555555555';
let t: TestHost;

const b64url = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

/** A well-formed RS256 token for this bot from the Bot Framework issuer, signed with a key nobody trusts. */
function token(claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const head = b64url({ alg: 'RS256', typ: 'JWT', kid: 'not-a-known-key' });
  const body = b64url({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: 'http://127.0.0.1/', ...claims });
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

beforeAll(async () => {
  t = await startTestHost({ env: { MicrosoftAppId: APP_ID, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' } });
});
afterAll(() => t.stop());

const send = async (authorization?: string) => {
  const morag = t.user('morag.reid@birchwood.example');
  const started = Date.now();
  const answer = await t.teams.post(t.teams.activity(morag, personalChat(morag), { type: 'message', text: 'help' }), authorization ? { authorization } : {});
  return { ...answer, ms: Date.now() - started };
};

it('answers 401 without a token', async () => {
  expect((await send()).status).toBe(401);
});

it('answers 401 with a malformed token', async () => {
  for (const bad of ['Bearer', 'Bearer not.a.jwt', 'Basic dXNlcjpwYXNz', 'Bearer e30.e30.e30']) expect((await send(bad)).status).toBe(401);
});

it('answers 401 quickly with an expired token', async () => {
  const now = Math.floor(Date.now() / 1000);
  const answer = await send(`Bearer ${token({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })}`);
  expect(answer.status).toBe(401);
  expect(answer.ms).toBeLessThan(5000);
});

it('answers 401 with a token for another bot', async () => {
  const now = Math.floor(Date.now() / 1000);
  expect((await send(`Bearer ${token({ aud: 'another-bot', iat: now, exp: now + 3600 })}`)).status).toBe(401);
});

it('never runs the bot for a current token signed by an unknown key', async () => {
  // Here the adapter cannot fetch Microsoft's signing keys (no network), so it fails closed (5xx);
  // in Azure it fetches them and answers 401. Either way the bot does nothing.
  const now = Math.floor(Date.now() / 1000);
  const answer = await send(`Bearer ${token({ iat: now, nbf: now, exp: now + 3600 })}`);
  expect(answer.status).not.toBe(200);
  expect(t.connector.recorded).toEqual([]);
});

it('builds the adapter for a user-assigned managed identity without a secret', async () => {
  const msi = await startTestHost({ directory: null, env: { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001' } });
  try {
    const res = await fetch(`${msi.host.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  } finally {
    await msi.stop();
  }
});
