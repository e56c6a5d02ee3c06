/**
 * Issues 16 and 23 over HTTP: the daily summary's base card (the channel post) carries no free text and no
 * notification gaps; the support view (refresh or "Show details" by the area's support team and approvers) adds each
 * home's concern and the Care Inspectorate notifications not recorded; a late answer with a concern brings the posted
 * summary up to date in place, through the delivery worker.
 */
import { huddleAnswer } from './harness/answers';
import { channel, personalChat, teamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
const KEY = 'summary-view-tests-jobs-key-0000001';
let now = new Date(`${DATE}T09:40:00Z`);
let t: TestHost;
const support = channel('pkc-summary-view');
const text = (body: any) => JSON.stringify(body?.value ?? body);
const EARLY = 'Lift out of order since Friday, residents upstairs cannot reach the lounge';
const LATE = 'Night nurse off sick, agency cannot cover Tuesday';

beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
  for (const email of ['iain.shaw@nhs.example', 'kirsty.moffat@nhs.example', 'helen.bruce@nhs.example', 'morag.reid@birchwood.example', 'graham.doig@kinnoull.example', 'sandeep.kaur@craigie.example'])
    await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
  t.connector.clear();
});
afterAll(() => t.stop());

const submit = (email: string, homeId: string, extra: Record<string, unknown> = {}) => {
  const u = t.user(email);
  return t.teams.invoke(u, personalChat(u), 'huddle.submit', huddleAnswer(homeId, DATE, extra));
};
const refresh = (email: string) => t.teams.invoke(t.user(email), support, 'summary.refresh', { areaId: 'pkc', date: DATE });
const summaryPosts = () => t.connector.to(support.id).filter((r) => JSON.stringify(r.activity).includes('Huddle summary: '));

describe('the daily summary: base card and support view', () => {
  let posted: { activityId?: string; activity: any };

  it('an answer with a concern before the summary is posted sends nothing to the channel', async () => {
    const saved = await submit('morag.reid@birchwood.example', 'pkc-birchwood', { deaths: '1', unexpectedDeaths: '1', concern: EARLY });
    expect(text(saved.body)).toContain('Saved. Thank you.');
    // her own card, in her 1:1 chat, shows what she wrote for the support team
    expect(text(saved.body)).toContain(EARLY);
    await submit('graham.doig@kinnoull.example', 'pkc-kinnoull');
    await t.settle();
    expect(summaryPosts()).toHaveLength(0);
    expect(t.connector.to(support.id, ['update'])).toHaveLength(0);
  });

  it('the channel post: counts and reds, no free text, no notification gaps, a Show details button and a refresh for the support team', async () => {
    now = new Date(`${DATE}T12:00:00Z`);
    const res = await fetch(`${t.host.url}/api/jobs/daily-summary`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ area: 'pkc', date: DATE }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sent: 1, failed: 0 });
    [posted] = summaryPosts();
    const card = posted.activity.attachments[0].content;
    const base = JSON.stringify(card);
    expect(base).toContain('Submitted 2 of 6 homes');
    expect(base).toContain('As at Mon 23 Nov, 12:00');
    for (const hidden of [EARLY, 'Care Inspectorate notifications', '1 death (1 unexpected)', 'For the support team']) expect(base).not.toContain(hidden);
    expect(card.actions).toEqual([{ type: 'Action.Execute', title: 'Show details', verb: 'summary.refresh', data: { areaId: 'pkc', date: DATE } }]);
    expect(card.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'summary.refresh', data: { areaId: 'pkc', date: DATE } });
    const ids: string[] = card.refresh.userIds;
    expect(ids).toEqual(expect.arrayContaining(['iain.shaw@nhs.example', 'kirsty.moffat@nhs.example', 'helen.bruce@nhs.example'].map((e) => t.user(e).id)));
    expect(ids).not.toContain(t.user('morag.reid@birchwood.example').id);
    expect(ids.length).toBeLessThanOrEqual(60);
    expect(card.version).toBe('1.5');
  });

  it("the support view on refresh: each home's concern and the notifications not recorded, built from what is stored now", async () => {
    for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example']) {
      const view = await refresh(email);
      expect(view.status).toBe(200);
      const full = text(view.body);
      expect(full).toContain('Huddle summary: Perth and Kinross');
      expect(full).toContain('For the support team');
      expect(full).toContain('Birchwood House (Mon 23 Nov, 09:40)');
      expect(full).toContain(EARLY);
      expect(full).toContain('Care Inspectorate notifications not recorded yet');
      expect(full).toContain('Birchwood House: 1 death (1 unexpected)');
      expect(full).not.toContain('Show details');
      expect(view.body.value.refresh).toBeUndefined(); // the viewer's own card: the channel message is not replaced for everyone
    }
  });

  it('a refresh or Show details from anyone else answers the base card, never an error', async () => {
    const guest = teamsUser({ email: 'guest@elsewhere.example', name: 'A Guest', aadObjectId: '0b7e3f0e-1111-4222-8333-444455556677' });
    const answers = [await refresh('morag.reid@birchwood.example'), await t.teams.invoke(guest, support, 'summary.refresh', { areaId: 'pkc', date: DATE })];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const base = text(answer.body);
      expect(base).toContain('Submitted 2 of 6 homes');
      expect(base).toContain('Show details');
      for (const hidden of [EARLY, 'Care Inspectorate notifications', '1 death (1 unexpected)', 'For the support team']) expect(base).not.toContain(hidden);
    }
  });

  it('a notification recorded later leaves the support view', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    await t.teams.invoke(morag, personalChat(morag), 'notification.record', { homeId: 'pkc-birchwood', date: DATE, kind: 'death' });
    const full = text((await refresh('kirsty.moffat@nhs.example')).body);
    expect(full).not.toContain('Birchwood House: 1 death');
    expect(full).toContain('Every Care Inspectorate notification of the day is recorded as made.');
    expect(full).toContain(EARLY);
  });

  it('a late answer with a concern updates the channel message in place (new counts, base card); the support view then shows it', async () => {
    now = new Date(`${DATE}T13:05:00Z`);
    t.connector.clear();
    const saved = await submit('sandeep.kaur@craigie.example', 'pkc-craigie', { staffingRag: 'red', concern: LATE });
    expect(saved.status).toBe(200);
    expect(text(saved.body)).toContain('Saved. Thank you.');
    await t.settle();
    const updates = t.connector.to(support.id, ['update']).filter((r) => r.activityId === posted.activityId);
    expect(updates).toHaveLength(1);
    const card = JSON.stringify(updates[0].activity);
    expect(card).toContain('Submitted 3 of 6 homes');
    expect(card).toContain('Craigie Brae: Red');
    expect(card).toContain('As at Mon 23 Nov, 13:05');
    for (const hidden of [LATE, EARLY, 'For the support team']) expect(card).not.toContain(hidden);
    expect(summaryPosts()).toHaveLength(0); // updated, not posted again
    const full = text((await refresh('kirsty.moffat@nhs.example')).body);
    expect(full).toContain('Craigie Brae (Mon 23 Nov, 13:05)');
    expect(full).toContain(LATE);
    expect(full).toContain('Submitted 3 of 6 homes');
  });

  it('an amendment with a concern updates it again; an answer without text records no intent (the next run counts it)', async () => {
    now = new Date(`${DATE}T13:30:00Z`);
    t.connector.clear();
    await submit('graham.doig@kinnoull.example', 'pkc-kinnoull', { concern: 'Boiler engineer due tomorrow' });
    await t.settle();
    expect(t.connector.to(support.id, ['update']).filter((r) => r.activityId === posted.activityId)).toHaveLength(1);
    expect(text((await refresh('iain.shaw@nhs.example')).body)).toContain('Boiler engineer due tomorrow');

    t.connector.clear();
    const amended = await submit('morag.reid@birchwood.example', 'pkc-birchwood', { deaths: '1', unexpectedDeaths: '1', agencyShifts: '3' });
    expect(text(amended.body)).toContain('Amended');
    expect(await t.host.ctx.huddles.outbox.empty()).toBe(true);
    await t.settle();
    expect(t.connector.to(support.id, ['update'])).toHaveLength(0);
    // the support view is read at refresh time: the concern taken out of the answer is gone from it
    expect(text((await refresh('iain.shaw@nhs.example')).body)).not.toContain(EARLY);
  });
});
