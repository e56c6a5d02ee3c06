/** POST /api/jobs/{job} for a job that takes long answers 202 with a run id; GET /api/jobs/runs/{id} follows it. */
import { jobRunOptions } from '../src/http/job-runs.route';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'a-jobs-key-for-the-run-tests-of-issue-17';
let t: TestHost;
const wait = jobRunOptions.answerWithinMs;

beforeAll(async () => {
  t = await startTestHost({ clock: () => new Date('2026-11-23T10:00:00Z'), env: { JOBS_API_KEY: KEY } });
});
afterAll(async () => {
  jobRunOptions.answerWithinMs = wait;
  await t.stop();
});

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const post = async (job: string, body: object = {}) => {
  const res = await fetch(`${t.host.url}/api/jobs/${job}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  return { status: res.status, location: res.headers.get('location'), contentLocation: res.headers.get('content-location'), body: (await res.json()) as any };
};
const get = async (path: string, headers: Record<string, string> = auth) => {
  const res = await fetch(`${t.host.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as any };
};
/** Asks again until the run shows what is wanted: its row is written as the job goes, not on our clock. */
async function until(path: string, ok: (body: any) => boolean): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const { body } = await get(path);
    if (ok(body)) return body;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} never showed what was wanted`);
}

it('answers 202 with a run id for a long job, and the run shows its progress and then its counts', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  t.host.jobs.register('action-reminders', async (_ctx, params, progress) => {
    progress({ done: 1, total: 3 });
    await gate;
    progress({ done: 3, total: 3 });
    return { job: 'action-reminders', sent: 3, skipped: 1, failed: 0, details: [{ area: params.area }] };
  });
  jobRunOptions.answerWithinMs = 0;
  const started = await post('action-reminders', { area: 'pkc' });
  expect(started.status).toBe(202);
  expect(started.body).toEqual({ job: 'action-reminders', runId: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'running', follow: `/api/jobs/runs/${started.body.runId}` });
  expect(started.location).toBe(started.body.follow);

  const running = await until(started.body.follow, (b) => b.progress?.done === 1);
  expect(running).toMatchObject({ runId: started.body.runId, job: 'action-reminders', area: 'pkc', state: 'running', progress: { done: 1, total: 3 } });
  expect(running.result).toBeUndefined();

  release();
  const done = await until(started.body.follow, (b) => b.state === 'done');
  expect(done).toMatchObject({ state: 'done', progress: { done: 3, total: 3 }, result: { job: 'action-reminders', sent: 3, skipped: 1, failed: 0, details: [{ area: 'pkc' }] } });
  expect(done.finishedAt).toBe('2026-11-23T10:00:00.000Z');
});

it('a run that fails says so, and that it is safe to run again', async () => {
  // It fails after the answer is due (0 ms), so the request answers 202 and the failure is read from the run;
  // a job that fails at once would answer 503 itself (the same words) before the 0 ms timer fires.
  t.host.jobs.register('retention', async () => {
    await new Promise((r) => setTimeout(r, 100));
    throw new Error('boom');
  });
  jobRunOptions.answerWithinMs = 0;
  const started = await post('retention');
  expect(started.status).toBe(202);
  const failed = await until(started.body.follow, (b) => b.state !== 'running');
  expect(failed).toMatchObject({ state: 'failed', result: { job: 'retention', error: 'The job could not finish; it is safe to run it again.' } });
});

it('a quick job still answers 200 with its counts, and its run is kept too', async () => {
  t.host.jobs.register('retention', async () => ({ job: 'retention', sent: 0, skipped: 2, failed: 0, details: [] }));
  jobRunOptions.answerWithinMs = 10_000;
  const { status, body, contentLocation } = await post('retention');
  expect(status).toBe(200);
  expect(body).toEqual({ job: 'retention', sent: 0, skipped: 2, failed: 0, details: [] });
  expect(contentLocation).toMatch(/^\/api\/jobs\/runs\/[0-9a-f-]{36}$/);
  expect((await get(contentLocation!)).body).toMatchObject({ state: 'done', result: { skipped: 2 } });
});

it('runs are behind the jobs key, and an unknown run is 404', async () => {
  const id = '00000000-0000-4000-8000-000000000000';
  expect((await get(`/api/jobs/runs/${id}`, {})).status).toBe(401);
  expect((await get(`/api/jobs/runs/${id}`, { authorization: 'Bearer wrong-key-of-the-same-size-xx' })).status).toBe(401);
  expect(await get(`/api/jobs/runs/${id}`)).toEqual({ status: 404, body: { error: 'There is no such run.' } });
  expect((await get('/api/jobs/runs/not-a-run-id')).status).toBe(404);
});
