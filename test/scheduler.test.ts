import type { JobParams } from '../src/jobs/registry';
import { startScheduler } from '../src/jobs/scheduler';
import { startTestHost, type TestHost } from './harness/test-host';

describe('in-process scheduler', () => {
  let t: TestHost;
  let now = new Date('2026-10-24T07:00:00Z'); // Saturday, BST (UTC+1)
  const runs: Array<JobParams & { job: string; at: string }> = [];

  beforeAll(async () => {
    t = await startTestHost({ clock: () => now });
    for (const job of ['daily-huddle', 'huddle-reminder', 'weekly-digest'] as const) {
      t.host.jobs.register(job, async (_ctx, params) => {
        runs.push({ job, ...params, at: now.toISOString() });
        return { job, sent: 0, skipped: 0, failed: 0, details: [] };
      });
    }
  });
  afterAll(() => t.stop());

  it("starts each area's jobs at its local times, on its huddle days, across the clock change", async () => {
    const scheduler = startScheduler(t.host.ctx, t.host.jobs, 60_000);
    try {
      const stepTo = async (iso: string) => {
        now = new Date(iso);
        await scheduler.tick();
      };
      await stepTo('2026-10-24T08:29:00Z'); // 09:29 BST: nothing yet
      expect(runs).toEqual([]);
      await stepTo('2026-10-24T08:31:00Z'); // 09:31 BST: pkc's 09:30 huddle (dg has no Saturday huddle)
      expect(runs.map((r) => `${r.job} ${r.area} ${r.date}`)).toEqual(['daily-huddle pkc 2026-10-24']);
      // Sunday 25 October: clocks went back at 02:00, so 09:30 local is 09:30Z
      // (Saturday's 11:00 reminder was passed over by a whole day: too late, so it is not sent now)
      await stepTo('2026-10-25T08:45:00Z');
      expect(runs).toHaveLength(1);
      await stepTo('2026-10-25T09:31:00Z');
      expect(runs.slice(1).map((r) => `${r.job} ${r.area} ${r.date}`)).toEqual(['daily-huddle pkc 2026-10-25']);
      // Monday: dg huddles at 09:00, pkc at 09:30; both digests (dg 07:30, pkc 08:00) come first
      runs.length = 0;
      await stepTo('2026-10-26T08:05:00Z');
      await stepTo('2026-10-26T09:45:00Z');
      expect(runs.map((r) => `${r.job} ${r.area}`)).toEqual(['weekly-digest dg', 'weekly-digest pkc', 'daily-huddle dg', 'daily-huddle pkc']);
      // never run twice
      await stepTo('2026-10-26T09:46:00Z');
      expect(runs).toHaveLength(4);
      // a tick that comes late (the process was busy or down) catches up within three hours, in time order
      await stepTo('2026-10-26T11:40:00Z'); // dg's reminder was due at 10:30 GMT, pkc's at 11:00
      expect(runs.slice(4).map((r) => `${r.job} ${r.area}`)).toEqual(['huddle-reminder dg', 'huddle-reminder pkc']);
    } finally {
      scheduler.stop();
    }
  });
});
