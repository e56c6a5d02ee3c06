/**
 * A card whose Teams message was deleted (a support member tidying the channel) is never left without one: the
 * escalation card is posted again at its next change, and the day's summary at its next run, and later updates go
 * to the new message.
 */
import { huddleAnswer } from './harness/answers';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
const KEY = 'message-deleted-tests-jobs-key-00001';
const now = new Date(`${DATE}T09:40:00Z`);
let t: TestHost;
const support = channel('pkc-deleted');
const SUPPORT = 'iain.shaw@nhs.example';
const MANAGER = 'morag.reid@birchwood.example';

beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
  for (const email of [SUPPORT, MANAGER]) await t.teams.install(t.user(email));
  await t.teams.message(t.user(SUPPORT), support, 'link area pkc');
  await t.settle();
  t.connector.clear();
});
afterAll(() => t.stop());

const cardPosts = (title: string) => t.connector.to(support.id).filter((r) => JSON.stringify(r.activity).includes(title));
const updatesOf = (activityId: string) => t.connector.to(support.id, ['update']).filter((r) => r.activityId === activityId);

it('posts the escalation card again when its message was deleted, and updates the new one after', async () => {
  const m = t.user(MANAGER);
  const saved = await t.teams.invoke(m, personalChat(m), 'huddle.submit', huddleAnswer('pkc-birchwood', DATE, { ppeSupply: 'critical' }));
  expect(JSON.stringify(saved.body)).toContain('Saved. Thank you.');
  // the escalation is opened just after the answer (or by the sweep): its card arrives through the worker
  await t.connector.waitFor(() => cardPosts('Escalation: Birchwood House').length > 0, 10_000);
  const [first] = cardPosts('Escalation: Birchwood House');
  expect(first?.activityId).toBeDefined();
  t.connector.deleteMessage(support.id, first.activityId!);

  const escalationId = (await t.host.ctx.escalations.listForArea('pkc')).find((e) => e.homeId === 'pkc-birchwood')!.rowKey;
  const s = t.user(SUPPORT);
  const assigned = await t.teams.invoke(s, support, 'escalation.assign', { escalationId, version: 1, owner: SUPPORT });
  expect(assigned.status).toBe(200);
  await t.settle();
  const posts = cardPosts('Escalation: Birchwood House');
  expect(posts).toHaveLength(2);
  const second = posts[1];
  expect(JSON.stringify(second.activity)).toContain('Iain Shaw'); // the card as it is now: taken on by Iain
  expect(updatesOf(first.activityId!)).toHaveLength(0);

  // the next change goes to the new message, in place
  const local = await t.teams.invoke(s, support, 'escalation.local', { escalationId, version: 2, note: 'Phoned the home; agency PPE delivery due at 2pm', keyWorker: '' });
  expect(JSON.stringify(local.body)).not.toMatch(/Not changed|nothing was changed/i);
  await t.settle();
  expect(cardPosts('Escalation: Birchwood House')).toHaveLength(2);
  expect(updatesOf(second.activityId!).length).toBeGreaterThanOrEqual(1);
});

it("posts the day's summary again on a re-run when the earlier one was deleted", async () => {
  const run = () => fetch(`${t.host.url}/api/jobs/daily-summary`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ area: 'pkc', date: DATE }) });
  expect((await run()).status).toBe(200);
  const [first] = cardPosts('Huddle summary: ');
  expect(first?.activityId).toBeDefined();
  t.connector.deleteMessage(support.id, first.activityId!);

  const again = await run();
  expect(again.status).toBe(200);
  expect(await again.json()).toMatchObject({ sent: 1, failed: 0 });
  const posts = cardPosts('Huddle summary: ');
  expect(posts).toHaveLength(2);
  // and a third run updates the new message in place, posting nothing more
  expect((await run()).status).toBe(200);
  expect(cardPosts('Huddle summary: ')).toHaveLength(2);
  expect(updatesOf(posts[1].activityId!)).toHaveLength(1);
});
