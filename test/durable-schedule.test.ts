/**
 * The durable schedule over HTTP with an injected clock: what was due while the app was down runs when it
 * starts again (within three hours, in time order), older misses are reported, a failed job is retried, and
 * two instances send once. Monday 23 November 2026, GMT: pkc huddles at 09:30, reminds at 11:00, sums up at 12:00.
 */
import { dailyHuddle } from '../src/jobs/daily-huddle';
import { startScheduler } from '../src/jobs/scheduler';
import { startHost } from '../src/host';
import { channel, personalChat } from './harness/teams-client';
import { exampleDirectory, startTestHost, testEnv, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
const at = (hhmm: string) => new Date(`${DATE}T${hhmm}:00Z`);
const ALEX = 'alexw@contoso.example'; // manages Birchwood House and Tayview Lodge
const MORAG = 'morag.reid@birchwood.example'; // manages Birchwood House
const SUPPORT = channel('pkc-support').id;

let now = at('07:00');
let t: TestHost;

/** A fresh store where the app last ran at 07:00 (so the schedule is kept from then), with two managers and the support channel linked. */
beforeEach(async () => {
  now = at('07:00');
  t = await startTestHost({ clock: () => now });
  for (const email of [ALEX, MORAG]) await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
  const before = startScheduler(t.host.ctx, t.host.jobs, 3_600_000);
  await before.tick();
  before.stop();
  t.connector.clear();
});
afterEach(() => t.stop());

/** The app starts again at `hhmm`: the scheduler's start tick (a second tick waits for it, and finds nothing new). */
async function startAt(hhmm: string) {
  now = at(hhmm);
  const s = startScheduler(t.host.ctx, t.host.jobs, 3_600_000);
  await s.tick();
  s.stop();
}

const huddleCards = (email: string) => t.connector.cardsTo(personalChat(t.user(email)).id).map((c) => JSON.stringify(c));
const record = (job: string) => t.host.ctx.occurrences.get('pkc', job, DATE);

it('a start at 09:41 sends the 09:30 prompts', async () => {
  await startAt('09:41');
  const alex = huddleCards(ALEX);
  expect(alex).toHaveLength(2);
  expect(alex.some((c) => c.includes('Birchwood House'))).toBe(true);
  expect(alex.some((c) => c.includes('Tayview Lodge'))).toBe(true);
  expect(huddleCards(MORAG)).toHaveLength(1);
  expect(await record('daily-huddle')).toMatchObject({ state: 'done', attempts: 1 });
  // nothing for the support channel yet: its summary is at 12:00
  expect(t.connector.to(SUPPORT)).toHaveLength(0);
});

it('a start at 12:20 sends the prompts, then the summary, and no reminder', async () => {
  await startAt('12:20');
  const alex = t.connector.to(personalChat(t.user(ALEX)).id);
  expect(alex).toHaveLength(2);
  expect(alex.map((r) => JSON.stringify(r.activity)).join()).not.toContain('Reminder');
  expect(await record('huddle-reminder')).toMatchObject({ state: 'skipped' });
  const [summary] = t.connector.to(SUPPORT);
  expect(t.connector.to(SUPPORT)).toHaveLength(1);
  expect(summary.activity.attachments).toHaveLength(1);
  expect(summary.activity.text).toBe('Sent late, at 12:20: it was due at 12:00.');
  expect(summary.at).toBeGreaterThanOrEqual(Math.max(...alex.map((r) => r.at)));
});

it('a start at 13:00 sends no prompt and no reminder, reports the missed prompt, and sends the 12:00 summary late saying the prompts were not sent', async () => {
  await startAt('13:00');
  expect(huddleCards(ALEX)).toHaveLength(0);
  expect(huddleCards(MORAG)).toHaveLength(0);
  const [notice, summary, ...more] = t.connector.to(SUPPORT);
  expect(more).toHaveLength(0);
  expect(notice.activity.text).toBe(
    'The huddle prompts for Perth and Kinross due on Monday 23 November at 09:30 were not sent, and it is now too late to send them. Managers can still answer: typing "huddle" in their chat with the app brings the card.',
  );
  expect(summary.activity.attachments).toHaveLength(1);
  expect(summary.activity.text).toBe('Sent late, at 13:00: it was due at 12:00. The huddle prompts for Monday 23 November were not sent, so managers were not asked to answer.');
  expect(await record('daily-huddle')).toMatchObject({ state: 'missed' });
  expect(await record('huddle-reminder')).toMatchObject({ state: 'skipped' });
  expect(await record('daily-summary')).toMatchObject({ state: 'done' });
});

it('a job that fails is not marked done and is retried on the next tick', async () => {
  let calls = 0; // pkc's; dg's 09:00 prompt goes as usual
  t.host.jobs.register('daily-huddle', async (ctx, params, progress) => {
    if (params.area === 'pkc' && ++calls === 1) throw Object.assign(new Error('storage went away'), { statusCode: 503 });
    return dailyHuddle(ctx, params, progress);
  });
  const s = startScheduler(t.host.ctx, t.host.jobs, 3_600_000, { tickOnStart: false });
  try {
    now = at('09:31');
    await s.tick();
    expect(huddleCards(ALEX)).toHaveLength(0);
    expect(await record('daily-huddle')).toMatchObject({ state: 'failed', attempts: 1 });
    now = at('09:32');
    await s.tick();
    expect(huddleCards(ALEX)).toHaveLength(2);
    expect(await record('daily-huddle')).toMatchObject({ state: 'done', attempts: 2 });
    now = at('09:33');
    await s.tick();
    expect(calls).toBe(2);
  } finally {
    s.stop();
  }
});

it('two instances with the scheduler on send each prompt once', async () => {
  const second = await startHost({ env: testEnv({ TABLE_PREFIX: t.host.ctx.config.TABLE_PREFIX }), clock: () => now, port: 0 });
  try {
    now = at('09:41');
    const a = startScheduler(t.host.ctx, t.host.jobs, 3_600_000, { tickOnStart: false, instance: 'a' });
    const b = startScheduler(second.ctx, second.jobs, 3_600_000, { tickOnStart: false, instance: 'b' });
    await Promise.all([a.tick(), b.tick()]);
    a.stop();
    b.stop();
    expect(huddleCards(ALEX)).toHaveLength(2);
    expect(huddleCards(MORAG)).toHaveLength(1);
    expect(await record('daily-huddle')).toMatchObject({ state: 'done', attempts: 1 });
  } finally {
    await second.stop();
  }
});

it('an area whose times change follows the new times from the next occurrence: nothing sent twice, nothing backfilled', async () => {
  await startAt('09:41');
  expect(huddleCards(ALEX)).toHaveLength(2);
  // At 12:10 pkc moves its huddle to 10:30 and its summary to 11:45: today's prompt went, and the 11:45 summary
  // under the new times was never due while the app kept them, so neither goes now; tomorrow follows the new times.
  const moved = exampleDirectory();
  Object.assign(moved.areas.find((a) => a.id === 'pkc')!, { huddleTime: '10:30', summaryTime: '11:45' });
  await t.host.ctx.directory.importDirectory(moved);
  await startAt('12:10');
  expect(huddleCards(ALEX)).toHaveLength(2);
  expect(t.connector.to(SUPPORT)).toHaveLength(0);
  expect((await t.host.ctx.occurrences.marker('pkc'))?.since).toEqual(at('12:10'));
  now = new Date('2026-11-24T10:31:00Z');
  const s = startScheduler(t.host.ctx, t.host.jobs, 3_600_000);
  await s.tick();
  s.stop();
  const tomorrow = t.connector.to(personalChat(t.user(ALEX)).id).slice(2);
  expect(tomorrow).toHaveLength(2);
  expect(JSON.stringify(tomorrow[0].activity)).toContain('Tuesday 24 November 2026');
});
