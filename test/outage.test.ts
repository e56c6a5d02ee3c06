/** R4 in small: Table storage stops while managers submit; each gets "not saved" quickly, nothing half-written, all fine after. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type Host } from '../src/host';
import { startAzurite, type EmbeddedAzurite } from '../src/storage/azurite';
import { FakeConnector } from './harness/fake-connector';
import { exampleDirectory, testEnv } from './harness/test-host';
import { personalChat, TeamsClient, teamsUser } from './harness/teams-client';

const DATE = '2026-11-23';
const green = (homeId: string): Record<string, unknown> => ({
  homeId, date: DATE, residents: '20', bedsAvailable: '1', bedsClosed: '0', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '0', nurseCoverGap: 'false',
  outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', ppeSupply: 'good', fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0',
  unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0', visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
});

let azurite: EmbeddedAzurite;
let host: Host;
let connector: FakeConnector;
let teams: TeamsClient;
const location = mkdtempSync(path.join(os.tmpdir(), 'huddle-outage-'));
const dir = exampleDirectory();
const managers: [string, string][] = [
  ['morag.reid@birchwood.example', 'pkc-birchwood'],
  ['graham.doig@kinnoull.example', 'pkc-kinnoull'],
  ['fiona.lamb@balhousie.example', 'pkc-balhousie'],
  ['sandeep.kaur@craigie.example', 'pkc-craigie'],
];
const user = (email: string) => teamsUser(dir.people.find((p) => p.email === email)!);

beforeAll(async () => {
  azurite = await startAzurite({ location });
  connector = await new FakeConnector().start();
  host = await startHost({ env: testEnv({ STORAGE_CONNECTION_STRING: azurite.connectionString }), port: 0, clock: () => new Date(`${DATE}T09:40:00Z`) });
  await host.ctx.directory.importDirectory(dir);
  await host.ctx.directory.view(); // cached, as a running server has it
  teams = new TeamsClient(host.url, connector);
  teams.rosterFrom(dir);
  for (const [email] of managers) await teams.install(user(email));
});
afterAll(async () => {
  await host.stop();
  await connector.stop();
  await azurite.stop();
});

it('answers "not saved" within 5 s while storage is down, writes nothing, and saves again once it is back', async () => {
  // Two answers are in before the outage.
  for (const [email, home] of managers.slice(0, 2)) {
    const r = await teams.invoke(user(email), personalChat(user(email)), 'huddle.submit', green(home));
    expect(JSON.stringify(r.body)).toContain('Saved. Thank you.');
  }
  await azurite.stop();
  const during = await Promise.all(
    managers.map(async ([email, home]) => {
      const started = Date.now();
      const r = await teams.invoke(user(email), personalChat(user(email)), 'huddle.submit', { ...green(home), residents: '21' });
      return { ms: Date.now() - started, status: r.status, text: JSON.stringify(r.body) };
    }),
  );
  for (const d of during) {
    expect(d.status).toBe(200);
    expect(d.text).toMatch(/Not saved/);
    expect(d.ms).toBeLessThan(5000);
  }
  expect((await fetch(`${host.url}/healthz`)).status).toBe(503);

  azurite = await startAzurite({ location, tablePort: azurite.tablePort, queuePort: azurite.queuePort });
  expect((await fetch(`${host.url}/healthz`)).status).toBe(200);
  // What was acknowledged before the outage is still there, unchanged; nothing from the outage was written.
  for (const [, home] of managers.slice(0, 2)) expect(await host.ctx.huddles.get('pkc', DATE, home)).toMatchObject({ version: 1, answer: expect.objectContaining({ residents: 20 }) });
  for (const [, home] of managers.slice(2)) expect(await host.ctx.huddles.get('pkc', DATE, home)).toBeUndefined();
  // Trying again works.
  for (const [email, home] of managers) {
    const r = await teams.invoke(user(email), personalChat(user(email)), 'huddle.submit', { ...green(home), residents: '21' });
    expect(JSON.stringify(r.body)).toMatch(/Saved|Amended/);
  }
  for (const [, home] of managers) expect((await host.ctx.huddles.get('pkc', DATE, home))?.answer.residents).toBe(21);
}, 60000);
