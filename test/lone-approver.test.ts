/**
 * Issue 16, four eyes with a lone approver: the area's administrators are told at once of the only approver's own
 * request, reminded once a day (the area's day) while it waits, and no more once a second approver has decided it.
 */
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

let now = new Date('2026-11-23T10:00:00Z');
const clock = () => now;
const dgChannel = channel('dg-support-lone');
const ADMIN = 'it.admin@council.example';

describe('a request only another approver could decide', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ clock });
    for (const email of ['moira.hendry@dg.example', ADMIN, 'ruth.maxwell@solway.example', 'kirsty.moffat@nhs.example']) await t.teams.install(t.user(email));
    await t.teams.message(t.user('moira.hendry@dg.example'), dgChannel, 'link area dg');
    await t.settle();
  });
  afterAll(() => t.stop());

  const toAdmin = () => t.connector.textsTo(personalChat(t.user(ADMIN)).id);
  const told = () => toAdmin().filter((x) => x.startsWith('Moira Hendry is the only approver of'));
  const reminders = () => toAdmin().filter((x) => x.startsWith('Reminder: Moira Hendry, the only approver of'));
  const chores = async () => {
    await t.host.delivery.runChores();
    await t.settle();
  };

  it('tells the admins at once, reminds them once a day while it waits, and stops once a second approver decides', async () => {
    const ruth = t.user('ruth.maxwell@solway.example');
    await t.teams.invoke(ruth, personalChat(ruth), 'escalation.raise', { submitted: 'yes', homeId: 'dg-solway', concern: 'Three unexpected deaths this week', protection: 'false' });
    const id = (await t.host.ctx.escalations.openFor('dg', 'dg-solway'))!.rowKey;
    const moira = t.user('moira.hendry@dg.example');
    const asked = await t.teams.invoke(moira, dgChannel, 'escalation.request', { escalationId: id, version: 1, pathway: 'national-return', rationale: 'Three unexpected deaths' });
    expect(JSON.stringify(asked.body)).toContain('Sent to the approvers');
    await t.settle();
    expect(told()).toHaveLength(1);
    expect(told()[0]).toContain('Solway Shore');

    // The same day: told already, no reminder.
    now = new Date('2026-11-23T16:00:00Z');
    await chores();
    expect(reminders()).toHaveLength(0);

    // The next day: one reminder, however often the chores run.
    now = new Date('2026-11-24T08:00:00Z');
    await chores();
    now = new Date('2026-11-24T15:00:00Z');
    await chores();
    expect(reminders()).toEqual([
      'Reminder: Moira Hendry, the only approver of Dumfries and Galloway, asked on Mon 23 Nov, 10:00 for approval to escalate the concern about Solway Shore, and nobody in the area can decide it (an approver may not decide their own request). Add a second approver for Dumfries and Galloway to the directory.',
    ]);
    expect(reminders().join(' ')).not.toContain('Three unexpected deaths');
    expect(told()).toHaveLength(1);

    // A second approver joins the directory and decides: no more reminders.
    t.directory.people.find((p) => p.email === 'kirsty.moffat@nhs.example')!.roles.push({ role: 'approver', area: 'dg' });
    await t.host.ctx.directory.importDirectory(t.directory);
    const approved = await t.teams.invoke(t.user('kirsty.moffat@nhs.example'), dgChannel, 'escalation.approve', { escalationId: id, version: 2 });
    expect(JSON.stringify(approved.body)).toContain('Approved: escalated to');
    await t.settle();
    now = new Date('2026-11-25T09:00:00Z');
    await chores();
    now = new Date('2026-11-26T09:00:00Z');
    await chores();
    expect(reminders()).toHaveLength(1);
  });

  it('stops reminding once a second approver is in the directory, even before they decide', async () => {
    now = new Date('2026-11-26T10:00:00Z');
    // Kirsty is an approver of dg now: take the role away again, so Moira is alone, and raise a new request.
    const kirsty = t.directory.people.find((p) => p.email === 'kirsty.moffat@nhs.example')!;
    kirsty.roles = kirsty.roles.filter((r) => !(r.role === 'approver' && r.area === 'dg'));
    await t.host.ctx.directory.importDirectory(t.directory);
    const open = (await t.host.ctx.escalations.openFor('dg', 'dg-solway'))!;
    await t.teams.invoke(t.user('moira.hendry@dg.example'), dgChannel, 'escalation.close', { escalationId: open.rowKey, version: open.version, outcome: 'Referred nationally' });
    const ruth = t.user('ruth.maxwell@solway.example');
    await t.teams.invoke(ruth, personalChat(ruth), 'escalation.raise', { submitted: 'yes', homeId: 'dg-solway', concern: 'Lift broken again', protection: 'false' });
    const id = (await t.host.ctx.escalations.openFor('dg', 'dg-solway'))!.rowKey;
    await t.teams.invoke(t.user('moira.hendry@dg.example'), dgChannel, 'escalation.request', { escalationId: id, version: 1, pathway: 'care-inspectorate', rationale: 'Lift' });
    await t.settle();
    const before = reminders().length;
    now = new Date('2026-11-27T09:00:00Z');
    await chores();
    expect(reminders()).toHaveLength(before + 1);
    kirsty.roles.push({ role: 'approver', area: 'dg' });
    await t.host.ctx.directory.importDirectory(t.directory);
    now = new Date('2026-11-28T09:00:00Z');
    await chores();
    expect(reminders()).toHaveLength(before + 1);
  });
});
