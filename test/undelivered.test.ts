/** §4 / issue 15: "if delivery finally fails, told so": the manager's later 1:1 notice when the channel refuses the card for good. */
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
let now = new Date(`${DATE}T09:40:00Z`);
const clock = () => now;
const support = channel('pkc-support-undelivered');

describe('an escalation card the support channel refuses for good, and nobody in the team has the app', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ clock });
    // Nobody in the support team has the app 1:1: with the channel refusing, nobody can be reached at all.
    await t.teams.install(t.user('graham.doig@kinnoull.example'));
    await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
    await t.settle();
  });
  afterAll(() => t.stop());

  it('tells the manager 1:1 that it did not reach the support team, once', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    // The app was removed from the team: every post to the channel answers 403 from now on.
    t.connector.fail({ status: 403, times: 1000, conversationId: support.id });
    const sent = await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'Boiler failed overnight', protection: 'false' });
    expect(JSON.stringify(sent.body)).toContain('If it cannot reach them, I will tell you here.');
    await t.settle();
    expect(t.connector.attempts.filter((a) => a.conversationId === support.id && a.status === 403).length).toBeGreaterThan(0);
    expect(t.connector.cardsTo(support.id)).toHaveLength(0);
    const told = () => t.connector.textsTo(personalChat(graham).id).filter((x) => x.includes('could not be delivered'));
    expect(told()).toEqual(['Your concern about Kinnoull Court could not be delivered to the support team through Teams. Please phone your support team lead now.']);

    // Link area asks for every open card again; the channel still refuses: the manager is not told a second time.
    await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
    now = new Date(now.getTime() + 60_000);
    await t.host.delivery.runChores();
    await t.settle();
    expect(told()).toHaveLength(1);
  });

  it('tells the manager when a concern added to the open escalation cannot be delivered either', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    const told = () => t.connector.textsTo(personalChat(graham).id).filter((x) => x.includes('could not be delivered'));
    const before = told().length;
    const sent = await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'Now the hot water is off too', protection: 'false' });
    expect(JSON.stringify(sent.body)).toContain('If it cannot reach them, I will tell you here.');
    await t.settle();
    expect(told()).toHaveLength(before + 1);
  });
});

describe('an escalation card the support channel refuses for good, while the support team has the app', () => {
  let t: TestHost;
  const channelGone = channel('pkc-support-removed');
  beforeAll(async () => {
    t = await startTestHost({ clock });
    for (const email of ['iain.shaw@nhs.example', 'graham.doig@kinnoull.example']) await t.teams.install(t.user(email));
    await t.teams.message(t.user('iain.shaw@nhs.example'), channelGone, 'link area pkc');
    await t.settle();
  });
  afterAll(() => t.stop());

  it('sends the card 1:1 to the team instead, and the manager is not told it failed (it did not)', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    const iain = t.user('iain.shaw@nhs.example');
    t.connector.fail({ status: 403, times: 1000, conversationId: channelGone.id });
    await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'Boiler failed overnight', protection: 'false' });
    await t.settle();
    expect(t.connector.cardsTo(channelGone.id)).toHaveLength(0);
    const toIain = t.connector.cardsTo(personalChat(iain).id).filter((c) => JSON.stringify(c).includes('Escalation: Kinnoull Court'));
    expect(toIain).toHaveLength(1);
    expect(t.connector.textsTo(personalChat(graham).id).filter((x) => x.includes('could not be delivered'))).toHaveLength(0);
    // and the team is told, once, that the channel no longer works and what to do
    const warned = () => t.connector.textsTo(personalChat(iain).id).filter((x) => x.includes('no longer takes Care Home Huddle'));
    expect(warned()).toEqual([
      "The support channel linked for **Perth and Kinross** no longer takes Care Home Huddle's messages (the app may have been removed from the team, or the channel deleted). Escalations are sent to the team here, 1:1, meanwhile. Add the app back to the team, or post **link area pkc** in the team's channel.",
    ]);
    await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'And the lift has stopped', protection: 'false' });
    await t.settle();
    expect(warned()).toHaveLength(1);
  });
});

describe('an escalation card Teams keeps failing (5xx) until the worker gives up', () => {
  let t: TestHost;
  const flaky = channel('pkc-support-5xx');
  beforeAll(async () => {
    // the worker's tries a few milliseconds apart, so that giving up takes seconds, not minutes
    t = await startTestHost({ clock, delivery: { maxAttempts: 3, backoffMs: 20 } });
    await t.teams.install(t.user('graham.doig@kinnoull.example'));
    await t.teams.message(t.user('iain.shaw@nhs.example'), flaky, 'link area pkc');
    await t.settle();
  });
  afterAll(() => t.stop());

  it('tells the manager 1:1 that it did not reach the support team, once, after the last try', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    t.connector.fail({ status: 503, times: 10_000, conversationId: flaky.id });
    await t.teams.invoke(graham, personalChat(graham), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-kinnoull', concern: 'Boiler failed overnight', protection: 'false' });
    await t.settle(60_000);
    const tries = t.connector.attempts.filter((a) => a.conversationId === flaky.id && a.status === 503).length;
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(t.connector.cardsTo(flaky.id)).toHaveLength(0);
    const told = t.connector.textsTo(personalChat(graham).id).filter((x) => x.includes('could not be delivered'));
    expect(told).toEqual(['Your concern about Kinnoull Court could not be delivered to the support team through Teams. Please phone your support team lead now.']);
  }, 90_000);
});
