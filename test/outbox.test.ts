/** §4/§8: nothing is sent to Teams from inside a card action; send intents are written with the change and sent once by the delivery worker. */
import { huddleAnswer } from './harness/answers';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, uniquePrefix, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
const clock = () => new Date(`${DATE}T09:40:00Z`);
const support = channel('pkc-support');
const cardText = (body: unknown) => JSON.stringify(body);

const answer = (homeId: string, extra: Record<string, unknown> = {}) => huddleAnswer(homeId, DATE, extra);

async function linkedHost(env: NodeJS.ProcessEnv = {}): Promise<TestHost> {
  const t = await startTestHost({ clock, env });
  for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example', 'sandeep.kaur@craigie.example']) await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
  await t.settle();
  t.connector.clear();
  return t;
}

const escalationPosts = (t: TestHost, conversationId: string, home: string) =>
  t.connector.to(conversationId).filter((r) => JSON.stringify(r.activity).includes(`Escalation: ${home}`));

describe('a red answer while Teams is slow to take the channel post', () => {
  let t: TestHost;
  beforeAll(async () => (t = await linkedHost()));
  afterAll(() => t.stop());

  it('answers the manager at once, and the card arrives exactly once when Teams takes it', async () => {
    const sandeep = t.user('sandeep.kaur@craigie.example');
    const release = t.connector.hold(support.id);
    const started = Date.now();
    const reply = await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', answer('pkc-craigie', { staffingRag: 'red' }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(cardText(reply.body)).toContain('Saved. Thank you.');
    expect(escalationPosts(t, support.id, 'Craigie Brae')).toHaveLength(0);
    release();
    await t.settle();
    expect(escalationPosts(t, support.id, 'Craigie Brae')).toHaveLength(1);
    // and nothing more arrives later
    await t.settle();
    expect(escalationPosts(t, support.id, 'Craigie Brae')).toHaveLength(1);
  });
});

describe('a crash between recording the change and sending it', () => {
  it('sends the card once, from the next instance to start', async () => {
    const prefix = uniquePrefix();
    const first = await linkedHost({ TABLE_PREFIX: prefix });
    // The first instance stops sending before the answer comes in: the change and its intent are stored, nothing is sent.
    await first.host.delivery.stop();
    const sandeep = first.user('sandeep.kaur@craigie.example');
    const reply = await first.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', answer('pkc-craigie', { ppeSupply: 'critical' }));
    expect(cardText(reply.body)).toContain('Saved. Thank you.');
    expect(escalationPosts(first, support.id, 'Craigie Brae')).toHaveLength(0);
    await first.host.stop();

    // The same Teams (the stored references name its service URL), a new instance on the same store.
    const second = await startTestHost({ clock, env: { TABLE_PREFIX: prefix }, connector: first.connector });
    try {
      await second.settle();
      const posts = escalationPosts(second, support.id, 'Craigie Brae');
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0].activity)).toContain('PPE supply is critical');
    } finally {
      await second.stop();
      await first.connector.stop();
    }
  });
});

describe('re-linking the area to another channel', () => {
  let t: TestHost;
  beforeAll(async () => (t = await linkedHost()));
  afterAll(() => t.stop());

  it('posts every open escalation in the new channel, and later updates go to the new message', async () => {
    const sandeep = t.user('sandeep.kaur@craigie.example');
    await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', answer('pkc-craigie', { staffingRag: 'red' }));
    await t.settle();
    expect(escalationPosts(t, support.id, 'Craigie Brae')).toHaveLength(1);
    const open = (await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie'))!;

    const moved = channel('pkc-support-new');
    await t.teams.message(t.user('iain.shaw@nhs.example'), moved, 'link area pkc');
    await t.settle();
    const [posted] = escalationPosts(t, moved.id, 'Craigie Brae');
    expect(posted).toBeDefined();
    expect(await t.host.ctx.escalations.channelMessage('pkc', open.rowKey)).toEqual({ conversationId: moved.id, activityId: posted.activityId });

    t.connector.clear();
    await t.teams.invoke(t.user('iain.shaw@nhs.example'), moved, 'escalation.assign', { escalationId: open.rowKey, version: open.version, owner: 'iain.shaw@nhs.example' });
    await t.settle();
    const updates = t.connector.recorded.filter((r) => r.kind === 'update');
    expect(updates.map((u) => [u.conversationId, u.activityId])).toEqual([[moved.id, posted.activityId]]);
    expect(t.connector.to(support.id, ['send', 'update'])).toHaveLength(0);
  });
});
