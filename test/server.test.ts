import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type Host } from '../src/host';
import { startAzurite, type EmbeddedAzurite } from '../src/storage/azurite';
import { startTestHost, testEnv, type TestHost } from './harness/test-host';

const KEY = 'a-jobs-key-of-enough-length-0123456789';

describe('jobs endpoint', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ env: { JOBS_API_KEY: KEY } });
  });
  afterAll(() => t.stop());

  const post = (job: string, body: unknown, auth?: string) =>
    fetch(`${t.host.url}/api/jobs/${job}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers 401 without the key, with a wrong key, and with a key of another length', async () => {
    for (const auth of [undefined, `Bearer ${KEY.replace('a', 'b')}`, 'Bearer x', KEY]) {
      const res = await post('daily-huddle', {}, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers 404 with a clear message for a job that does not exist', async () => {
    const res = await post('make-tea', {}, `Bearer ${KEY}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error).toContain('There is no job "make-tea"');
  });

  it('refuses a bad body with every problem', async () => {
    t.host.jobs.register('retention', async () => ({ job: 'retention', sent: 0, skipped: 0, failed: 0, details: [] }));
    const res = await post('retention', { area: "pkc' or PartitionKey ne '", date: '2026-13-45', extra: 1 }, `Bearer ${KEY}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.problems).toHaveLength(3);
    const bad = await post('retention', '{not json', `Bearer ${KEY}`);
    expect(bad.status).toBe(400);
  });

  it('runs a registered job with its area and date', async () => {
    let seen: unknown;
    t.host.jobs.register('retention', async (_ctx, params) => {
      seen = params;
      return { job: 'retention', sent: 0, skipped: 2, failed: 0, details: ['ok'] };
    });
    const res = await post('retention', { area: 'pkc', date: '2026-11-23' }, `Bearer ${KEY}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ job: 'retention', sent: 0, skipped: 2, failed: 0, details: ['ok'] });
    expect(seen).toEqual({ area: 'pkc', date: '2026-11-23' });
  });

  it('refuses an oversized body before it reaches the bot', async () => {
    const res = await fetch(`${t.host.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }) });
    expect(res.status).toBe(413);
  });
});

describe('jobs endpoint without a key', () => {
  it('is off', async () => {
    const t = await startTestHost({ directory: null });
    try {
      const res = await fetch(`${t.host.url}/api/jobs/daily-huddle`, { method: 'POST', headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error).toContain('off');
    } finally {
      await t.stop();
    }
  });
});

describe('healthz', () => {
  let azurite: EmbeddedAzurite;
  let host: Host;
  const location = mkdtempSync(path.join(os.tmpdir(), 'huddle-health-'));

  beforeAll(async () => {
    azurite = await startAzurite({ location });
    host = await startHost({ env: testEnv({ STORAGE_CONNECTION_STRING: azurite.connectionString }), port: 0 });
  });
  afterAll(async () => {
    await host.stop();
    await azurite.stop();
  });

  it('says ok while Table storage answers, 503 while it is down, and ok again after', async () => {
    const health = async () => {
      const res = await fetch(`${host.url}/healthz`);
      return { status: res.status, body: (await res.json()) as any };
    };
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', storage: 'ok' } });
    await azurite.stop();
    const started = Date.now();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.storage).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(5000);
    azurite = await startAzurite({ location, tablePort: azurite.tablePort, queuePort: azurite.queuePort });
    expect((await health()).status).toBe(200);
  });
});
