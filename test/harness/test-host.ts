/** A real server on loopback, on the shared Azurite with tables of its own, talking to a fake connector. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../src/context';
import { validateDirectory, type Directory, type Person } from '../../src/domain/directory';
import { startHost, type Host, type HostOptions } from '../../src/host';
import { TABLE_NAMES } from '../../src/storage/table-names';
import { jobRunOptions } from '../../src/http/job-runs.route';
import { FakeConnector } from './fake-connector';
import { TeamsClient, teamsUser, type TeamsUser } from './teams-client';

export const exampleDirectory = (): Directory => {
  const raw = JSON.parse(readFileSync(path.join(__dirname, '../../examples/directory.json'), 'utf8'));
  const v = validateDirectory(raw);
  if (!v.ok) throw new Error(`examples/directory.json is not valid: ${JSON.stringify(v.problems)}`);
  return v.directory;
};

/**
 * A job run over HTTP answers 202 after a few seconds; on a busy test machine a real job can take that long, and the
 * tests of its counts want the 200. test/job-runs.test.ts sets it to 0 to follow a run.
 */
jobRunOptions.answerWithinMs = 120_000;

export interface TestHost {
  host: Host;
  connector: FakeConnector;
  teams: TeamsClient;
  directory: Directory;
  /** the Teams user of a directory person, by e-mail */
  user(email: string): TeamsUser;
  person(email: string): Person;
  /** waits until the delivery worker has sent every send intent (channel cards, notices) */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const uniquePrefix = () => `t${randomBytes(5).toString('hex')}`;

export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const cs = process.env.TEST_STORAGE_CONNECTION_STRING;
  if (!cs) throw new Error('TEST_STORAGE_CONNECTION_STRING is not set: run the tests with jest (its global setup starts Azurite)');
  return { STORAGE_CONNECTION_STRING: cs, TABLE_PREFIX: uniquePrefix(), SCHEDULER: 'off', LOG_LEVEL: 'silent', ...extra };
}

/** `connector`: one already running (a second instance on the same store reaches the same Teams); it is then left running. */
export async function startTestHost(opts: { clock?: Clock; env?: NodeJS.ProcessEnv; directory?: Directory | null; connector?: FakeConnector; delivery?: HostOptions['delivery'] } = {}): Promise<TestHost> {
  const connector = opts.connector ?? (await new FakeConnector().start());
  const host = await startHost({ env: testEnv(opts.env), clock: opts.clock, port: 0, ...(opts.delivery ? { delivery: opts.delivery } : {}) });
  const directory = opts.directory === null ? { areas: [], homes: [], people: [] } : (opts.directory ?? exampleDirectory());
  if (opts.directory !== null) await host.ctx.directory.importDirectory(directory);
  const teams = new TeamsClient(host.url, connector);
  teams.rosterFrom(directory);
  const person = (email: string) => {
    const p = directory.people.find((x) => x.email === email);
    if (!p) throw new Error(`no ${email} in the test directory`);
    return p;
  };
  return {
    host,
    connector,
    teams,
    directory,
    person,
    user: (email) => teamsUser(person(email)),
    settle: (timeoutMs?: number) => host.delivery.settle(timeoutMs),
    async stop() {
      await host.stop();
      if (!opts.connector) await connector.stop();
    },
  };
}

/** Every row in every table of a test host, as "table/partition/row": what a test compares before and after. */
export async function allRows(t: TestHost): Promise<string[]> {
  const rows: string[] = [];
  for (const name of TABLE_NAMES) {
    for await (const e of t.host.storage.table(name).listEntities()) rows.push(`${name}/${e.partitionKey}/${e.rowKey}/${e.etag}`);
  }
  return rows.sort();
}
