import { channel, groupChat, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'plans-test-jobs-key-0123456789abcdef';
let now = new Date('2026-11-23T09:30:00Z');
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
});
afterAll(() => t.stop());

const support = channel('pkc-plans');
const BIRCHWOOD = 'pkc-birchwood';
const iain = () => t.user('iain.shaw@nhs.example');
const cardText = (card: unknown) => JSON.stringify(card);
const newAction = (over: Record<string, unknown> = {}) => ({
  homeId: BIRCHWOOD,
  theme: '3',
  description: 'Infection prevention e-learning for all staff',
  outcome: '100% of staff complete the IPC module',
  responsibleEmail: 'morag.reid@birchwood.example',
  responsibleName: '',
  due: '2026-12-10',
  ...over,
});
/** The plan card's action rows in the order a reader sees them: number and RAG in words. */
const actionRows = (card: unknown): { no: string; rag: string }[] => {
  const rows: { no: string; rag: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as { type?: string; columns?: { items: { text?: string }[] }[] };
    const cells = o.type === 'ColumnSet' ? (o.columns ?? []).map((c) => c.items[0]?.text ?? '') : [];
    if (cells.length === 3 && /^\d\.\d+$/.test(cells[0])) rows.push({ no: cells[0], rag: cells[2] });
    Object.values(o).forEach(walk);
  };
  walk(card);
  return rows;
};
const create = (data: Record<string, unknown>, who = iain(), conv = support) => t.teams.invoke(who, conv, 'action.create', data);
const actionsOf = async (homeId: string) => (await t.host.ctx.actions.list(homeId)).map((s) => s.action);
const snapshot = async (homeId: string) => JSON.stringify(await t.host.ctx.actions.list(homeId));
const runJob = async (body: Record<string, string>) => {
  const res = await fetch(`${t.host.url}/api/jobs/action-reminders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

describe('plan HOME', () => {
  it('says where it works when asked in a 1:1 chat', async () => {
    const u = iain();
    await t.teams.message(u, personalChat(u), 'plan Birchwood House');
    expect(t.connector.textsTo(personalChat(u).id).at(-1)).toContain('team channel, a group chat or the meeting chat');
  });

  it('posts the plan card in a channel, by name in any case, with the six themes and Add action', async () => {
    await t.teams.message(iain(), support, 'plan BIRCHWOOD house');
    const [card] = t.connector.cardsTo(support.id);
    const text = cardText(card);
    expect(card.version).toBe('1.5');
    expect(text).toContain('Improvement plan: Birchwood House');
    expect(text).toContain("Theme 1: Supporting People's Well-being");
    expect(text).toContain('Theme 6: Infection Prevention, Control & Safety');
    expect(text).toContain('"verb":"action.create"');
    expect(text).not.toContain('${');
    expect((await t.host.ctx.planChats.get(support.id))?.homeId).toBe(BIRCHWOOD);
  });

  it('refuses a manager of another home', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    t.connector.clear();
    await t.teams.message(graham, support, 'plan pkc-birchwood');
    expect(t.connector.cardsTo(support.id)).toHaveLength(0);
    expect(t.connector.textsTo(support.id)[0]).toContain('can see its plan');
  });
});

describe('actions from the card', () => {
  beforeAll(async () => {
    // Morag's 1:1 chat, so that she can be told when assigned.
    await t.teams.install(t.user('morag.reid@birchwood.example'));
  });

  it('creates 3.1, answers the updated card, audits it and tells the responsible person', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    const answer = await create(newAction());
    expect(answer.status).toBe(200);
    const text = cardText(answer.body.value);
    expect(text).toContain('Added action 3.1');
    expect(text).toContain('Infection prevention e-learning for all staff');
    expect(text).toContain('▲ Amber: on target');
    expect(text).not.toMatch(/"color":"(Warning|Good)"/);
    expect(text).toContain('"verb":"action.update"');
    expect(text).toContain('"verb":"action.complete"');
    expect(text).toContain('"actionNo":"3.1"');
    const [a] = await actionsOf(BIRCHWOOD);
    expect(a).toMatchObject({ theme: 3, seq: 1, due: '2026-12-10', responsible: { email: 'morag.reid@birchwood.example', name: 'Morag Reid' } });
    const audit = await t.host.ctx.audit.history('action', `${BIRCHWOOD}/3.1`);
    expect(audit.map((e) => e.action)).toEqual(['create']);
    await t.settle();
    expect(t.connector.textsTo(personalChat(morag).id).at(-1)).toContain('You are now responsible for action **3.1**');
    expect((await t.host.ctx.actions.get(BIRCHWOOD, 3, 1))?.sent.assigned).toBeTruthy();
  });

  it('accepts a responsible person by name only', async () => {
    const answer = await create(newAction({ theme: '1', responsibleEmail: '', responsibleName: 'Agency nurse lead' }));
    expect(cardText(answer.body.value)).toContain('Added action 1.1');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['"ongoing" as the due date', { due: 'ongoing' }, '\\"Ongoing\\" is not a timescale'],
    ['a past due date', { due: '2026-11-22' }, 'has passed'],
    ['a date that is not one', { due: '31/12/2026' }, 'Give the due date as a date'],
    ['an unknown theme', { theme: '9' }, 'Choose one of the six themes'],
    ['no responsible person', { responsibleEmail: '', responsibleName: '' }, 'Choose the responsible person'],
    ['a responsible person outside the home and area', { responsibleEmail: 'moira.hendry@dg.example' }, 'is not a manager of this home'],
    ['an extra field', { admin: 'yes' }, 'could not be read'],
    ['a missing description', { description: undefined }, 'could not be read'],
    ['an oversized outcome', { outcome: 'x'.repeat(1001) }, 'could not be read'],
    ['a mistyped theme', { theme: 3 }, 'could not be read'],
  ])('refuses %s and stores nothing', async (_name, over, message) => {
    const before = await snapshot(BIRCHWOOD);
    const plan = await t.host.ctx.plans.get(BIRCHWOOD);
    const answer = await create(newAction(over));
    expect(answer.status).toBe(200);
    expect(cardText(answer.body.value)).toContain(message);
    expect(cardText(answer.body.value)).toContain('Nothing was changed');
    expect(await snapshot(BIRCHWOOD)).toBe(before);
    expect(await t.host.ctx.plans.get(BIRCHWOOD)).toEqual(plan);
  });

  it('keeps what was typed when a new action is refused, the problem worded for it beside the due date', async () => {
    const answer = await create(newAction({ due: '2026-11-01', description: 'Weekly hand hygiene audit' }));
    const card = answer.body.value;
    const text = cardText(card);
    expect(text).toContain('What you typed is kept: open Add action to see the problem beside its field. Nothing was changed.');
    const form = JSON.stringify(card.actions.find((a: { title: string }) => a.title === 'Add action').card.body);
    expect(form).toContain('"id":"description","label":"Action","isMultiline":true,"maxLength":1000,"isRequired":true,"errorMessage":"Describe the action (how we are going to do it)","value":"Weekly hand hygiene audit"');
    expect(form).toContain('"value":"100% of staff complete the IPC module"');
    expect(form).toContain('"value":"morag.reid@birchwood.example"');
    expect(form).toContain('"value":"2026-11-01"');
    // the due date's own problem sits right after the due date input, and says the date has passed
    const inputs = card.actions[0].card.body as { type: string; id?: string; text?: string }[];
    const due = inputs.findIndex((i) => i.id === 'due');
    expect(inputs[due + 1]).toMatchObject({ type: 'TextBlock', text: 'The due date 2026-11-01 has passed: give today or a later date.', color: 'Attention' });
    expect(text).not.toContain('Give the date by which the action should be done.');
    // the client's own check no longer answers a past date with "Give the date…": no min on the input
    expect(inputs[due]).not.toHaveProperty('min');
  });

  it('keeps what was typed in an Update that is refused, beside the field', async () => {
    const data = { homeId: BIRCHWOOD, actionNo: '3.1', comment_3_1: 'Half the staff done', onTarget_3_1: 'false', due_3_1: '2026-12-20', reason_3_1: '' };
    const answer = await t.teams.invoke(iain(), support, 'action.update', data);
    const text = cardText(answer.body.value);
    expect(text).toContain('open Update 3.1 to see the problem beside its field');
    const update = text.match(/"title":"Update 3.1".*?"verb":"action.update"/)?.[0] ?? '';
    expect(update).toContain('"value":"Half the staff done"');
    expect(update).toContain('"value":"2026-12-20"');
    expect(update).toMatch(/"id":"reason_3_1"[^}]*\},\{"type":"TextBlock","text":"Say why the due date moves/);
  });

  it('refuses a past date by the area clock, not UTC', async () => {
    const saved = now;
    now = new Date('2026-06-10T23:30:00Z'); // 00:30 on 11 June in Europe/London (BST)
    try {
      const before = await snapshot(BIRCHWOOD);
      const answer = await create(newAction({ due: '2026-06-10' }));
      expect(cardText(answer.body.value)).toContain('has passed');
      expect(await snapshot(BIRCHWOOD)).toBe(before);
    } finally {
      now = saved;
    }
  });

  it.each([
    ['a manager of another home', 'graham.doig@kinnoull.example'],
    ['a support member of another area', 'moira.hendry@dg.example'],
    ['an approver who is not support', 'helen.bruce@nhs.example'],
  ])('refuses every verb from %s, changing nothing', async (_n, email) => {
    const who = t.user(email);
    const before = await snapshot(BIRCHWOOD);
    for (const [verb, data] of [
      ['action.create', newAction()],
      ['action.update', { homeId: BIRCHWOOD, actionNo: '3.1', comment_3_1: 'x', onTarget_3_1: 'false', due_3_1: '2026-12-10', reason_3_1: '' }],
      ['action.complete', { homeId: BIRCHWOOD, actionNo: '3.1' }],
      ['plan.edit', { homeId: BIRCHWOOD, partnershipLead: 'Someone', commencementDate: '2026-11-01' }],
    ] as const) {
      const answer = await t.teams.invoke(who, support, verb, data);
      expect(cardText(answer.body.value)).toContain('can change its plan. Nothing was changed.');
    }
    expect(await snapshot(BIRCHWOOD)).toBe(before);
  });

  it('saves the plan header and context lines from Plan details, refusing a past review date', async () => {
    const details = {
      homeId: BIRCHWOOD,
      partnershipLead: 'Kirsty Moffat',
      registeredManager: 'Morag Reid',
      serviceType: 'Care home with nursing for older adults',
      commencementDate: '2026-11-01',
      reviewDate: '2026-12-20',
      context_1: '',
      context_2: '',
      context_3: 'Care Inspectorate inspection, October 2026: IPC training below target',
      context_4: '',
      context_5: '',
      context_6: '',
    };
    const before = await t.host.ctx.plans.get(BIRCHWOOD);
    for (const bad of [{ reviewDate: '2026-11-01' }, { reviewDate: 'ongoing' }, { commencementDate: 'soon' }, { context_7: 'x' }, { context_3: 'x'.repeat(501) }]) {
      const refused = await t.teams.invoke(iain(), support, 'plan.edit', { ...details, ...bad });
      expect(cardText(refused.body.value)).toContain('Nothing was changed');
    }
    expect(await t.host.ctx.plans.get(BIRCHWOOD)).toEqual(before);
    const saved = await t.teams.invoke(iain(), support, 'plan.edit', details);
    const text = cardText(saved.body.value);
    expect(text).toContain('Plan details saved');
    expect(text).toContain('Context: Care Inspectorate inspection, October 2026');
    expect(text).toContain('"value":"Kirsty Moffat"');
    const plan = await t.host.ctx.plans.get(BIRCHWOOD);
    expect(plan?.header).toMatchObject({ partnershipLead: 'Kirsty Moffat', reviewDate: '2026-12-20' });
    expect(plan?.lastNo[3]).toBe(1);
    // Same instant (fixed clock): the audit's row keys then order by their random suffix.
    expect((await t.host.ctx.audit.history('plan', BIRCHWOOD)).map((e) => e.action).sort()).toEqual(['create', 'edit']);
  });

  it('updates with a comment and not on target: Red, in words and colour, logged with author and time', async () => {
    now = new Date('2026-11-24T10:00:00Z');
    const morag = t.user('morag.reid@birchwood.example');
    const answer = await t.teams.invoke(morag, support, 'action.update', {
      homeId: BIRCHWOOD,
      actionNo: '3.1',
      comment_3_1: '45% of staff have completed the module',
      onTarget_3_1: 'false',
      due_3_1: '2026-12-10',
      reason_3_1: '',
    });
    const text = cardText(answer.body.value);
    expect(text).toContain('Action 3.1 updated');
    expect(text).toContain('Red: not on target');
    expect(text).toContain('"color":"Attention"');
    expect(text).toContain('45% of staff have completed the module');
    const a = (await t.host.ctx.actions.get(BIRCHWOOD, 3, 1))!.action;
    expect(a.log.at(-1)).toEqual({ at: now.toISOString(), by: 'morag.reid@birchwood.example', kind: 'progress', comment: '45% of staff have completed the module', onTarget: false });
    expect((await t.host.ctx.audit.history('action', `${BIRCHWOOD}/3.1`)).map((e) => e.action)).toEqual(['create', 'update']);
  });

  it('refuses to move a due date without a reason, and keeps the reason when given', async () => {
    const data = { homeId: BIRCHWOOD, actionNo: '3.1', comment_3_1: '', onTarget_3_1: 'false', due_3_1: '2026-12-20', reason_3_1: '' };
    const before = await snapshot(BIRCHWOOD);
    const refused = await t.teams.invoke(iain(), support, 'action.update', data);
    expect(cardText(refused.body.value)).toContain('Say why the due date moves');
    expect(await snapshot(BIRCHWOOD)).toBe(before);
    const moved = await t.teams.invoke(iain(), support, 'action.update', { ...data, reason_3_1: 'Trainer off sick' });
    expect(cardText(moved.body.value)).toContain('due 20 Dec 2026');
    expect((await t.host.ctx.actions.get(BIRCHWOOD, 3, 1))!.action.log.at(-1)).toMatchObject({ kind: 'due-moved', from: '2026-12-10', to: '2026-12-20', reason: 'Trainer off sick' });
  });

  it('refuses an action number from another home, and a number that does not exist', async () => {
    const alex = t.user('alexw@contoso.example'); // manages Birchwood and Tayview
    const before = await snapshot(BIRCHWOOD);
    const other = await t.teams.invoke(alex, support, 'action.update', { homeId: 'pkc-tayview', actionNo: '3.1', comment_3_1: 'done', onTarget_3_1: 'true', due_3_1: '2026-12-20', reason_3_1: '' });
    expect(cardText(other.body.value)).toContain('Tayview Lodge has no action 3.1');
    const bad = await t.teams.invoke(alex, support, 'action.complete', { homeId: BIRCHWOOD, actionNo: '9.1' });
    expect(cardText(bad.body.value)).toContain('not an action number');
    const extra = await t.teams.invoke(alex, support, 'action.complete', { homeId: BIRCHWOOD, actionNo: '3.1', status: 'completed' });
    expect(cardText(extra.body.value)).toContain('unexpected field');
    expect(await snapshot(BIRCHWOOD)).toBe(before);
    expect(await actionsOf('pkc-tayview')).toEqual([]);
  });

  it('asks what was achieved before completing: Complete is a ShowCard, and a completion with nothing said is refused', async () => {
    await t.teams.message(iain(), support, 'plan pkc-birchwood');
    const card = t.connector.cardsTo(support.id).at(-1);
    const complete = JSON.stringify(card).match(/\{"type":"Action.ShowCard","title":"Complete 3.1".*?"verb":"action.complete"/)?.[0] ?? '';
    expect(complete).toContain('"id":"achieved_3_1"');
    expect(complete).toContain('"isRequired":true');
    expect(complete).toContain('Yes, complete 3.1');
    const before = await snapshot(BIRCHWOOD);
    const refused = await t.teams.invoke(iain(), support, 'action.complete', { homeId: BIRCHWOOD, actionNo: '3.1', achieved_3_1: '  ' });
    expect(cardText(refused.body.value)).toContain('Say what was achieved before completing action 3.1');
    expect(cardText(refused.body.value)).toContain('"actionNo":"3.1"'); // still open
    expect(await snapshot(BIRCHWOOD)).toBe(before);
  });

  it('completes an action: Green, gone from the open list, shown as completed in the last 14 days, and its number never reused', async () => {
    const answer = await t.teams.invoke(iain(), support, 'action.complete', { homeId: BIRCHWOOD, actionNo: '3.1', achieved_3_1: 'All 42 staff completed the IPC module' });
    const text = cardText(answer.body.value);
    expect(text).toContain('Action 3.1 is completed (Green)');
    expect(text).not.toContain('"actionNo":"3.1"');
    expect(text).toContain('1 completed (Green)');
    expect(text).toContain('Completed in the last 14 days');
    expect(text).toContain('Completed (Green) on 24 Nov 2026 by Iain Shaw: All 42 staff completed the IPC module');
    const a = await t.host.ctx.actions.get(BIRCHWOOD, 3, 1);
    expect(a?.action.log.at(-1)).toMatchObject({ kind: 'completed', comment: 'All 42 staff completed the IPC module', by: 'iain.shaw@nhs.example' });
    const again = await t.teams.invoke(iain(), support, 'action.complete', { homeId: BIRCHWOOD, actionNo: '3.1', achieved_3_1: 'again' });
    expect(cardText(again.body.value)).toContain('already completed');
    const next = await create(newAction({ due: '2026-12-01' }));
    expect(cardText(next.body.value)).toContain('Added action 3.2');
  });

  it('gives different numbers to actions added at the same moment', async () => {
    const answers = await Promise.all([1, 2, 3].map((i) => create(newAction({ theme: '4', description: `Environment action ${i}` }))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const seqs = (await actionsOf(BIRCHWOOD)).filter((a) => a.theme === 4).map((a) => a.seq).sort();
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('shows overdue actions first, Red, when their due date has passed in the area', async () => {
    // Theme 6 gets two open actions: 6.1 due later, 6.2 (numbered after it) due on 1 December.
    expect(cardText((await create(newAction({ theme: '6', description: 'Fire drill each shift', due: '2026-12-20' }))).body.value)).toContain('Added action 6.1');
    expect(cardText((await create(newAction({ theme: '6', description: 'Legionella flushing log', due: '2026-12-01' }))).body.value)).toContain('Added action 6.2');
    now = new Date('2026-12-02T09:00:00Z');
    await t.teams.message(iain(), support, 'plan pkc-birchwood');
    const card = t.connector.cardsTo(support.id).at(-1);
    expect(actionRows(card).filter((r) => r.no.startsWith('6.'))).toEqual([
      { no: '6.2', rag: '● Red: overdue' },
      { no: '6.1', rag: '▲ Amber: on target' },
    ]);
    // 3.2 (due 1 December too) is the other one overdue.
    expect(actionRows(card).find((r) => r.no === '3.2')).toEqual({ no: '3.2', rag: '● Red: overdue' });
    expect(cardText(card)).toContain('2 overdue');
  });
});

describe('meetings', () => {
  const meetingChat = groupChat('birchwood-improvement');

  it('does nothing in a chat that has not shown a plan', async () => {
    const other = groupChat('coffee');
    await t.teams.meetingStart(iain(), other);
    await t.teams.meetingEnd(iain(), other);
    expect(t.connector.to(other.id)).toHaveLength(0);
  });

  it('posts the plan at the start and what changed at the end', async () => {
    now = new Date('2026-12-03T10:00:00Z');
    await t.teams.message(iain(), meetingChat, 'plan pkc-birchwood');
    await create(newAction({ theme: '2', description: 'Before the meeting' }), iain(), meetingChat);
    t.connector.clear();

    now = new Date('2026-12-03T14:00:00Z');
    expect((await t.teams.meetingStart(iain(), meetingChat)).status).toBe(200);
    expect(cardText(t.connector.cardsTo(meetingChat.id)[0])).toContain('Improvement plan: Birchwood House');

    now = new Date('2026-12-03T14:20:00Z');
    await create(newAction({ theme: '5', description: 'Review care plans monthly', responsibleEmail: '', responsibleName: 'Deputy manager' }), iain(), meetingChat);
    now = new Date('2026-12-03T14:30:00Z');
    await t.teams.invoke(iain(), meetingChat, 'action.update', { homeId: BIRCHWOOD, actionNo: '4.1', comment_4_1: 'Quotes received', onTarget_4_1: 'true', due_4_1: '2026-12-10', reason_4_1: '' });
    await t.teams.invoke(iain(), meetingChat, 'action.complete', { homeId: BIRCHWOOD, actionNo: '4.2', achieved_4_2: 'Done' });

    now = new Date('2026-12-03T15:00:00Z');
    expect((await t.teams.meetingEnd(iain(), meetingChat)).status).toBe(200);
    const summary = t.connector.textsTo(meetingChat.id).at(-1)!;
    expect(summary).toContain('Actions from this meeting');
    expect(summary).toContain('**5.1** Review care plans monthly: added');
    expect(summary).toContain('**4.1**');
    expect(summary).toContain('Quotes received');
    expect(summary).toContain('**4.2**');
    expect(summary).toContain('completed (Green)');
    expect(summary).not.toContain('Before the meeting');
  });
});

describe('action-reminders job', () => {
  const KINNOULL = 'pkc-kinnoull';
  const graham = () => t.user('graham.doig@kinnoull.example');
  const grahamChat = () => personalChat(graham());
  const reminders = () => t.connector.textsTo(grahamChat().id).filter((x) => x.includes('action **'));

  it('tells the responsible person once when assigned, three days before, and the day after', async () => {
    now = new Date('2026-12-01T09:00:00Z');
    // Assigned before Graham has a 1:1 chat: the job tells him later, once.
    await create({ ...newAction({ homeId: KINNOULL, responsibleEmail: 'graham.doig@kinnoull.example', due: '2026-12-20' }) }, t.user('kirsty.moffat@nhs.example'));
    // the delivery worker tries "this action is yours" now, while he cannot be reached
    await t.settle();
    await t.teams.install(graham());
    expect(reminders()).toHaveLength(0);

    const first = await runJob({ area: 'pkc' });
    expect(first.status).toBe(200);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toContain('You are now responsible for action **3.1**');
    await runJob({ area: 'pkc' });
    expect(reminders()).toHaveLength(1);

    now = new Date('2026-12-16T08:00:00Z');
    await runJob({ area: 'pkc' });
    expect(reminders()).toHaveLength(1);
    now = new Date('2026-12-17T08:00:00Z');
    await runJob({ area: 'pkc' });
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]).toContain('due in three days, on 2026-12-20');
    await runJob({ area: 'pkc' });
    now = new Date('2026-12-20T08:00:00Z');
    await runJob({ area: 'pkc' });
    expect(reminders()).toHaveLength(2);
    now = new Date('2026-12-21T08:00:00Z');
    await runJob({ area: 'pkc' });
    await runJob({ area: 'pkc', date: '2026-12-22' });
    expect(reminders()).toHaveLength(3);
    expect(reminders()[2]).toContain('passed its due date (2026-12-20)');
  });

  it('uses the date in the area time zone', async () => {
    const ruth = t.user('ruth.maxwell@solway.example');
    const ruthChat = personalChat(ruth);
    await t.teams.install(ruth);
    now = new Date('2026-06-01T09:00:00Z');
    await create({ ...newAction({ homeId: 'dg-solway', responsibleEmail: 'ruth.maxwell@solway.example', due: '2026-06-10' }) }, t.user('moira.hendry@dg.example'));
    const texts = () => t.connector.textsTo(ruthChat.id).filter((x) => x.includes('passed its due date'));
    now = new Date('2026-06-10T22:30:00Z'); // 23:30 on 10 June in London: not yet passed
    await runJob({ area: 'dg' });
    expect(texts()).toHaveLength(0);
    now = new Date('2026-06-10T23:30:00Z'); // 00:30 on 11 June in London
    await runJob({ area: 'dg' });
    expect(texts()).toHaveLength(1);
    await runJob({ area: 'dg' });
    expect(texts()).toHaveLength(1);
  });

  it('forgets a reminder Teams refused, and sends it once when the chat works again', async () => {
    const ruth = t.user('ruth.maxwell@solway.example');
    await t.teams.install(ruth);
    now = new Date('2026-06-02T09:00:00Z');
    await create({ ...newAction({ homeId: 'dg-solway', theme: '6', responsibleEmail: 'ruth.maxwell@solway.example', due: '2026-06-30' }) }, t.user('moira.hendry@dg.example'));
    await t.settle();
    const before = () => t.connector.textsTo(personalChat(ruth).id).filter((x) => x.includes('action **6.1**') && x.includes('due in three days'));
    now = new Date('2026-06-27T08:00:00Z');
    t.connector.fail({ status: 403, conversationId: personalChat(ruth).id });
    const refused = await runJob({ area: 'dg' });
    expect(refused.body).toMatchObject({ sent: 0, stale: 1 });
    expect(before()).toHaveLength(0);
    expect((await t.host.ctx.actions.get('dg-solway', 6, 1))?.sent.before).toBeUndefined();

    // Ruth talks to the bot again: her chat is fresh, and the next run sends the reminder once.
    await t.teams.message(ruth, personalChat(ruth), 'help');
    await runJob({ area: 'dg' });
    await runJob({ area: 'dg' });
    expect(before()).toHaveLength(1);
  });
});

describe('when Table storage fails', () => {
  it('answers "not saved" and writes no action or audit entry', async () => {
    now = new Date('2026-12-03T16:00:00Z');
    const actionsTable = t.host.storage.table('actions');
    const CRAIGIE = 'pkc-craigie';
    await actionsTable.deleteTable();
    try {
      const answer = await create(newAction({ homeId: CRAIGIE, responsibleEmail: '', responsibleName: 'Deputy' }));
      expect(answer.status).toBe(200);
      expect(cardText(answer.body.value)).toContain('It could not be stored just now, and nothing was changed. Please try again.');
    } finally {
      await actionsTable.createTable();
    }
    expect(await actionsOf(CRAIGIE)).toEqual([]);
    expect(await t.host.ctx.audit.history('action', `${CRAIGIE}/3.1`)).toEqual([]);
    // The number taken is not given again: the retry gets the next one.
    const retry = await create(newAction({ homeId: CRAIGIE, responsibleEmail: '', responsibleName: 'Deputy' }));
    expect(cardText(retry.body.value)).toContain('Added action 3.2');
  });
});
