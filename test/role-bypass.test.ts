/**
 * R2: role bypass attempts, all through the real HTTP endpoint as Teams would send them: approve without the role,
 * answer for another home, link a channel for another area, edit another home's plan. Each is refused with a
 * message that says so, and no table holds anything new or changed afterwards.
 */
import { raiseFromHuddle } from '../src/app/escalation-open';
import { TABLE_NAMES } from '../src/storage/table-names';
import { channel, personalChat, type Conversation } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
const BIRCHWOOD = 'pkc-birchwood';
let t: TestHost;
const support = channel('pkc-support');
const plans = channel('pkc-plans');
const otherTeam = channel('pkc-other-team');
const text = (body: unknown) => JSON.stringify(body);

const green = (homeId: string): Record<string, unknown> => ({
  homeId, date: DATE, residents: '35', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '1',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
});

/** Every entity of every table, keys and ETags included: a change anywhere shows. */
async function everything(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of TABLE_NAMES) {
    out[name] = [];
    for await (const e of t.host.storage.table(name).listEntities()) out[name].push(e);
  }
  return out;
}

let escalationId: string;
const ATTACKERS = ['graham.doig@kinnoull.example', 'kirsty.moffat@nhs.example', 'sandeep.kaur@craigie.example', 'moira.hendry@dg.example', 'morag.reid@birchwood.example', 'iain.shaw@nhs.example'];

beforeAll(async () => {
  t = await startTestHost({ clock: () => new Date(`${DATE}T10:00:00Z`) });
  const iain = t.user('iain.shaw@nhs.example');
  for (const email of [...ATTACKERS, 'alexw@contoso.example']) await t.teams.install(t.user(email));
  await t.teams.message(iain, support, 'link area pkc');
  // What there is to attack: Birchwood's answer for the day, its plan with action 3.1, an escalation awaiting approval.
  const morag = t.user('morag.reid@birchwood.example');
  expect(text(await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', green(BIRCHWOOD)))).toContain('Saved. Thank you.');
  await t.teams.message(iain, plans, 'plan Birchwood House');
  const created = await t.teams.invoke(iain, plans, 'action.create', {
    homeId: BIRCHWOOD, theme: '3', description: 'IPC e-learning for all staff', outcome: 'All staff complete the module', responsibleEmail: 'morag.reid@birchwood.example', responsibleName: '', due: '2026-12-10',
  });
  expect(text(created.body)).toContain('3.1');
  const { escalation } = await raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId: 'pkc-craigie', date: DATE, reasons: ['PPE supply is critical'], by: 'sandeep.kaur@craigie.example' });
  escalationId = escalation.rowKey;
  const requested = await t.teams.invoke(iain, support, 'escalation.request', { escalationId, version: 1, pathway: 'care-inspectorate', rationale: 'Staffing below safe levels' });
  expect(text(requested.body)).toContain('Awaiting approval');
  // Every attacker has spoken once in each conversation used below, so that only the attempts themselves could write.
  for (const email of ATTACKERS) for (const conv of [support, plans, otherTeam, personalChat(t.user(email))]) await t.teams.message(t.user(email), conv, 'help');
  // the channel cards of the setup delivered, so that the snapshot below does not race the delivery worker
  await t.settle();
});
afterAll(() => t.stop());

type Attempt = [name: string, email: string, conversation: () => Conversation, send: (email: string, conv: Conversation) => Promise<string>, refusal: RegExp];

const invoke = (verb: string, data: Record<string, unknown>) => async (email: string, conv: Conversation) => text((await t.teams.invoke(t.user(email), conv, verb, data)).body);
const say = (message: string) => async (email: string, conv: Conversation) => {
  t.connector.clear();
  await t.teams.message(t.user(email), conv, message);
  return t.connector.textsTo(conv.id).join('\n') + text(t.connector.cardsTo(conv.id));
};
const actionUpdate = { homeId: BIRCHWOOD, actionNo: '3.1', comment_3_1: 'Done', onTarget_3_1: 'true', due_3_1: '2027-01-31', reason_3_1: 'Moved' };
const planDetails = { homeId: BIRCHWOOD, partnershipLead: 'Someone Else', registeredManager: 'X', serviceType: 'Y', commencementDate: '2026-11-01', reviewDate: '2026-12-20', context_1: '', context_2: '', context_3: 'Rewritten', context_4: '', context_5: '', context_6: '' };

const PLAN_REFUSED = /Only the support team of the area and the managers of Birchwood House can change its plan\. Nothing was changed\./;

const attempts: Attempt[] = [
  // approve without the role
  ['support without the approver role approves', 'kirsty.moffat@nhs.example', () => support, (e, c) => invoke('escalation.approve', { escalationId, version: 2 })(e, c), /Only an approver of this area can do that\. Nothing was changed\./],
  ['support without the approver role rejects', 'kirsty.moffat@nhs.example', () => support, (e, c) => invoke('escalation.reject', { escalationId, version: 2, reason: 'No' })(e, c), /Only an approver of this area can do that\. Nothing was changed\./],
  ["another area's approver approves", 'moira.hendry@dg.example', () => support, (e, c) => invoke('escalation.approve', { escalationId, version: 2 })(e, c), /no such escalation in your areas\. Nothing was changed\./],
  ["the home's own manager approves from a forwarded card", 'sandeep.kaur@craigie.example', () => personalChat(t.user('sandeep.kaur@craigie.example')), (e, c) => invoke('escalation.approve', { escalationId, version: 2 })(e, c), /Nothing was changed/],
  ['a manager closes the escalation', 'graham.doig@kinnoull.example', () => support, (e, c) => invoke('escalation.close', { escalationId, version: 2, outcome: 'Sorted' })(e, c), /Nothing was changed/],
  // answer for another home
  ['a manager of another home answers its huddle', 'graham.doig@kinnoull.example', () => personalChat(t.user('graham.doig@kinnoull.example')), (e, c) => invoke('huddle.submit', { ...green(BIRCHWOOD), staffingRag: 'red' })(e, c), /Only the managers of Birchwood House can answer its huddle\. Nothing was saved\./],
  ['support of the area answers a huddle', 'iain.shaw@nhs.example', () => personalChat(t.user('iain.shaw@nhs.example')), (e, c) => invoke('huddle.submit', green(BIRCHWOOD))(e, c), /Only the managers of Birchwood House can answer its huddle\. Nothing was saved\./],
  ["another area's support amends it", 'moira.hendry@dg.example', () => personalChat(t.user('moira.hendry@dg.example')), (e, c) => invoke('huddle.submit', { ...green(BIRCHWOOD), residents: '1' })(e, c), /Only the managers of Birchwood House/],
  ['a manager raises a concern for another home', 'graham.doig@kinnoull.example', () => personalChat(t.user('graham.doig@kinnoull.example')), (e, c) => invoke('escalation.raise', { homeId: BIRCHWOOD, concern: 'Staff shortage', protection: 'false', submitted: 'true' })(e, c), /Only the managers of Birchwood House can raise a concern for it\. Nothing was sent\./],
  // link a channel for another area
  ["another area's support links a channel to this area", 'moira.hendry@dg.example', () => otherTeam, (e, c) => say('link area pkc')(e, c), /Only the support team/],
  ['a manager links a channel', 'morag.reid@birchwood.example', () => otherTeam, (e, c) => say('link area pkc')(e, c), /Only the support team/],
  ["this area's support links a channel to another area", 'iain.shaw@nhs.example', () => otherTeam, (e, c) => say('link area dg')(e, c), /Only the support team/],
  // edit another home's plan
  ['a manager of another home adds an action', 'graham.doig@kinnoull.example', () => plans, (e, c) => invoke('action.create', { homeId: BIRCHWOOD, theme: '1', description: 'x', outcome: 'y', responsibleEmail: 'graham.doig@kinnoull.example', responsibleName: '', due: '2026-12-10' })(e, c), PLAN_REFUSED],
  ['a manager of another home updates action 3.1', 'graham.doig@kinnoull.example', () => plans, (e, c) => invoke('action.update', actionUpdate)(e, c), PLAN_REFUSED],
  ['a manager of another home completes action 3.1', 'graham.doig@kinnoull.example', () => plans, (e, c) => invoke('action.complete', { homeId: BIRCHWOOD, actionNo: '3.1' })(e, c), PLAN_REFUSED],
  ["another area's support edits the plan details", 'moira.hendry@dg.example', () => plans, (e, c) => invoke('plan.edit', planDetails)(e, c), PLAN_REFUSED],
  ['a manager of another home edits the plan details', 'sandeep.kaur@craigie.example', () => plans, (e, c) => invoke('plan.edit', planDetails)(e, c), PLAN_REFUSED],
];

describe('R2: role bypass attempts', () => {
  let before: Record<string, unknown[]>;
  const answers: string[] = [];

  beforeAll(async () => {
    before = await everything();
    for (const [, email, conv, send] of attempts) answers.push(await send(email, conv()));
  });

  it.each(attempts.map((a, i) => [a[0], i] as const))('refuses: %s', (_name, i) => {
    expect(answers[i]).toMatch(attempts[i][4]);
    expect(answers[i]).not.toMatch(/Saved\. Thank you|Done: |Amended|is now linked|updated\.|is completed|Added action|details saved/);
    // None of these attackers may see Birchwood's plan, so the refusal does not show it.
    if (attempts[i][4] === PLAN_REFUSED) expect(answers[i]).not.toContain('IPC e-learning for all staff');
  });

  it('changed nothing in any table', async () => {
    const after = await everything();
    for (const name of TABLE_NAMES) expect({ table: name, rows: after[name] }).toEqual({ table: name, rows: before[name] });
    expect(await t.host.ctx.escalations.get('pkc', escalationId)).toMatchObject({ state: 'awaiting-approval', version: 2 });
    expect((await t.host.ctx.huddles.get('pkc', DATE, BIRCHWOOD))?.version).toBe(1);
    expect(await t.host.ctx.areaLinks.get('dg')).toBeUndefined();
  });
});
