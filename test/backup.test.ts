/**
 * The nightly backup (run by the retention job) and `npm run restore -- --from DATE`, against Azurite: a backup
 * restored into empty tables of another prefix gives the same tables, less what would send something old again
 * (delivery rows and their leases, outbox intents, leases on kept rows) and no queue.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { QueueServiceClient } from '@azure/storage-queue';
import { raiseFromHuddle } from '../src/app/escalation-open';
import { deliver } from '../src/delivery/deliver';
import { openBackupContainer, restoreBackup, RestoreRefused } from '../src/storage/backup';
import { Storage } from '../src/storage/client';
import { TABLE_NAMES, type TableName } from '../src/storage/table-names';
import { startAzuriteBlob } from './harness/azurite-blob';
import { testRecipients } from './harness/recipients';
import { channel } from './harness/teams-client';
import { startTestHost, uniquePrefix, type TestHost } from './harness/test-host';

const KEY = 'backup-test-jobs-key-0123456789abcdef';
const TODAY = '2026-11-23';
const cs = () => process.env.TEST_STORAGE_CONNECTION_STRING!;
let blob: Awaited<ReturnType<typeof startAzuriteBlob>>;
let t: TestHost;
const container = 'table-backups';

beforeAll(async () => {
  blob = await startAzuriteBlob();
  t = await startTestHost({ clock: () => new Date(`${TODAY}T02:30:00Z`), env: { JOBS_API_KEY: KEY, BACKUP_CONNECTION_STRING: blob.connectionString } });
});
afterAll(async () => {
  await t?.stop();
  await blob?.stop();
});

const retention = async () => {
  const res = await fetch(`${t.host.url}/api/jobs/retention`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(200);
  return (await res.json()) as { failed: number; details: Record<string, unknown>[] };
};

/** Every row as stored, Edm types kept, without etag and timestamp, in key order. */
async function rows(storage: Storage, name: TableName): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of storage.table(name).listEntities({ disableTypeConversion: true })) {
    const { etag: _e, timestamp: _t, ...rest } = e as Record<string, unknown>;
    out.push(rest);
  }
  return out;
}

const withoutLeases = (r: Record<string, unknown>) => {
  const { holder: _h, leaseUntil: _l, ...rest } = r;
  return rest;
};

it('backs every table up nightly, and a restore into empty tables gives the same tables without deliveries, leases, intents or queues', async () => {
  // real rows in most tables: a linked area, escalations with their channel card, a job's deliveries, audit entries
  await t.teams.install(t.user('iain.shaw@nhs.example'));
  await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
  await raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId: 'pkc-craigie', date: TODAY, reasons: ['PPE supply is critical'], by: 'sandeep.kaur@craigie.example' });
  await t.settle();
  expect((await deliver(t.host.ctx, { job: 'daily-huddle', area: 'pkc', date: TODAY }, testRecipients(t.connector.url, 3, 'b'))).sent).toBe(3);
  // what a restore must leave out, and values of every Edm type
  const source = t.host.storage;
  await source.table('escalations').createEntity({ partitionKey: 'pkc', rowKey: '~out_card_esc-x', intent: '{}', notBefore: 0, attempts: 0 });
  await source.table('actions').createEntity({ partitionKey: 'pkc-craigie', rowKey: '~out_assigned_1.001', intent: '{}', notBefore: 0, attempts: 0 });
  await source.table('occurrences').createEntity({
    partitionKey: 'pkc', rowKey: `${TODAY}_daily-huddle`, job: 'daily-huddle', date: TODAY, state: 'running', holder: 'instance-1', leaseUntil: Date.parse(`${TODAY}T03:00:00Z`),
    attempts: 1, big: BigInt('9007199254740993'), when: new Date(`${TODAY}T02:00:00Z`), ratio: 0.5, flag: true, bytes: new Uint8Array([1, 2, 3]),
  });
  const before = Object.fromEntries(await Promise.all(TABLE_NAMES.map(async (n) => [n, await rows(source, n)] as const)));
  expect(before.deliveries.length).toBeGreaterThan(3);
  expect(before.escalations.some((r) => String(r.rowKey).startsWith('msg_') && 'leaseUntil' in r)).toBe(true);

  // the retention job takes the backup once a day
  const first = await retention();
  expect(first.failed).toBe(0);
  expect(first.details[0]).toMatchObject({ backup: TODAY, taken: true, tables: expect.objectContaining({ deliveries: before.deliveries.length, audit: before.audit.length }) });
  expect((await retention()).details[0]).toEqual({ backup: TODAY, taken: false });

  // restore into a fresh set of tables (another prefix)
  const target = new Storage({ connectionString: cs(), prefix: uniquePrefix() });
  const backups = openBackupContainer({ connectionString: blob.connectionString, container })!;
  const report = await restoreBackup(target, backups, TODAY);
  expect(report.leftOut).toMatchObject({ deliveries: before.deliveries.length, escalations: 1, actions: 1 });
  for (const name of TABLE_NAMES) {
    const expected = name === 'deliveries' ? [] : before[name].filter((r) => !String(r.rowKey).startsWith('~out_')).map(withoutLeases);
    // the backup also holds the retention run that took it (restored, it reads as lost: its instance is gone)
    const got = (await rows(target, name)).filter((r) => !(name === 'jobruns' && (r.job as { value: string }).value === 'retention'));
    expect({ name, rows: got }).toEqual({ name, rows: expected });
  }
  const occ = (await rows(target, 'occurrences')).find((r) => r.rowKey === `${TODAY}_daily-huddle`)!;
  expect(occ).toMatchObject({ big: { value: '9007199254740993', type: 'Int64' }, when: { type: 'DateTime' }, ratio: { value: '0.5', type: 'Double' }, flag: { type: 'Boolean' }, bytes: { type: 'Binary' } });
  expect(occ.holder).toBeUndefined();
  // no queue under the new prefix: nothing is waiting to be sent
  const queues: string[] = [];
  for await (const q of QueueServiceClient.fromConnectionString(cs()).listQueues({ prefix: target.prefix.toLowerCase() })) queues.push(q.name);
  expect(queues).toEqual([]);

  // a restore never mixes with rows already there, and needs a complete backup
  await expect(restoreBackup(target, backups, TODAY)).rejects.toThrow(RestoreRefused);
  await expect(restoreBackup(new Storage({ connectionString: cs(), prefix: uniquePrefix() }), backups, '2026-11-01')).rejects.toThrow(/no complete backup for 2026-11-01/);
});

it('npm run restore -- --from DATE rebuilds the tables from the command line', async () => {
  const prefix = uniquePrefix();
  const env = { ...process.env, STORAGE_CONNECTION_STRING: cs(), TABLE_PREFIX: prefix, BACKUP_CONNECTION_STRING: blob.connectionString, LOG_LEVEL: 'silent' };
  const root = path.join(__dirname, '..');
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/restore.ts', '--from', TODAY], { cwd: root, env });
  expect(JSON.parse(stdout)).toMatchObject({ date: TODAY, leftOut: { escalations: 1 } });
  const restored = new Storage({ connectionString: cs(), prefix });
  expect((await rows(restored, 'people')).length).toBe((await rows(t.host.storage, 'people')).length);
  expect(await rows(restored, 'deliveries')).toEqual([]);
}, 60_000);
