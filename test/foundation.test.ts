import { channel, personalChat, teamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.stop());

describe('install and help', () => {
  it('greets a manager on install, answers help by role, and keeps the conversation reference', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    const chat = personalChat(morag);
    expect((await t.teams.install(morag)).status).toBe(200);
    expect(t.connector.textsTo(chat.id).join('\n')).toContain('Birchwood House');

    t.connector.clear();
    const answer = await t.teams.message(morag, chat, 'help');
    expect(answer.status).toBe(200);
    const [reply] = t.connector.textsTo(chat.id);
    expect(reply).toContain('**huddle**');
    expect(reply).toContain('Birchwood House');
    expect(reply).not.toContain('Approve or reject');

    const stored = await t.host.ctx.conversations.forUser(morag.aadObjectId);
    expect(stored?.reference.conversation.id).toBe(chat.id);
    expect(stored?.reference.serviceUrl).toBe(t.connector.url);
    expect(stored?.stale).toBe(false);
  });

  it('matches a person by e-mail through the roster and remembers the object id', async () => {
    const kirsty = t.user('kirsty.moffat@nhs.example');
    await t.teams.message(kirsty, personalChat(kirsty), 'help');
    expect(t.connector.textsTo(personalChat(kirsty).id).join('\n')).toContain('Triage escalations');
    const dir = await t.host.ctx.directory.load();
    expect(dir.people.find((p) => p.email === 'kirsty.moffat@nhs.example')?.aadObjectId).toBe(kirsty.aadObjectId);
  });

  it('tells an unknown person politely that they are not in the directory and whom to ask', async () => {
    const stranger = teamsUser({ email: 'visitor@elsewhere.example', name: 'Pat Visitor' });
    t.teams.addToRoster(stranger);
    await t.teams.message(stranger, personalChat(stranger), 'help');
    const [reply] = t.connector.textsTo(personalChat(stranger).id);
    expect(reply).toContain("can't find you in the Care Home Huddle directory");
    expect(reply).toContain('Sam Paterson');
  });

  it('refreshes the reference when the service URL changes', async () => {
    const fiona = t.user('fiona.lamb@balhousie.example');
    const activity = t.teams.activity(fiona, personalChat(fiona), { type: 'message', text: 'help' });
    await t.teams.post({ ...activity, serviceUrl: `${t.connector.url}emea/` });
    expect((await t.host.ctx.conversations.forUser(fiona.aadObjectId))?.reference.serviceUrl).toBe(`${t.connector.url}emea/`);
  });

  it("refreshes the references of card actions after answering them, several people's together", async () => {
    const people = ['morag.reid@birchwood.example', 'graham.doig@kinnoull.example', 'sandeep.kaur@craigie.example'].map((e) => t.user(e));
    for (const u of people) await t.teams.install(u);
    const moved = `${t.connector.url}uk/`;
    const answers = await Promise.all(
      people.map((u) => {
        const activity = t.teams.activity(u, personalChat(u), { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'huddle.open', data: {} }, trigger: 'manual' } });
        return t.teams.post({ ...activity, serviceUrl: moved });
      }),
    );
    for (const a of answers) expect(a.status).toBe(200);
    // answered first; the references follow (REFRESH_DELAY_MS later), all three
    const refreshed = async () => (await Promise.all(people.map((u) => t.host.ctx.conversations.forUser(u.aadObjectId)))).every((c) => c?.reference.serviceUrl === moved);
    expect(await refreshed()).toBe(false);
    const until = Date.now() + 10_000;
    while (!(await refreshed()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await refreshed()).toBe(true);
  });

  it('answers a message it does not understand with a pointer to help', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    t.connector.clear();
    await t.teams.message(morag, personalChat(morag), 'what is the weather');
    expect(t.connector.textsTo(personalChat(morag).id)[0]).toContain('Type **help**');
  });
});

describe('link area', () => {
  const support = channel('pkc-support');

  it('stores the channel reference when the bot is added to a team', async () => {
    const iain = t.user('iain.shaw@nhs.example');
    await t.teams.addToTeam(iain, support);
    expect(t.connector.textsTo(support.id).join('\n')).toContain('link area');
    expect((await t.host.ctx.conversations.get('channel', support.id))?.teamId).toBe(support.teamId);
  });

  it('refuses a manager, who is not support of the area, and changes nothing', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    t.connector.clear();
    await t.teams.message(morag, support, 'link area pkc');
    expect(t.connector.textsTo(support.id)[0]).toContain('Only the support team');
    expect(await t.host.ctx.areaLinks.get('pkc')).toBeUndefined();
  });

  it('refuses support of another area', async () => {
    const moira = t.user('moira.hendry@dg.example');
    t.connector.clear();
    await t.teams.message(moira, support, 'link area pkc');
    expect(t.connector.textsTo(support.id)[0]).toContain('Only the support team');
    expect(await t.host.ctx.areaLinks.get('pkc')).toBeUndefined();
  });

  it('refuses an unknown area and a personal chat', async () => {
    const iain = t.user('iain.shaw@nhs.example');
    t.connector.clear();
    await t.teams.message(iain, support, "link area nowhere' or PartitionKey ne '");
    expect(t.connector.textsTo(support.id)[0]).toContain('There is no area');
    await t.teams.message(iain, personalChat(iain), 'link area pkc');
    expect(t.connector.textsTo(personalChat(iain).id)[0]).toContain('works in a team channel');
    expect(await t.host.ctx.areaLinks.get('pkc')).toBeUndefined();
  });

  it('binds the channel for support of the area and audits it', async () => {
    const iain = t.user('iain.shaw@nhs.example');
    t.connector.clear();
    await t.teams.message(iain, support, 'link area pkc');
    expect(t.connector.textsTo(support.id)[0]).toContain('support channel for **Perth and Kinross**');
    const link = await t.host.ctx.areaLinks.get('pkc');
    expect(link?.conversationId).toBe(support.id);
    expect(link?.linkedBy).toBe('iain.shaw@nhs.example');
    const history = await t.host.ctx.audit.history('arealink', 'pkc');
    expect(history.map((h) => h.action)).toEqual(['link']);
  });
});
