/** The weekly digest on the in-process schedule: at the area's digest day and time, for the week just ended. */
import { startScheduler } from '../src/jobs/scheduler';
import { personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

let now = new Date('2026-11-23T07:59:00Z'); // Monday, 07:59 GMT in Perth and Kinross
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ clock: () => now });
});
afterAll(() => t.stop());

it('sends each chief officer the digest at 08:00 on Monday, once, for the week that ended on Sunday', async () => {
  const ann = t.user('ann.ross@council.example');
  await t.teams.install(ann);
  t.connector.clear();
  const scheduler = startScheduler(t.host.ctx, t.host.jobs, 3_600_000);
  try {
    await scheduler.tick();
    expect(t.connector.cardsTo(personalChat(ann).id)).toHaveLength(0);
    now = new Date('2026-11-23T08:00:30Z');
    await scheduler.tick();
    const cards = t.connector.cardsTo(personalChat(ann).id);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0])).toContain('Week of Monday 16 November to Sunday 22 November 2026');
    now = new Date('2026-11-23T09:00:00Z');
    await scheduler.tick();
    expect(t.connector.cardsTo(personalChat(ann).id)).toHaveLength(1);
  } finally {
    scheduler.stop();
  }
});
