/** RECORDS_RETENTION, applied by the retention job: each table named loses only its finished records older than its days; the rest keep all. */
import { loadConfig, ConfigError } from '../src/config';
import type { TableName } from '../src/storage/table-names';
import { startTestHost, testEnv, type TestHost } from './harness/test-host';

const KEY = 'records-retention-jobs-key-0123456789ab';
const TODAY = '2026-11-23';
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ clock: () => new Date(`${TODAY}T02:30:00Z`), env: { JOBS_API_KEY: KEY, RECORDS_RETENTION: 'audit=30, huddles=365,escalations=30,digests=keep' } });
});
afterAll(() => t.stop());

const put = (table: TableName, e: Record<string, unknown> & { partitionKey: string; rowKey: string }) => t.host.storage.table(table).createEntity(e);
const keys = async (table: TableName) => {
  const out: string[] = [];
  for await (const e of t.host.storage.table(table).listEntities()) out.push(`${e.partitionKey}/${e.rowKey}`);
  return out.sort();
};

it('is read as days a table, keep, or refused with the problem named', () => {
  expect(loadConfig(testEnv({ RECORDS_RETENTION: 'audit=3650,huddles=keep' })).recordsRetention).toEqual({ audit: 3650 });
  expect(loadConfig(testEnv({})).recordsRetention).toEqual({});
  expect(() => loadConfig(testEnv({ RECORDS_RETENTION: 'people=30' }))).toThrow(ConfigError);
  expect(() => loadConfig(testEnv({ RECORDS_RETENTION: 'audit=0' }))).toThrow(/at least 1 day/);
  expect(() => loadConfig(testEnv({ RECORDS_RETENTION: 'audit: a year' }))).toThrow(/not table=DAYS/);
});

it('removes only what its setting says', async () => {
  await put('audit', { partitionKey: 'huddle_x', rowKey: '2026-09-01T10:00:00.000Z_a', at: '2026-09-01T10:00:00.000Z', action: 'submit' });
  await put('audit', { partitionKey: 'huddle_x', rowKey: '2026-11-20T10:00:00.000Z_b', at: '2026-11-20T10:00:00.000Z', action: 'submit' });
  for (const rk of ['2025-10-01_pkc-craigie', 'v_2025-10-01_pkc-craigie_0001']) await put('huddles', { partitionKey: 'pkc', rowKey: rk, date: '2025-10-01', homeId: 'pkc-craigie' });
  await put('huddles', { partitionKey: 'pkc', rowKey: '2026-01-05_pkc-craigie', date: '2026-01-05', homeId: 'pkc-craigie' });
  await put('escalations', { partitionKey: 'pkc', rowKey: 'esc-old-closed', state: 'closed', closedAt: '2026-09-01T10:00:00.000Z', openedAt: '2026-08-01T10:00:00.000Z' });
  await put('escalations', { partitionKey: 'pkc', rowKey: 'msg_esc-old-closed', conversationId: 'c', activityId: 'a', leaseUntil: 0 });
  await put('escalations', { partitionKey: 'pkc', rowKey: 'esc-old-open', state: 'escalated', openedAt: '2025-01-01T10:00:00.000Z' });
  await put('escalations', { partitionKey: 'pkc', rowKey: 'esc-recent-closed', state: 'closed', closedAt: '2026-11-10T10:00:00.000Z' });
  await put('actions', { partitionKey: 'pkc-craigie', rowKey: 'action_1.001', status: 'completed', completedAt: '2020-01-01T10:00:00.000Z' });
  await put('digests', { partitionKey: 'pkc', rowKey: '2020-01-06_x', weekStart: '2020-01-06' });

  const res = await fetch(`${t.host.url}/api/jobs/retention`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{}' });
  const body = (await res.json()) as { failed: number; details: Record<string, unknown>[] };
  expect(body.failed).toBe(0);
  expect(body.details.filter((d) => 'records' in d)).toEqual([
    { records: 'audit', keepDays: 30, before: '2026-10-24T02:30:00.000Z', rowsRemoved: 1 },
    { records: 'huddles', keepDays: 365, before: '2025-11-23T02:30:00.000Z', rowsRemoved: 2 },
    { records: 'escalations', keepDays: 30, before: '2026-10-24T02:30:00.000Z', rowsRemoved: 2 },
  ]);
  expect((await keys('audit')).filter((k) => k.startsWith('huddle_x/'))).toEqual(['huddle_x/2026-11-20T10:00:00.000Z_b']);
  expect((await keys('huddles')).filter((k) => k.includes('pkc-craigie'))).toEqual(['pkc/2026-01-05_pkc-craigie']);
  expect(await keys('escalations')).toEqual(expect.arrayContaining(['pkc/esc-old-open', 'pkc/esc-recent-closed']));
  expect(await keys('escalations')).not.toEqual(expect.arrayContaining(['pkc/esc-old-closed']));
  expect(await keys('escalations')).not.toContain('pkc/msg_esc-old-closed');
  // tables not named, or named "keep", keep everything
  expect(await keys('actions')).toContain('pkc-craigie/action_1.001');
  expect(await keys('digests')).toContain('pkc/2020-01-06_x');
});
