/**
 * With MicrosoftAppId set, /api/messages takes a valid Bot Framework token and refuses every forged,
 * expired or misaddressed one with 401; when the signing keys cannot be fetched it answers 503 in time.
 * The OpenID metadata and keys are served on loopback (harness/bot-identity.ts): nothing leaves the machine.
 */
import { personalChat, TENANT_ID, type TeamsUser } from './harness/teams-client';
import { BotFrameworkIdentity, seedOutboundToken, signToken } from './harness/bot-identity';
import { startTestHost, type TestHost } from './harness/test-host';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const authEnv = (identity: BotFrameworkIdentity, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT_ID,
  MicrosoftAppPassword: 'not-a-real-secret',
  BOT_OPENID_METADATA_URL: identity.metadataUrl,
  ...extra,
});

/** What the library or the adapter prints outside the structured log, while a block runs. */
async function printedDuring(run: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log };
  const keep = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  Object.assign(console, { error: keep, warn: keep, log: keep });
  try {
    await run();
  } finally {
    Object.assign(console, saved);
  }
  return printed;
}

describe('with the signing keys on loopback', () => {
  const identity = new BotFrameworkIdentity();
  let t: TestHost;
  let morag: TeamsUser;
  let outbound: string;

  beforeAll(async () => {
    await identity.start();
    t = await startTestHost({ env: authEnv(identity) });
    morag = t.user('morag.reid@birchwood.example');
    outbound = seedOutboundToken(APP_ID);
  });
  afterAll(async () => {
    await t.stop();
    await identity.stop();
  });
  beforeEach(() => t.connector.clear());

  const help = () => t.teams.activity(morag, personalChat(morag), { type: 'message', text: 'help' });
  const send = async (authorization?: string, activity = help()) => {
    const started = Date.now();
    const answer = await t.teams.post(activity, authorization ? { authorization } : {});
    return { ...answer, ms: Date.now() - started };
  };
  const bearer = (claims: Record<string, unknown> = {}, opts: Parameters<BotFrameworkIdentity['token']>[3] = {}) => `Bearer ${identity.token(APP_ID, t.connector.url, claims, opts)}`;

  it('accepts a valid token: 200, and the bot answers through the connector with its own token', async () => {
    const answer = await send(bearer());
    expect(answer.status).toBe(200);
    await t.connector.waitFor(() => t.connector.to(personalChat(morag).id).length > 0);
    expect(t.connector.textsTo(personalChat(morag).id)[0]).toContain('huddle');
    expect(t.connector.authorizations.at(-1)).toBe(`Bearer ${outbound}`);
  });

  it('answers an invoke with a valid token', async () => {
    const invoke = t.teams.activity(morag, personalChat(morag), { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'no.such.verb', data: {} } } });
    const answer = await send(bearer(), invoke);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('Nothing was changed');
  });

  const forged: [string, () => string][] = [
    ['no token', () => ''],
    ['a malformed token', () => 'Bearer not.a.jwt'],
    ['Basic credentials', () => 'Basic dXNlcjpwYXNz'],
    ['an empty header and claims', () => 'Bearer e30.e30.e30'],
    ['another audience', () => bearer({ aud: 'another-bot' })],
    ['another issuer', () => bearer({ iss: 'https://sts.example/forged' })],
    ['an emulator issuer', () => bearer({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' })],
    ['an expired token', () => bearer({ iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['a token not valid yet', () => bearer({ nbf: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 })],
    ['a signature by another key', () => bearer({}, { key: identity.otherKey.privateKey })],
    ['an unknown key id', () => bearer({}, { header: { kid: 'nobody-knows-this-key' } })],
    ['a tampered body', () => {
      const [head, , sig] = bearer().slice(7).split('.');
      const body = Buffer.from(JSON.stringify({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: t.connector.url, exp: Math.floor(Date.now() / 1000) + 3600, extra: 1 })).toString('base64url');
      return `Bearer ${head}.${body}.${sig}`;
    }],
    ['alg none', () => bearer({}, { header: { alg: 'none' } })],
    ['alg HS256', () => `Bearer ${signToken(identity.signingKey.privateKey, { iss: 'https://api.botframework.com', aud: APP_ID, exp: Math.floor(Date.now() / 1000) + 3600 }, { alg: 'HS256' })}`],
    ['another service URL', () => bearer({ serviceurl: 'https://smba.attacker.example/' })],
    ['no service URL claim', () => bearer({ serviceurl: undefined })],
  ];

  it.each(forged)('refuses %s with 401 and a fixed body, quickly, printing nothing and running nothing', async (_kind, header) => {
    let answer: Awaited<ReturnType<typeof send>> | undefined;
    const printed = await printedDuring(async () => {
      answer = await send(header() || undefined);
    });
    expect(answer!.status).toBe(401);
    expect(answer!.body).toEqual({ error: 'Unauthorized' });
    expect(answer!.ms).toBeLessThan(5000);
    expect(printed).toEqual([]);
    expect(t.connector.recorded).toEqual([]);
    expect(t.connector.rosterCalls).toEqual([]);
  });

  it('fetched the metadata and keys once for all of the above (cached, refreshed in the background)', () => {
    expect(identity.fetched).toEqual(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']);
  });
});

describe('with the signing keys out of reach', () => {
  const identity = new BotFrameworkIdentity();
  beforeAll(() => identity.start());
  afterAll(() => identity.stop());

  it('answers 503 with a fixed body within 5 s when the metadata hangs, and does not fetch again on every request', async () => {
    identity.mode = 'hang';
    const t = await startTestHost({ directory: null, env: authEnv(identity) });
    try {
      const user = { id: '29:x', name: 'X', aadObjectId: 'x', email: 'x@example' };
      const post = (token: string) => t.teams.post(t.teams.activity(user, personalChat(user), { type: 'message', text: 'help' }), { authorization: `Bearer ${token}` });
      const token = identity.token(APP_ID, t.connector.url);
      let started = Date.now();
      let answer = await post(token);
      expect(answer.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(answer.body).toEqual({ error: 'Authentication is unavailable for the moment; try again shortly.' });
      expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|localhost|botframework|ENOTFOUND|ECONN/);

      started = Date.now();
      answer = await post(token);
      expect(answer.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(identity.fetched).toHaveLength(1);
      expect(t.connector.recorded).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('answers 503 at once when the metadata answers an error, and 401 still for a token that fails the cheap checks', async () => {
    identity.mode = 'fail';
    identity.fetched.length = 0;
    const t = await startTestHost({ directory: null, env: authEnv(identity, { BOT_OPENID_METADATA_URL: `${identity.url}/fail/.well-known/openidconfiguration` }) });
    try {
      const user = { id: '29:y', name: 'Y', aadObjectId: 'y', email: 'y@example' };
      const post = (authorization: string) => t.teams.post(t.teams.activity(user, personalChat(user), { type: 'message', text: 'help' }), { authorization });
      const started = Date.now();
      expect((await post(`Bearer ${identity.token(APP_ID, t.connector.url)}`)).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await post(`Bearer ${identity.token('another-bot', t.connector.url)}`)).status).toBe(401);
      expect(identity.fetched).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});

it('builds the adapter for a user-assigned managed identity without a secret', async () => {
  const identity = await new BotFrameworkIdentity().start();
  const msi = await startTestHost({ directory: null, env: { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT_ID, BOT_OPENID_METADATA_URL: identity.metadataUrl } });
  try {
    const res = await fetch(`${msi.host.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  } finally {
    await msi.stop();
    await identity.stop();
  }
});
