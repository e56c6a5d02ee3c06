/**
 * Issue 16 over HTTP: free text only in the support team's view, four eyes on approval, adult protection at once.
 */
import { raiseFromHuddle } from '../src/app/escalation-open';
import { channel, personalChat, teamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
let t: TestHost;
const support = channel('pkc-support-16');
const dgChannel = channel('dg-support-16');
const cardText = (body: any) => JSON.stringify(body?.value ?? body);
const CONCERN = 'Night nurse off sick, agency cannot cover Tuesday';

const green = (homeId: string): Record<string, unknown> => ({
  homeId, date: DATE, residents: '30', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '1',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
});

beforeAll(async () => {
  let tick = 0;
  t = await startTestHost({ clock: () => new Date(Date.parse(`${DATE}T10:00:00Z`) + 1000 * tick++) });
  // David Ogilvie (support) never installs the app 1:1: he is seen only in the channel.
  for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example', 'kirsty.moffat@nhs.example', 'sandeep.kaur@craigie.example', 'moira.hendry@dg.example', 'it.admin@council.example', 'ruth.maxwell@solway.example'])
    await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
  await t.teams.message(t.user('david.ogilvie@council.example'), support, 'help');
  await t.teams.message(t.user('moira.hendry@dg.example'), dgChannel, 'link area dg');
  t.connector.clear();
});
afterAll(() => t.stop());

const act = (email: string, verb: string, data: Record<string, unknown>, conv = support) => t.teams.invoke(t.user(email), conv, `escalation.${verb}`, data);
const row = (areaId: string, id: string) => t.host.ctx.escalations.get(areaId, id);
/** The latest card posted or updated in a conversation about a home. */
const cardFor = (conv: string, home: string) => t.connector.cardsTo(conv, ['send', 'reply', 'update']).filter((c) => JSON.stringify(c).includes(home)).at(-1);

describe('who sees what', () => {
  let id: string;

  it('a red answer with a concern: the channel post carries no free text and a Show details button; the support view has the concern', async () => {
    const sandeep = t.user('sandeep.kaur@craigie.example');
    const answer = await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', { ...green('pkc-craigie'), staffingRag: 'red', concern: CONCERN });
    expect(cardText(answer.body)).toContain('being sent to the support team');
    const open = (await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie'))!;
    id = open.rowKey;
    // Notes, key worker and the outcome come later: they too stay out of the base card.
    await act('iain.shaw@nhs.example', 'local', { escalationId: id, version: 1, note: 'Daily calls from the liaison nurse', keyWorker: 'Sana Iqbal' });
    await t.settle();
    const posted = cardFor(support.id, 'Craigie Brae')!;
    const base = JSON.stringify(posted);
    expect(base).toContain('Escalation: Craigie Brae');
    expect(base).toContain('Staffing is red');
    for (const text of [CONCERN, 'Daily calls', 'Sana Iqbal', 'Key worker']) expect(base).not.toContain(text);
    expect(posted.actions.map((a: any) => a.title)).toEqual(['Show details']);
    expect(posted.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'escalation.refresh', data: { escalationId: id } });
    // Refresh ids: the support team and approvers with the app, and David, seen only in the channel.
    const ids: string[] = posted.refresh.userIds;
    expect(ids).toEqual(expect.arrayContaining(['iain.shaw@nhs.example', 'helen.bruce@nhs.example', 'kirsty.moffat@nhs.example', 'david.ogilvie@council.example'].map((e) => t.user(e).id)));
    expect(ids).not.toContain(sandeep.id);
    expect(ids.length).toBeLessThanOrEqual(60);

    const full = await act('kirsty.moffat@nhs.example', 'refresh', { escalationId: id });
    expect(cardText(full.body)).toContain(CONCERN);
    expect(cardText(full.body)).toContain('Daily calls from the liaison nurse');
    expect(cardText(full.body)).toContain('Sana Iqbal');
    expect(cardText(full.body)).toContain('"verb":"escalation.request"');
    expect(cardText(full.body)).not.toContain('Show details');
  });

  it('a refresh or Show details from anyone else answers the base card, never an error', async () => {
    const byManager = await act('sandeep.kaur@craigie.example', 'refresh', { escalationId: id });
    const guest = teamsUser({ email: 'guest@elsewhere.example', name: 'A Guest', aadObjectId: '0b7e3f0e-1111-4222-8333-444455556666' });
    const byGuest = await t.teams.invoke(guest, support, 'escalation.refresh', { escalationId: id });
    for (const answer of [byManager, byGuest]) {
      expect(answer.status).toBe(200);
      const text = cardText(answer.body);
      expect(text).toContain('Escalation: Craigie Brae');
      expect(text).toContain('Show details');
      for (const free of [CONCERN, 'Daily calls', 'Sana Iqbal']) expect(text).not.toContain(free);
      expect(text).not.toMatch(/"verb":"escalation\.(assign|local|request|close|approve|reject|refer)"/);
    }
  });
});

describe('four eyes', () => {
  it('refuses the approver who asked, naming who can; a second approver decides', async () => {
    const { escalation } = await raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId: 'pkc-kinnoull', date: DATE, reasons: ['PPE supply is critical'], by: 'sandeep.kaur@craigie.example' });
    const id = escalation.rowKey;
    await act('iain.shaw@nhs.example', 'request', { escalationId: id, version: 1, pathway: 'care-inspectorate', rationale: 'No PPE for two days' });
    const ownCard = await act('iain.shaw@nhs.example', 'refresh', { escalationId: id });
    expect(cardText(ownCard.body)).toContain('Iain Shaw asked for this approval and cannot decide it: Helen Bruce can.');
    expect(cardText(ownCard.body)).not.toContain('"verb":"escalation.approve"');
    for (const verb of ['approve', 'reject']) {
      const refused = await act('iain.shaw@nhs.example', verb, { escalationId: id, version: 2, reason: 'fine' });
      expect(cardText(refused.body)).toContain(`You asked for this approval, so you cannot ${verb} it yourself: Helen Bruce (the other approver of this area) can decide it. Nothing was changed.`);
    }
    expect(await row('pkc', id)).toMatchObject({ state: 'awaiting-approval', version: 2, requestedBy: 'iain.shaw@nhs.example' });
    const approved = await act('helen.bruce@nhs.example', 'approve', { escalationId: id, version: 2 });
    expect(cardText(approved.body)).toContain('Approved: escalated to Care Inspectorate');
    expect(await row('pkc', id)).toMatchObject({ state: 'escalated', version: 3 });
  });

  it('a lone approver: the card warns, and their own request is told to the admins at once', async () => {
    t.connector.clear();
    const { escalation } = await raiseFromHuddle(t.host.ctx, { areaId: 'dg', homeId: 'dg-solway', date: DATE, reasons: ['Staffing is red'], by: 'ruth.maxwell@solway.example' });
    const id = escalation.rowKey;
    const view = await act('moira.hendry@dg.example', 'refresh', { escalationId: id }, dgChannel);
    expect(cardText(view.body)).toContain('has a single approver (Moira Hendry)');
    await act('moira.hendry@dg.example', 'request', { escalationId: id, version: 1, pathway: 'national-return', rationale: 'Three unexpected deaths' }, dgChannel);
    await t.settle();
    const admin = t.connector.textsTo(personalChat(t.user('it.admin@council.example')).id).join(' ');
    expect(admin).toContain('Moira Hendry is the only approver of');
    expect(admin).toContain('Solway Shore');
    expect(admin).not.toContain('Three unexpected deaths');
    const refused = await act('moira.hendry@dg.example', 'approve', { escalationId: id, version: 2 }, dgChannel);
    expect(cardText(refused.body)).toContain('This area has no other approver');
    expect(await row('dg', id)).toMatchObject({ state: 'awaiting-approval', version: 2 });
  });
});

describe('adult protection at once', () => {
  it('opening records that a referral is required (who, when) with no action; escalation.refer records it and tells the manager', async () => {
    t.connector.clear();
    const sandeep = t.user('sandeep.kaur@craigie.example');
    // The earlier Craigie Brae escalation is closed, so this answer opens a new one.
    const open = (await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie'))!;
    await act('iain.shaw@nhs.example', 'close', { escalationId: open.rowKey, version: open.version, outcome: 'Cover found' });
    const answer = await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', { ...green('pkc-craigie'), protectionConcern: 'true', concern: 'Unexplained bruising on a resident' });
    expect(answer.status).toBe(200);
    const opened = (await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie'))!;
    expect(opened).toMatchObject({ state: 'open', referralRequiredBy: 'sandeep.kaur@craigie.example' });
    expect(opened.referralRequiredAt).toBeTruthy();
    expect(opened.referredAt).toBeUndefined();
    await t.settle();
    const base = JSON.stringify(cardFor(support.id, 'Craigie Brae'));
    expect(base).toContain('referral required now. It must not wait for approval');
    expect(base).not.toContain('Unexplained bruising');
    const full = await act('kirsty.moffat@nhs.example', 'refresh', { escalationId: opened.rowKey });
    expect(cardText(full.body)).toContain('Adult-protection concern (raised by Sandeep Kaur');
    expect(cardText(full.body)).toContain('"verb":"escalation.refer"');

    const noRef = await act('kirsty.moffat@nhs.example', 'refer', { escalationId: opened.rowKey, version: 1 });
    expect(cardText(noRef.body)).toContain("The referral's reference is needed.");
    t.connector.clear();
    const referred = await act('kirsty.moffat@nhs.example', 'refer', { escalationId: opened.rowKey, version: 1, reference: 'AP-2026-0412' });
    expect(cardText(referred.body)).toContain('▲ Escalated');
    expect(cardText(referred.body)).toContain('The adult-protection referral is recorded.');
    expect(await row('pkc', opened.rowKey)).toMatchObject({ state: 'escalated', pathway: 'adult-protection', externalRef: 'AP-2026-0412', referredBy: 'kirsty.moffat@nhs.example' });
    await t.settle();
    expect(t.connector.textsTo(personalChat(sandeep).id).join(' ')).toContain('escalated the concern about Craigie Brae to Adult protection');
    const after = JSON.stringify(cardFor(support.id, 'Craigie Brae'));
    expect(after).not.toContain('referral required now');
    expect(after).not.toContain('AP-2026-0412');
    const audit = await t.host.ctx.audit.history('escalation', opened.rowKey);
    expect(audit.map((a) => a.action)).toEqual(['open', 'referred']);
  });
});
