/** §3: Care Inspectorate notification reminders from the huddle. */
import { huddleAnswer } from './harness/answers';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
const KEY = 'notification-tests-jobs-key-00000001';
let now = new Date(`${DATE}T09:40:00Z`);
let t: TestHost;
const cardText = (body: unknown) => JSON.stringify(body);
const support = channel('pkc-support');

const answer = (homeId: string, extra: Record<string, unknown> = {}) => huddleAnswer(homeId, DATE, extra);

beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
  for (const email of ['iain.shaw@nhs.example', 'morag.reid@birchwood.example', 'graham.doig@kinnoull.example']) await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
});
afterAll(() => t.stop());

const summaryCard = async () => {
  const res = await fetch(`${t.host.url}/api/jobs/daily-summary`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ area: 'pkc', date: DATE }) });
  expect(res.status).toBe(200);
  return JSON.stringify(t.connector.cardsTo(support.id).at(-1));
};

it('asks the manager to tell the Care Inspectorate of a death, records "notified" apart from the answer, and the summary shows what is left', async () => {
  const morag = t.user('morag.reid@birchwood.example');
  const saved = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', answer('pkc-birchwood', { deaths: '1', unexpectedDeaths: '1' }));
  const card = cardText(saved.body);
  expect(card).toContain('Tell the Care Inspectorate today');
  expect(card).toContain('⚠ 1 death (1 unexpected)');
  expect(card).toContain('"verb":"notification.record"');
  const graham = t.user('graham.doig@kinnoull.example');
  await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', answer('pkc-kinnoull', { fallsWithHarm: '1' }));

  now = new Date(`${DATE}T12:00:00Z`);
  // The channel's card (everyone in it) does not list them: the support team's view does (#23).
  const summary = await summaryCard();
  expect(summary).toContain('Submitted 2 of 6 homes');
  expect(summary).not.toContain('Care Inspectorate notifications not recorded yet');
  expect(summary).not.toContain('1 death (1 unexpected)');
  const supportView = cardText((await t.teams.invoke(t.user('iain.shaw@nhs.example'), support, 'summary.refresh', { areaId: 'pkc', date: DATE })).body);
  expect(supportView).toContain('Care Inspectorate notifications not recorded yet');
  expect(supportView).toContain('Birchwood House: 1 death (1 unexpected)');
  expect(supportView).toContain('Kinnoull Court: 1 fall with harm');

  const before = (await t.host.ctx.huddles.get('pkc', DATE, 'pkc-birchwood'))!;
  now = new Date(`${DATE}T12:10:00Z`);
  const recorded = await t.teams.invoke(morag, personalChat(morag), 'notification.record', { homeId: 'pkc-birchwood', date: DATE, kind: 'death' });
  expect(cardText(recorded.body)).toContain('Recorded: the Care Inspectorate was notified of 1 death (1 unexpected).');
  expect(cardText(recorded.body)).toContain('✓ Recorded as notified by Morag Reid at Mon 23 Nov, 12:10');
  expect(cardText(recorded.body)).not.toContain('"verb":"notification.record"');
  // the answer is as it was: same version and ETag (an Amend card opened before still applies)
  const after = (await t.host.ctx.huddles.get('pkc', DATE, 'pkc-birchwood'))!;
  expect(after.version).toBe(before.version);
  expect(after.etag).toBe(before.etag);
  expect((await t.host.ctx.audit.history('notification', `pkc-birchwood/${DATE}/death`)).map((a) => a.action)).toEqual(['notified']);

  expect((await t.host.ctx.notifications.listForArea('pkc', DATE, DATE)).map((r) => [r.homeId, r.kind, r.by, r.via])).toEqual([['pkc-birchwood', 'death', 'morag.reid@birchwood.example', 'card']]);

  // an amendment after recording keeps the record
  const amended = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', answer('pkc-birchwood', { deaths: '1', unexpectedDeaths: '1', agencyShifts: '2' }));
  expect(cardText(amended.body)).toContain('Amended');
  expect(cardText(amended.body)).toContain('✓ Recorded as notified by Morag Reid');
});

it('takes "Care Inspectorate notified: yes" on a new confirmed outbreak as recorded', async () => {
  const graham = t.user('graham.doig@kinnoull.example');
  now = new Date('2026-11-24T09:40:00Z');
  const saved = await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', { ...answer('pkc-kinnoull', { outbreakStatus: 'confirmed', careInspectorateNotified: 'true' }), date: '2026-11-24' });
  expect(cardText(saved.body)).toContain('An outbreak confirmed');
  expect(cardText(saved.body)).toContain('Answered at the huddle as notified');
});

it.each<[string, Record<string, unknown>, string]>([
  ['a kind the answer does not have', { homeId: 'pkc-birchwood', date: DATE, kind: 'fall' }, 'That answer has no such event to notify'],
  ['an unknown kind', { homeId: 'pkc-birchwood', date: DATE, kind: 'birthday' }, 'That answer has no such event to notify'],
  ['a day with no answer', { homeId: 'pkc-birchwood', date: '2026-11-20', kind: 'death' }, 'There is no huddle answer for that day'],
  ['another home', { homeId: 'pkc-kinnoull', date: DATE, kind: 'fall' }, 'Only the managers of Kinnoull Court'],
])('refuses %s and records nothing', async (_name, data, message) => {
  const morag = t.user('morag.reid@birchwood.example');
  const before = await t.host.ctx.notifications.listForArea('pkc', '2026-11-01', '2026-11-30');
  const r = await t.teams.invoke(morag, personalChat(morag), 'notification.record', data);
  expect(cardText(r.body)).toContain(message);
  expect(await t.host.ctx.notifications.listForArea('pkc', '2026-11-01', '2026-11-30')).toEqual(before);
});
