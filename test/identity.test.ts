/**
 * Identity by Entra object id (§2): the roster's e-mail is used only for a directory person whose
 * object id is not known yet; another account with that e-mail is nobody, until an administrator
 * runs `npm run directory -- forget-identity EMAIL` for a re-created account.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PERSON_PK, personKey } from '../src/storage/people.table';
import { personalChat, type TeamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const run = promisify(execFile);
const tsx = path.join(__dirname, '../node_modules/.bin/tsx');
const cli = path.join(__dirname, '../src/cli/directory.ts');
const CHIEF = 'ann.ross@council.example';
let t: TestHost;

beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.stop());
beforeEach(() => t.connector.clear());

const row = (email: string) => t.host.storage.table('people').getEntity<{ learnedObjectId?: string; aadObjectId?: string; name: string; roles: string }>(PERSON_PK, personKey(email));

/** A second account whose roster entry carries a directory person's e-mail. */
const secondAccount = (email: string, n: number): TeamsUser => {
  const u = { id: `29:second-${n}`, name: 'Ann Ross', aadObjectId: `5ec0dacc-0000-0000-0000-${String(n).padStart(12, '0')}`, email };
  t.connector.addMember({ id: u.id, name: u.name, aadObjectId: u.aadObjectId, email, userPrincipalName: email });
  return u;
};

const helpTo = async (u: TeamsUser): Promise<string> => {
  t.connector.clear();
  expect((await t.teams.message(u, personalChat(u), 'help')).status).toBe(200);
  await t.connector.waitFor(() => t.connector.to(personalChat(u).id).length > 0);
  return t.connector.textsTo(personalChat(u).id)[0];
};

const forget = async (email: string) => {
  const env = { ...process.env, STORAGE_CONNECTION_STRING: process.env.TEST_STORAGE_CONNECTION_STRING, TABLE_PREFIX: t.host.ctx.config.TABLE_PREFIX, LOG_LEVEL: 'silent' };
  try {
    const r = await run(tsx, [cli, 'forget-identity', email], { env });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
};

const UNKNOWN = "can't find you in the Care Home Huddle directory";

it('learns the object id on first sight by e-mail, then refuses a look-alike with the same e-mail', async () => {
  const ann = t.user(CHIEF);
  expect(await helpTo(ann)).not.toContain(UNKNOWN);
  expect((await row(CHIEF)).learnedObjectId).toBe(ann.aadObjectId);

  const lookalike = secondAccount(CHIEF, 1);
  expect(await helpTo(lookalike)).toContain(UNKNOWN);
  expect((await row(CHIEF)).learnedObjectId).toBe(ann.aadObjectId);
  // the real account is still Ann, without asking the roster again
  t.connector.clear();
  expect(await helpTo(ann)).not.toContain(UNKNOWN);
  expect(t.connector.rosterCalls).toEqual([]);
});

it('refuses a look-alike of a person whose object id comes from the directory file', async () => {
  const alex = t.person('alexw@contoso.example');
  const lookalike = secondAccount(alex.email, 2);
  expect(await helpTo(lookalike)).toContain(UNKNOWN);
  const stored = await row(alex.email);
  expect(stored.aadObjectId).toBe(alex.aadObjectId);
  expect(stored.learnedObjectId).toBeUndefined();
});

it('forget-identity clears a learned object id, so the re-created account is learned by e-mail', async () => {
  const result = await forget(CHIEF.toUpperCase());
  expect(result).toMatchObject({ code: 0 });
  expect(result.out).toContain('forgotten');
  const cleared = await row(CHIEF);
  expect(cleared.learnedObjectId).toBeUndefined();
  expect(cleared.name).toBe('Ann Ross');
  expect(JSON.parse(cleared.roles)).toEqual([{ role: 'chief', area: 'pkc' }]);

  t.host.ctx.directory.invalidate(); // the CLI ran in another process; the server's copy is at most 15 s old
  const recreated = secondAccount(CHIEF, 3);
  expect(await helpTo(recreated)).not.toContain(UNKNOWN);
  expect((await row(CHIEF)).learnedObjectId).toBe(recreated.aadObjectId);
  expect(await helpTo(t.user(CHIEF))).toContain(UNKNOWN);
}, 60000);

it('forget-identity says what it did not do', async () => {
  expect(await forget('nobody@nowhere.example')).toMatchObject({ code: 1, out: expect.stringContaining('nobody with the e-mail') });
  expect(await t.host.ctx.directory.forgetIdentity('alexw@contoso.example')).toBe('in-file');
  expect(await t.host.ctx.directory.forgetIdentity('john.fraser@nhs.example')).toBe('none');
}, 60000);
