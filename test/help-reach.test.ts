/** Issue 15, reach: `help` for the support team, approvers and admins names the home managers the app cannot reach 1:1, and why. */
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

describe('help lists who cannot be reached', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ clock: () => new Date('2026-11-23T10:00:00Z') });
    for (const email of ['kirsty.moffat@nhs.example', 'morag.reid@birchwood.example', 'sandeep.kaur@craigie.example', 'it.admin@council.example']) await t.teams.install(t.user(email));
    // Sandeep removed the app: a send to the chat answered 403 and the reference was marked stale.
    await t.host.ctx.conversations.markStale('user', t.user('sandeep.kaur@craigie.example').aadObjectId, 'connector answered 403', new Date());
    t.connector.clear();
  });
  afterAll(() => t.stop());

  const helpIn = async (email: string, conv = personalChat(t.user(email))) => {
    t.connector.clear();
    await t.teams.message(t.user(email), conv, 'help');
    return t.connector.textsTo(conv.id).join('\n');
  };

  it('a support person in 1:1: the managers of their area never seen, or who removed the app, in the daily summary words', async () => {
    const reply = await helpIn('kirsty.moffat@nhs.example');
    expect(reply).toContain('Triage escalations');
    const line = reply.split('\n\n').find((l) => l.startsWith('- Home managers in Perth and Kinross I cannot reach in Teams'))!;
    expect(line).toContain('Graham Doig (not reached: has not installed the app)');
    expect(line).toContain('Sandeep Kaur (not reached: removed the app or blocked it)');
    expect(line).not.toContain('Morag Reid');
    // only the areas they support
    expect(reply).not.toContain('Ruth Maxwell');
  });

  it('an admin of every area sees each area; a manager and a channel see no such list', async () => {
    const admin = await helpIn('it.admin@council.example');
    expect(admin).toContain('Graham Doig (not reached: has not installed the app)');
    expect(admin).toContain('Ruth Maxwell (not reached: has not installed the app)');
    expect(await helpIn('morag.reid@birchwood.example')).not.toContain('not reached');
    expect(await helpIn('kirsty.moffat@nhs.example', channel('pkc-help-reach'))).not.toContain('not reached');
  });
});
