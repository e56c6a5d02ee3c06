import { raiseFromHuddle } from '../src/app/escalation-open';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
let t: TestHost;
const support = channel('pkc-support');
const cardText = (body: any) => JSON.stringify(body?.value ?? body);

beforeAll(async () => {
  // each reading a second later, so that the audit log reads in order
  let tick = 0;
  t = await startTestHost({ clock: () => new Date(Date.parse(`${DATE}T10:00:00Z`) + 1000 * tick++) });
  for (const email of ['iain.shaw@nhs.example', 'helen.bruce@nhs.example', 'kirsty.moffat@nhs.example', 'sandeep.kaur@craigie.example', 'alexw@contoso.example', 'morag.reid@birchwood.example'])
    await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
  t.connector.clear();
});
afterAll(() => t.stop());

const red = (homeId: string, reasons = ['PPE supply is critical']) => raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId, date: DATE, reasons, by: 'sandeep.kaur@craigie.example' });
const act = (email: string, verb: string, data: Record<string, unknown>) => t.teams.invoke(t.user(email), support, `escalation.${verb}`, data);
const row = (id: string) => t.host.ctx.escalations.get('pkc', id);

describe('an escalation from a red huddle to approval', () => {
  it('posts the card, then assign → request → approve updates the channel card and tells the manager', async () => {
    const { escalation } = await red('pkc-craigie');
    await t.settle();
    const [posted] = t.connector.cardsTo(support.id);
    expect(JSON.stringify(posted)).toContain('Escalation: Craigie Brae');
    expect(JSON.stringify(posted)).toContain('PPE supply is critical');
    expect(posted.refresh.action.verb).toBe('escalation.refresh');
    expect(posted.refresh.userIds.length).toBeGreaterThan(0);
    expect(posted.refresh.userIds.length).toBeLessThanOrEqual(60);
    const id = escalation.rowKey;
    const channelActivity = (await t.host.ctx.escalations.channelMessage('pkc', id))!.activityId;
    expect(channelActivity).toBeTruthy();

    const assigned = await act('iain.shaw@nhs.example', 'assign', { escalationId: id, version: 1, owner: 'iain.shaw@nhs.example' });
    expect(cardText(assigned.body)).toContain('You have taken this on.');
    expect(cardText(assigned.body)).toMatch(/"text":"\w{3} \d{1,2} \w{3}, \d{2}:\d{2}: Iain Shaw took this on"/);
    expect(cardText(assigned.body)).not.toMatch(/owner iain\.shaw|Open → Open|Version|Done:/);
    const requested = await act('iain.shaw@nhs.example', 'request', { escalationId: id, version: 2, pathway: 'care-inspectorate', rationale: 'Staffing below safe levels' });
    expect(cardText(requested.body)).toContain('Awaiting approval');
    await t.settle();
    t.connector.clear();
    const approved = await act('helen.bruce@nhs.example', 'approve', { escalationId: id, version: 3, externalRef: 'CI-2026-114' });
    expect(cardText(approved.body)).toContain('▲ Escalated');
    expect(cardText(approved.body)).toContain("Approved: escalated to Care Inspectorate. The home's manager will be told.");
    expect(cardText(approved.body)).toContain('Helen Bruce approved the escalation (reference CI-2026-114)');
    await t.settle();
    const updates = t.connector.recorded.filter((r) => r.kind === 'update' && r.conversationId === support.id);
    expect(updates).toHaveLength(1);
    expect(updates[0].activityId).toBe(channelActivity);
    expect(JSON.stringify(updates[0].activity)).toContain('▲ Escalated');
    const toManager = t.connector.textsTo(personalChat(t.user('sandeep.kaur@craigie.example')).id);
    expect(toManager.join(' ')).toContain('escalated the concern about Craigie Brae to Care Inspectorate');
    const stored = await row(id);
    expect(stored).toMatchObject({ state: 'escalated', version: 4, pathway: 'care-inspectorate', externalRef: 'CI-2026-114' });
    expect(stored!.escalatedAt).toBeTruthy();
    const audit = await t.host.ctx.audit.history('escalation', id);
    expect(audit.map((a) => a.action)).toEqual(['open', 'assign', 'request', 'approve']);
  });

  it('refuses approval by a support member who is not an approver, and changes nothing', async () => {
    const { escalation } = await red('pkc-kinnoull');
    const id = escalation.rowKey;
    await act('iain.shaw@nhs.example', 'request', { escalationId: id, version: 1, pathway: 'national-return', rationale: 'Unexpected deaths' });
    const refused = await act('kirsty.moffat@nhs.example', 'approve', { escalationId: id, version: 2 });
    expect(cardText(refused.body)).toContain('Only an approver of this area can do that. Nothing was changed.');
    expect(await row(id)).toMatchObject({ state: 'awaiting-approval', version: 2 });
    // and a manager cannot act at all
    const byManager = await t.teams.invoke(t.user('sandeep.kaur@craigie.example'), personalChat(t.user('sandeep.kaur@craigie.example')), 'escalation.reject', { escalationId: id, version: 2, reason: 'no' });
    expect(cardText(byManager.body)).toContain('Nothing was changed');
    expect(await row(id)).toMatchObject({ state: 'awaiting-approval', version: 2 });
  });

  it('refers an adult-protection concern at once, without approval', async () => {
    const { escalation } = await red('pkc-balhousie', ['An adult-protection concern arose']);
    await t.settle();
    const id = escalation.rowKey;
    const [card] = t.connector.cardsTo(support.id).filter((c) => JSON.stringify(c).includes('Balhousie'));
    expect(JSON.stringify(card)).toContain('must not wait for approval');
    const referred = await act('kirsty.moffat@nhs.example', 'request', { escalationId: id, version: 1, pathway: 'adult-protection', rationale: 'Unexplained bruising' });
    expect(cardText(referred.body)).toContain('▲ Escalated');
    expect(cardText(referred.body)).toContain('Kirsty Moffat referred to adult protection: Unexplained bruising');
    expect(await row(id)).toMatchObject({ state: 'escalated', referredBy: 'kirsty.moffat@nhs.example' });
    // Closed: its outcome is what it shows now; the pathway it was on is in its history, not shown as current.
    const closed = await act('kirsty.moffat@nhs.example', 'close', { escalationId: id, version: 2, outcome: 'Referral accepted; home supported' });
    const facts = (closed.body as any).value.body.find((b: any) => b.type === 'FactSet').facts.map((f: any) => f.title);
    expect(facts).toContain('Outcome');
    expect(facts).not.toContain('Pathway');
    expect(cardText(closed.body)).toContain('✓ Closed');
    expect(cardText(closed.body)).toContain('Kirsty Moffat closed this. Outcome: Referral accepted; home supported');
  });
});

describe('bad data and races', () => {
  let id: string;
  beforeAll(async () => {
    id = (await red('pkc-loch-leven')).escalation.rowKey;
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['a missing id', 'assign', { escalationId: undefined, version: 1, owner: 'iain.shaw@nhs.example' }, 'does not name an escalation'],
    ['an unknown id', 'assign', { escalationId: 'esc-00000000-0000-0000-0000-000000000000', version: 1, owner: 'iain.shaw@nhs.example' }, 'no such escalation'],
    ['an OData-looking id', 'assign', { escalationId: "esc-x' or PartitionKey ne '", version: 1 }, 'does not name an escalation'],
    ['a missing version', 'local', { note: 'x' }, 'which version'],
    ['a wrong version', 'local', { version: 7, note: 'Daily calls' }, 'has changed since you saw it'],
    ['an unknown pathway', 'request', { version: 1, pathway: 'the-press', rationale: 'x' }, 'Choose a pathway'],
    ['an oversized note', 'local', { version: 1, note: 'x'.repeat(1001) }, 'longer than 1000'],
    ['a note of the wrong type', 'local', { version: 1, note: { text: 'x' } }, 'must be text'],
    ['an owner who is not an e-mail', 'assign', { version: 1, owner: 12 }, 'Choose the owner'],
    ['a close without an outcome', 'close', { version: 1 }, 'The outcome is needed'],
  ])('refuses %s with a clear message and changes nothing', async (_name, verb, data, message) => {
    const answer = await act('iain.shaw@nhs.example', verb, { escalationId: id, ...data });
    expect(answer.status).toBe(200);
    expect(cardText(answer.body)).toContain(message);
    expect(await row(id)).toMatchObject({ state: 'open', version: 1 });
  });
});

describe('races', () => {
  it('lets exactly one of 50 concurrent approve/reject pairs decide each escalation (R6)', async () => {
    // A host of its own with no channel linked: the race is on the rows, not on posting 50 cards.
    const quiet = await startTestHost({ clock: () => new Date(`${DATE}T10:00:00Z`) });
    const act = (email: string, verb: string, data: Record<string, unknown>) => quiet.teams.invoke(quiet.user(email), support, `escalation.${verb}`, data);
    const row = (id: string) => quiet.host.ctx.escalations.get('pkc', id);
    try {
      const ids: string[] = [];
      const homes = ['pkc-birchwood', 'pkc-tayview'];
      for (let i = 0; i < 50; i++) {
        const homeId = homes[i % 2];
        const e = await quiet.host.ctx.escalations.openIfNone('pkc', { homeId: `${homeId}`, trigger: 'huddle', openedAt: new Date().toISOString(), openedBy: 'x@y.z', openedFor: DATE, reasons: '[]', daysRed: 1, lastRedDate: DATE });
        const opened = e ?? (await quiet.host.ctx.escalations.openFor('pkc', homeId))!;
        await quiet.host.ctx.escalations.replace({ ...opened, state: 'awaiting-approval', pathway: 'care-inspectorate', version: 1 }, (await row(opened.rowKey))!.etag!);
        ids.push(opened.rowKey);
        await quiet.host.ctx.escalations.clearOpenMarker('pkc', homeId);
      }
      const answers = await Promise.all(
        ids.flatMap((eid) => [
          act('helen.bruce@nhs.example', 'approve', { escalationId: eid, version: 1 }),
          act('iain.shaw@nhs.example', 'reject', { escalationId: eid, version: 1, reason: 'Support locally first' }),
        ]),
      );
      // The loser of each pair is told the escalation changed: it is never a silent second decision.
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const told = (a: { body: unknown }) => /has changed since you saw it|changed after you opened it|just before you/.test(cardText(a.body));
      expect(answers.filter(told)).toHaveLength(50);
      expect(answers.filter((a) => /Approved: escalated|Not approved: back to local support/.test(cardText(a.body)))).toHaveLength(50);
      for (const eid of ids) {
        const stored = (await row(eid))!;
        expect(stored.version).toBe(2);
        expect(['escalated', 'local-support']).toContain(stored.state);
        const decisions = (await quiet.host.ctx.audit.history('escalation', eid)).filter((a) => a.action === 'approve' || a.action === 'reject');
        expect(decisions).toHaveLength(1);
      }
    } finally {
      await quiet.stop();
    }
  });

  it('two approvers at once on one card: one decision, the loser told who decided, the channel card ends on it', async () => {
    const { escalation } = await red('pkc-birchwood', ['Staffing is red']);
    const id = escalation.rowKey;
    // Kirsty (support, not an approver) asks: both approvers may decide (four eyes).
    await act('kirsty.moffat@nhs.example', 'request', { escalationId: id, version: 1, pathway: 'care-inspectorate', rationale: 'Two nights without a nurse' });
    const [a, b] = await Promise.all([
      act('helen.bruce@nhs.example', 'approve', { escalationId: id, version: 2 }),
      act('iain.shaw@nhs.example', 'reject', { escalationId: id, version: 2, reason: 'Support locally first' }),
    ]);
    const texts = [cardText(a.body), cardText(b.body)];
    expect(texts.filter((x) => /Approved: escalated|Not approved: back to local support/.test(x))).toHaveLength(1);
    expect(texts.filter((x) => /has changed since you saw it|changed after you opened it|just before you/.test(x))).toHaveLength(1);
    const stored = (await row(id))!;
    expect(stored.version).toBe(3);
    await t.settle();
    const posted = (await t.host.ctx.escalations.channelMessage('pkc', id))!;
    const last = t.connector.recorded.filter((r) => r.conversationId === support.id && r.activityId === posted.activityId).at(-1)!;
    expect(JSON.stringify(last.activity)).toContain(stored.state === 'escalated' ? 'Escalated' : 'Local support');
    expect(JSON.stringify(last.activity)).toContain(stored.state === 'escalated' ? 'approved the escalation' : 'did not approve');
    // closed, so that the home can be escalated again by the tests below
    await act('iain.shaw@nhs.example', 'close', { escalationId: id, version: 3, outcome: 'Resolved' });
  });
});

describe('raise concern', () => {
  it('gives a manager the form in chat, and the concern reaches the channel card but not the log', async () => {
    const alex = t.user('alexw@contoso.example');
    t.connector.clear();
    await t.teams.message(alex, personalChat(alex), 'raise concern');
    const [form] = t.connector.cardsTo(personalChat(alex).id);
    expect(JSON.stringify(form)).toContain('"verb":"escalation.raise"');
    const bad = await t.teams.invoke(alex, personalChat(alex), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-tayview', concern: 'Resident 0101501234 fell' });
    expect(cardText(bad.body)).toContain('Problem: Remove the number that looks like a CHI number');
    expect(await t.host.ctx.escalations.openFor('pkc', 'pkc-tayview')).toBeUndefined();
    const sent = await t.teams.invoke(alex, personalChat(alex), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-tayview', concern: 'Lift broken, two residents cannot come downstairs', protection: 'false' });
    expect(cardText(sent.body)).toContain('Your concern about Tayview Lodge is being sent to the support team now.');
    const open = await t.host.ctx.escalations.openFor('pkc', 'pkc-tayview');
    expect(open).toMatchObject({ trigger: 'person', state: 'open' });
    await t.settle();
    // The channel post is the base card: the concern is in the support team's view only.
    const [posted] = t.connector.cardsTo(support.id).filter((c) => JSON.stringify(c).includes('Tayview'));
    expect(JSON.stringify(posted)).not.toContain('Lift broken');
    const details = await act('kirsty.moffat@nhs.example', 'refresh', { escalationId: open!.rowKey });
    expect(cardText(details.body)).toContain('Lift broken');
  });

  it('refuses a concern for a home the person does not manage', async () => {
    const alex = t.user('alexw@contoso.example');
    const answer = await t.teams.invoke(alex, personalChat(alex), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-craigie', concern: 'x' });
    expect(cardText(answer.body)).toContain('Only the managers of Craigie Brae');
  });

  it('opens the form from the huddle summary button with the home chosen', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    const answer = await t.teams.invoke(morag, personalChat(morag), 'escalation.raise', { homeId: 'pkc-birchwood' });
    expect(cardText(answer.body)).toContain('"value":"pkc-birchwood"');
  });
});
