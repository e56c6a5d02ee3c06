/** §4: every worry reaches a person, and the manager is told the truth. */
import { huddleAnswer } from './harness/answers';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
let now = new Date(`${DATE}T09:40:00Z`);
const clock = () => now;
const cardText = (body: unknown) => JSON.stringify(body);

const answer = (homeId: string, extra: Record<string, unknown> = {}) => huddleAnswer(homeId, DATE, extra);

describe('a concern raised before the area has a support channel', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ clock });
    for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example', 'alexw@contoso.example']) await t.teams.install(t.user(email));
  });
  afterAll(() => t.stop());

  it('reaches the support team and approvers 1:1, and the channel as soon as it is linked', async () => {
    const alex = t.user('alexw@contoso.example');
    const sent = await t.teams.invoke(alex, personalChat(alex), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-tayview', concern: 'Night staff off sick, one carer on', protection: 'false' });
    expect(cardText(sent.body)).toContain('is being sent to the support team now');
    await t.settle();
    for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example']) {
      const cards = t.connector.cardsTo(personalChat(t.user(email)).id);
      expect(JSON.stringify(cards)).toContain('Escalation: Tayview Lodge');
      expect(JSON.stringify(cards)).toContain('Night staff off sick');
    }
    // Kirsty and David never installed the app: nothing can reach them, and nothing is sent to the manager about them.
    expect(JSON.stringify(t.connector.textsTo(personalChat(alex).id))).not.toContain('not** reached');

    const support = channel('pkc-support');
    await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
    await t.settle();
    expect(JSON.stringify(t.connector.cardsTo(support.id))).toContain('Escalation: Tayview Lodge');
  });
});

describe('a concern nobody can be reached for', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ clock });
    for (const email of ['ruth.maxwell@solway.example', 'it.admin@council.example']) await t.teams.install(t.user(email));
  });
  afterAll(() => t.stop());

  it('tells the manager exactly that, and the administrators, once', async () => {
    const ruth = t.user('ruth.maxwell@solway.example');
    await t.teams.invoke(ruth, personalChat(ruth), 'escalation.raise', { submitted: 'yes', homeId: 'dg-solway', concern: 'Lift broken', protection: 'false' });
    await t.settle();
    const toRuth = t.connector.textsTo(personalChat(ruth).id).filter((x) => x.includes('has **not** reached the support team'));
    expect(toRuth).toHaveLength(1);
    expect(toRuth[0]).toContain('Solway Shore');
    const toAdmin = t.connector.textsTo(personalChat(t.user('it.admin@council.example')).id);
    expect(toAdmin.join(' ')).toContain('link area dg');
    // a second concern on the same escalation does not tell them again
    await t.teams.invoke(ruth, personalChat(ruth), 'escalation.raise', { submitted: 'yes', homeId: 'dg-solway', concern: 'Still broken', protection: 'false' });
    await t.settle();
    expect(t.connector.textsTo(personalChat(ruth).id).filter((x) => x.includes('has **not** reached'))).toHaveLength(1);
  });
});

describe('the record of an escalation', () => {
  let t: TestHost;
  beforeAll(async () => {
    now = new Date(`${DATE}T09:40:00Z`);
    t = await startTestHost({ clock });
    await t.teams.install(t.user('iain.shaw@nhs.example'));
    await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
  });
  afterAll(() => t.stop());

  it('keeps ten concerns of 500 characters whole, each with its author and time', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    const texts = Array.from({ length: 10 }, (_, i) => `Concern ${i + 1}: ${'the lift and the hoist are out of order, residents upstairs cannot come down. '.repeat(7)}`.slice(0, 500));
    for (const text of texts) {
      const r = await t.teams.invoke(morag, personalChat(morag), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-birchwood', concern: text, protection: 'false' });
      expect(cardText(r.body)).toContain('being sent');
    }
    const open = (await t.host.ctx.escalations.openFor('pkc', 'pkc-birchwood'))!;
    const kept = await t.host.ctx.escalations.concerns('pkc', open.rowKey);
    expect(kept.map((c) => c.text)).toEqual(texts);
    expect(kept.every((c) => c.by === 'morag.reid@birchwood.example' && c.at)).toBe(true);
    // what the card shows stays within what a row can hold, and says that earlier ones are on the record
    expect(open.concern!.length).toBeLessThan(4200);
    expect(open.concern).toContain('earlier concerns kept on the record');
  });

  it('opens an escalation with its row and marker together, and mends a marker left pointing at nothing', async () => {
    // a marker for a home whose escalation row is gone (a half-done write of an older version)
    await t.host.storage.table('escalations').createEntity({ partitionKey: 'pkc', rowKey: 'open_pkc-kinnoull', escalationId: 'esc-00000000-0000-0000-0000-00000000dead' });
    const graham = t.user('graham.doig@kinnoull.example');
    const r = await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'Boiler failed overnight', protection: 'false' });
    expect(cardText(r.body)).toContain('Your concern about Kinnoull Court is being sent');
    const open = await t.host.ctx.escalations.openFor('pkc', 'pkc-kinnoull');
    expect(open).toMatchObject({ state: 'open', trigger: 'person' });
  });

  it('opens the escalation of a red answer later when it could not be opened with the answer', async () => {
    const sandeep = t.user('sandeep.kaur@craigie.example');
    const escalations = t.host.storage.table('escalations');
    await escalations.deleteTable();
    let reply;
    try {
      reply = await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', answer('pkc-craigie', { staffingRag: 'red' }));
    } finally {
      for (let i = 0; i < 20; i++) {
        try {
          await escalations.createTable();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
    expect(cardText(reply.body)).toContain('Saved. Thank you.');
    expect(cardText(reply.body)).toContain('will be sent to the support team within a few minutes');
    expect(await t.host.ctx.huddles.get('pkc', DATE, 'pkc-craigie')).toMatchObject({ rag: 'red' });
    expect(await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie')).toBeUndefined();

    now = new Date(now.getTime() + 60_000);
    await t.host.delivery.runChores();
    expect(await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie')).toMatchObject({ state: 'open', trigger: 'huddle', openedFor: DATE });
    await t.settle();
    expect(JSON.stringify(t.connector.cardsTo(channel('pkc-support').id))).toContain('Escalation: Craigie Brae');
  });
});

describe('following up', () => {
  let t: TestHost;
  const KEY = 'no-concern-lost-tests-jobs-key-000001';
  beforeAll(async () => {
    now = new Date(`${DATE}T09:40:00Z`);
    t = await startTestHost({ clock, env: { JOBS_API_KEY: KEY } });
    for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example', 'graham.doig@kinnoull.example', 'alexw@contoso.example']) await t.teams.install(t.user(email));
    await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
  });
  afterAll(() => t.stop());

  it('reminds the support team and approvers of an escalation nobody has taken on after 4 hours, once a day', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'Two carers off, agency not coming', protection: 'false' });
    const reminders = (email: string) => t.connector.textsTo(personalChat(t.user(email)).id).filter((x) => x.includes('Nobody has taken on the escalation for **Kinnoull Court**'));
    now = new Date(`${DATE}T13:00:00Z`);
    await t.host.delivery.runChores();
    await t.settle();
    expect(reminders('iain.shaw@nhs.example')).toHaveLength(0); // 3 h 20 min: not yet
    now = new Date(`${DATE}T13:45:00Z`);
    await t.host.delivery.runChores();
    await t.host.delivery.runChores();
    await t.settle();
    expect(reminders('iain.shaw@nhs.example')).toHaveLength(1);
    expect(reminders('helen.bruce@nhs.example')).toHaveLength(1);
    now = new Date(`${DATE}T18:00:00Z`);
    await t.host.delivery.runChores();
    await t.settle();
    expect(reminders('iain.shaw@nhs.example')).toHaveLength(1); // once a day
    now = new Date('2026-11-24T09:00:00Z');
    await t.host.delivery.runChores();
    await t.settle();
    expect(reminders('iain.shaw@nhs.example')).toHaveLength(2);
    // taken on: no more reminders
    const open = (await t.host.ctx.escalations.openFor('pkc', 'pkc-kinnoull'))!;
    await t.teams.invoke(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'escalation.assign', { escalationId: open.rowKey, version: open.version, owner: 'iain.shaw@nhs.example' });
    now = new Date('2026-11-25T09:00:00Z');
    await t.host.delivery.runChores();
    await t.settle();
    expect(reminders('iain.shaw@nhs.example')).toHaveLength(2);
  });

  it('says in the daily summary which managers the prompt could not reach, and why', async () => {
    now = new Date(`${DATE}T12:00:00Z`);
    const res = await fetch(`${t.host.url}/api/jobs/daily-summary`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ area: 'pkc', date: DATE }) });
    expect(res.status).toBe(200);
    const summary = JSON.stringify(t.connector.cardsTo(channel('pkc-support').id).at(-1));
    expect(summary).toContain('Eilidh Grant (not reached: has not installed the app)');
    expect(summary).toContain('Alex Wilber');
    expect(summary).not.toContain('Alex Wilber (not reached');
  });
});
