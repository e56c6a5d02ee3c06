/**
 * #23 end to end over HTTP: a death in a huddle answer → the manager's summary card asks to tell the Care
 * Inspectorate → "notified" recorded through the card action (notification.record) → an amendment keeps the
 * record → the weekly digest (the job through POST /api/jobs/weekly-digest) shows it as notified, and a fall with
 * harm at another home, not recorded, as not notified. The clock is injected; nothing sleeps.
 */
import { huddleAnswer } from './harness/answers';
import { personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'notifiable-e2e-jobs-key-0123456789ab';
const DAY = '2026-11-18'; // a Wednesday; the digest week is Mon 16 – Sun 22 November
let now = new Date(`${DAY}T09:40:00Z`);
let t: TestHost;
const text = (body: unknown) => JSON.stringify(body);

beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
  for (const email of ['morag.reid@birchwood.example', 'graham.doig@kinnoull.example', 'ann.ross@council.example', 'john.fraser@nhs.example']) await t.teams.install(t.user(email));
});
afterAll(() => t.stop());

const runDigest = async (date: string) => {
  const res = await fetch(`${t.host.url}/api/jobs/weekly-digest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ area: 'pkc', date }),
  });
  return { status: res.status, body: (await res.json()) as { sent: number; failed: number } };
};

it('takes a death from the huddle answer to "notified" on the chief officer’s weekly digest, through an amendment', async () => {
  const morag = t.user('morag.reid@birchwood.example');
  const graham = t.user('graham.doig@kinnoull.example');

  // 1. the answer: the manager's summary card asks to tell the Care Inspectorate, with a way to record it
  const saved = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', huddleAnswer('pkc-birchwood', DAY, { deaths: '1', unexpectedDeaths: '1' }));
  expect(saved.status).toBe(200);
  expect(text(saved.body)).toContain('Tell the Care Inspectorate today');
  expect(text(saved.body)).toContain('⚠ 1 death (1 unexpected)');
  expect(text(saved.body)).toContain('"verb":"notification.record"');
  // another home's fall with harm, never recorded as notified
  await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', huddleAnswer('pkc-kinnoull', DAY, { fallsWithHarm: '1' }));

  // 2. "notified" recorded from the card
  now = new Date(`${DAY}T12:10:00Z`);
  const recorded = await t.teams.invoke(morag, personalChat(morag), 'notification.record', { homeId: 'pkc-birchwood', date: DAY, kind: 'death' });
  expect(text(recorded.body)).toContain('Recorded: the Care Inspectorate was notified of 1 death (1 unexpected).');
  expect(text(recorded.body)).toContain('✓ Recorded as notified by Morag Reid at Wed 18 Nov, 12:10');

  // 3. an amendment after recording keeps the record
  now = new Date(`${DAY}T14:00:00Z`);
  const amended = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', huddleAnswer('pkc-birchwood', DAY, { deaths: '1', unexpectedDeaths: '1', agencyShifts: '3' }));
  expect(text(amended.body)).toContain('Amended');
  expect(text(amended.body)).toContain('✓ Recorded as notified by Morag Reid at Wed 18 Nov, 12:10');
  expect((await t.host.ctx.huddles.get('pkc', DAY, 'pkc-birchwood'))?.version).toBe(2);
  expect((await t.host.ctx.notifications.listForArea('pkc', DAY, DAY)).map((r) => [r.homeId, r.kind, r.via])).toEqual([['pkc-birchwood', 'death', 'card']]);

  // 4. the weekly digest, the Monday after: notified at Birchwood, not recorded at Kinnoull, under the small-number rule
  now = new Date('2026-11-23T09:30:00Z');
  t.connector.clear();
  const { status, body } = await runDigest('2026-11-23');
  expect(status).toBe(200);
  expect(body).toMatchObject({ sent: 2, failed: 0 });
  for (const officer of ['ann.ross@council.example', 'john.fraser@nhs.example']) {
    const cards = t.connector.cardsTo(personalChat(t.user(officer)).id);
    expect(cards).toHaveLength(1);
    const digest = text(cards[0]);
    expect(digest).toContain('Care Inspectorate: 2 notifiable events, 1 recorded as notified; not recorded yet at Kinnoull Court.');
    expect(digest).toContain('{"title":"Notifiable events","value":"2"},{"title":"Recorded as notified","value":"1"},{"title":"Not recorded as notified","value":"1"}');
    expect(digest).toContain('{"title":"Deaths","value":"1, 1 recorded as notified"}');
    expect(digest).toContain('Kinnoull Court: notifiable events fewer than 3 · recorded as notified none · not recorded fewer than 3. Not recorded as notified: fall with harm (Wed 18 Nov)');
    expect(digest).toContain('Birchwood House: notifiable events fewer than 3 · recorded as notified fewer than 3 · not recorded none');
    expect(digest).not.toMatch(/Birchwood House: [^"]*Not recorded as notified/);
  }
});
