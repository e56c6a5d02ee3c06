/**
 * Issue 22 over HTTP: the daily summary kept up to date in one channel message, one welcome per
 * channel, and `help` naming the support lead's exact `link area` command.
 */
import { storedAnswerRow } from './harness/answers';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'polish-test-jobs-key-0123456789abcdef';
const DATE = '2026-11-23';
let now = new Date('2026-11-23T12:00:00Z');
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
});
afterAll(() => t.stop());

const support = channel('pkc-polish');
const job = async (name: string, body: object) => {
  const res = await fetch(`${t.host.url}/api/jobs/${name}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

/** A stored answer as the huddle feature writes it (§3 fields; reasons as JSON). */
/** A stored answer as the huddle feature writes it (§3 fields; reasons as JSON). */
const answer = storedAnswerRow;

describe('daily summary re-run the same day', () => {
  beforeAll(async () => {
    await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
    await t.host.storage.table('huddles').createEntity(answer('pkc-birchwood', DATE));
  });

  it('posts once, then updates that same message with the new counts', async () => {
    t.connector.clear();
    const first = await job('daily-summary', { area: 'pkc', date: DATE });
    expect(first.body).toMatchObject({ sent: 1, failed: 0 });
    const [posted] = t.connector.to(support.id);
    expect(JSON.stringify(posted.activity)).toContain('Submitted 1 of 6 homes');

    await t.host.storage.table('huddles').createEntity(answer('pkc-craigie', DATE, { rag: 'red', reasons: JSON.stringify(['PPE supply is critical']) }));
    now = new Date('2026-11-23T15:00:00Z');
    const again = await job('daily-summary', { area: 'pkc', date: DATE });
    expect(again.body).toMatchObject({ sent: 1, failed: 0 });
    expect(JSON.stringify(again.body.details)).toContain('updated in place');

    expect(t.connector.to(support.id)).toHaveLength(1); // still one message in the channel
    const updates = t.connector.to(support.id, ['update']);
    expect(updates).toHaveLength(1);
    expect(updates[0].activityId).toBe(posted.activityId);
    const text = JSON.stringify(updates[0].activity);
    expect(text).toContain('Submitted 2 of 6 homes');
    expect(text).toContain('Craigie Brae: Red');
  });

  it('posts a new message for a new day', async () => {
    now = new Date('2026-11-24T12:00:00Z');
    t.connector.clear();
    const next = await job('daily-summary', { area: 'pkc', date: '2026-11-24' });
    expect(next.body).toMatchObject({ sent: 1 });
    expect(t.connector.to(support.id)).toHaveLength(1);
    expect(t.connector.to(support.id, ['update'])).toHaveLength(0);
  });
});

describe('welcome', () => {
  it('welcomes a channel once when Teams sends both installationUpdate and membersAdded', async () => {
    const team = channel('pkc-welcome');
    const iain = t.user('iain.shaw@nhs.example');
    t.connector.clear();
    await t.teams.post(t.teams.activity(iain, team, { type: 'installationUpdate', action: 'add' }));
    await t.teams.addToTeam(iain, team);
    expect(t.connector.to(team.id)).toHaveLength(1);
  });

  it('welcomes a person once on a personal install', async () => {
    const kirsty = t.user('kirsty.moffat@nhs.example');
    t.connector.clear();
    await t.teams.install(kirsty);
    expect(t.connector.textsTo(personalChat(kirsty).id)).toHaveLength(1);
    expect(t.connector.textsTo(personalChat(kirsty).id)[0]).toContain('Here is what you can do');
  });
});

describe('help', () => {
  it('tells a support lead the exact link area command for their area', async () => {
    const kirsty = t.user('kirsty.moffat@nhs.example');
    t.connector.clear();
    await t.teams.message(kirsty, personalChat(kirsty), 'help');
    const text = t.connector.textsTo(personalChat(kirsty).id).join('\n');
    expect(text).toContain('post **link area pkc**');
    expect(text).toContain('Perth and Kinross');
  });
});
