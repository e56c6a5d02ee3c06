/**
 * Issue 20, tried as an attacker and an administrator would, over HTTP: owners outside the support team, CHI-like
 * numbers in every free text, wrong jobs keys, a row per channel thread, an oversized history, malformed activities,
 * and `link area` in private and shared channels.
 */
import { raiseFromHuddle } from '../src/app/escalation-open';
import { HISTORY_KEEP } from '../src/domain/escalation';
import { BOT_ID, channel, personalChat, TENANT_ID, type Conversation, type TeamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'hardening-test-jobs-key-0123456789abcdef';
const START = Date.parse('2026-11-23T10:00:00Z');
let offsetMs = 0;
let t: TestHost;
const support = channel('pkc-hardening');
const cardText = (body: any) => JSON.stringify(body?.value ?? body);
const CHI_WHY = 'looks like a CHI number';

beforeAll(async () => {
  t = await startTestHost({ clock: () => new Date(START + offsetMs), env: { JOBS_API_KEY: KEY } });
  for (const email of ['iain.shaw@nhs.example', 'kirsty.moffat@nhs.example', 'sandeep.kaur@craigie.example', 'moira.hendry@dg.example']) await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');
});
afterAll(() => t.stop());

const rowsOf = async (name: 'conversations' | 'audit' | 'actions') => {
  const out: Record<string, unknown>[] = [];
  for await (const e of t.host.storage.table(name).listEntities()) out.push(e);
  return out;
};
const act = (email: string, verb: string, data: Record<string, unknown>) => t.teams.invoke(t.user(email), support, `escalation.${verb}`, data);
const escalationRow = (id: string) => t.host.ctx.escalations.get('pkc', id);
const openFor = async (homeId: string) => (await raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId, date: '2026-11-23', reasons: ['PPE supply is critical'], by: 'sandeep.kaur@craigie.example' })).escalation.rowKey;

describe('the owner of an escalation', () => {
  it.each([
    ['an outsider', 'outsider@evil.example'],
    ['the manager of the home', 'sandeep.kaur@craigie.example'],
    ['an approver who is not in the support team', 'helen.bruce@nhs.example'],
    ["another area's support member", 'moira.hendry@dg.example'],
  ])('refuses %s, and changes nothing', async (_who, owner) => {
    const id = await openFor('pkc-craigie');
    const before = await escalationRow(id);
    const answer = await act('iain.shaw@nhs.example', 'assign', { escalationId: id, version: before!.version, owner });
    expect(answer.status).toBe(200);
    expect(cardText(answer.body)).toContain('The owner must be a member of the support team of this area');
    const after = await escalationRow(id);
    expect(after).toMatchObject({ version: before!.version, state: 'open' });
    expect(after!.owner).toBeUndefined();
    expect((await t.host.ctx.audit.history('escalation', id)).map((a) => a.action)).not.toContain('assign');
  });

  it('accepts a support member of the area', async () => {
    const id = await openFor('pkc-craigie');
    const before = await escalationRow(id);
    const answer = await act('iain.shaw@nhs.example', 'assign', { escalationId: id, version: before!.version, owner: 'Kirsty.Moffat@nhs.example' });
    expect(cardText(answer.body)).toContain('Kirsty Moffat');
    expect((await escalationRow(id))!.owner).toBe('kirsty.moffat@nhs.example');
  });
});

describe('CHI-like numbers in free text', () => {
  it.each([
    ['local', 'note', { note: 'Seen 010.190.1234 today' }],
    ['local', 'keyWorker', { note: 'Daily calls', keyWorker: 'Key worker 010190\u00a01234' }],
    ['request', 'rationale', { pathway: 'care-inspectorate', rationale: 'About 010190\u20131234' }],
    ['close', 'outcome', { outcome: 'Resolved for \uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14' }],
  ])('refuses one in escalation.%s (%s) and stores nothing', async (verb, _field, data) => {
    const id = await openFor('pkc-kinnoull');
    const before = await escalationRow(id);
    const audit = (await t.host.ctx.audit.history('escalation', id)).length;
    const answer = await act('iain.shaw@nhs.example', verb, { escalationId: id, version: before!.version, ...data });
    expect(cardText(answer.body)).toContain(CHI_WHY);
    const after = await escalationRow(id);
    expect(after).toMatchObject({ version: before!.version, state: before!.state });
    expect(JSON.stringify(after)).not.toMatch(/1234|\uff14/);
    expect(await t.host.ctx.audit.history('escalation', id)).toHaveLength(audit);
  });

  it('accepts a phone number and a date and time in a note', async () => {
    const id = await openFor('pkc-kinnoull');
    const before = await escalationRow(id);
    const answer = await act('iain.shaw@nhs.example', 'local', { escalationId: id, version: before!.version, note: 'Call 123-456-7890 on 03/11/2025 14:00' });
    expect(cardText(answer.body)).toContain('Local support recorded.');
    expect((await escalationRow(id))!.history).toContain('123-456-7890');
  });

  describe('in the improvement plan', () => {
    const BIRCHWOOD = 'pkc-birchwood';
    const newAction = (over: Record<string, unknown> = {}) => ({
      homeId: BIRCHWOOD, theme: '3', description: 'IPC e-learning for all staff', outcome: 'All staff complete the IPC module',
      responsibleEmail: 'morag.reid@birchwood.example', responsibleName: '', due: '2026-12-10', ...over,
    });
    const invoke = (verb: string, data: Record<string, unknown>) => t.teams.invoke(t.user('iain.shaw@nhs.example'), support, verb, data);
    // the action and its log (the reminder flags and ETag move as 'this action is yours' is sent)
    const stored = async () => JSON.stringify((await t.host.ctx.actions.list(BIRCHWOOD)).map((s) => s.action));

    it('refuses one in a new action, and no action is stored', async () => {
      for (const bad of [{ description: 'For \uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14' }, { outcome: '010190 1234 gets care' }]) {
        const answer = await invoke('action.create', newAction(bad));
        expect(cardText(answer.body)).toContain(CHI_WHY);
      }
      expect(await t.host.ctx.actions.list(BIRCHWOOD)).toEqual([]);
    });

    it('refuses one in a progress comment, a reason and a completion, and the log is unchanged', async () => {
      expect(cardText((await invoke('action.create', newAction())).body)).toContain('3.1');
      await t.settle(); // "this action is yours" is sent and marked on the row first
      const before = await stored();
      const update = { homeId: BIRCHWOOD, actionNo: '3.1', comment_3_1: '', onTarget_3_1: 'true', due_3_1: '2026-12-10', reason_3_1: '' };
      for (const bad of [{ comment_3_1: 'Resident 010190\u00a01234 done' }, { due_3_1: '2026-12-20', reason_3_1: 'Waiting on 010.190.1234' }]) {
        const answer = await invoke('action.update', { ...update, ...bad });
        expect(cardText(answer.body)).toContain(CHI_WHY);
      }
      const complete = await invoke('action.complete', { homeId: BIRCHWOOD, actionNo: '3.1', achieved_3_1: 'Done for 010190\u20131234' });
      expect(cardText(complete.body)).toContain(CHI_WHY);
      expect(await stored()).toBe(before);
      const fine = await invoke('action.update', { ...update, comment_3_1: 'Trainer booked for 03/11/2025 14:00, call 123-456-7890' });
      expect(cardText(fine.body)).not.toContain(CHI_WHY);
      expect(await stored()).toContain('123-456-7890');
    });

    it('refuses one in a context line of the plan', async () => {
      const before = await t.host.ctx.plans.get(BIRCHWOOD);
      const details = { homeId: BIRCHWOOD, partnershipLead: 'Kirsty Moffat', registeredManager: 'Morag Reid', serviceType: 'Nursing', commencementDate: '2026-11-01', reviewDate: '', context_3: 'Complaint about 0101901234' };
      const answer = await invoke('plan.edit', details);
      expect(cardText(answer.body)).toContain(CHI_WHY);
      expect(await t.host.ctx.plans.get(BIRCHWOOD)).toEqual(before);
    });
  });
});

describe('the escalation history on its row', () => {
  it(`keeps the latest ${HISTORY_KEEP} entries on the row and every one in the audit table`, async () => {
    const id = await openFor('pkc-balhousie');
    const owners = ['iain.shaw@nhs.example', 'kirsty.moffat@nhs.example', 'david.ogilvie@council.example'];
    for (let i = 0; i < 30; i++) {
      const answer = await act('iain.shaw@nhs.example', 'assign', { escalationId: id, version: i + 1, owner: owners[i % 3] });
      expect(cardText(answer.body)).toMatch(/You have taken this on.|is now the owner./);
    }
    const row = (await escalationRow(id))!;
    expect(row.version).toBe(31);
    const history = JSON.parse(row.history!) as { note: string }[];
    expect(history).toHaveLength(HISTORY_KEEP);
    expect(history.at(-1)!.note).toBe(`owner ${owners[29 % 3]}`);
    expect(row.history!.length).toBeLessThan(32_000);
    expect((await t.host.ctx.audit.history('escalation', id)).filter((a) => a.action === 'assign')).toHaveLength(30);
  });
});

describe('the jobs key', () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${t.host.url}/api/jobs/retention`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  beforeAll(() => t.host.jobs.register('retention', async () => ({ job: 'retention', sent: 0, skipped: 0, failed: 0, details: [] })));

  it('limits wrong keys per client address (429 with Retry-After); the scheduler with the right key is never throttled', async () => {
    offsetMs = 0;
    const attacker = { 'x-forwarded-for': '203.0.113.7:50123, 10.0.0.4' };
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) statuses.push((await post({ ...attacker, authorization: `Bearer wrong-${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const blocked = await post({ ...attacker, authorization: `Bearer ${KEY}` });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('60');
    // the same address on another port is the same client
    expect((await post({ 'x-forwarded-for': '203.0.113.7:443', authorization: 'Bearer x' })).status).toBe(429);

    // the scheduler, from its own address, is never throttled
    for (let i = 0; i < 20; i++) expect((await post({ 'x-forwarded-for': '198.51.100.20', authorization: `Bearer ${KEY}` })).status).toBe(200);
    // nor is a caller without X-Forwarded-For (its socket address)
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${KEY}` })).status).toBe(200);

    offsetMs = 30_000;
    expect((await post({ ...attacker, authorization: 'Bearer x' })).headers.get('retry-after')).toBe('30');
    offsetMs = 60_000;
    expect((await post({ ...attacker, authorization: 'Bearer x' })).status).toBe(401);
    expect((await post({ ...attacker, authorization: `Bearer ${KEY}` })).status).toBe(200);
    offsetMs = 0;
  });
});

describe('conversation rows', () => {
  it('stores one row for a channel, however many of its threads mention the bot', async () => {
    const iain = t.user('iain.shaw@nhs.example');
    const team = channel('pkc-threads');
    for (let i = 0; i < 50; i++) await t.teams.message(iain, { ...team, id: `${team.id};messageid=17000000000${String(i).padStart(2, '0')}` }, 'help');
    const rows = (await rowsOf('conversations')).filter((r) => r.partitionKey === 'channel' && String(r.conversationId).startsWith(team.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].conversationId).toBe(team.id);
    expect(JSON.parse(String(rows[0].reference)).conversation.id).toBe(team.id);
    expect(JSON.parse(String(rows[0].reference)).activityId).toBeUndefined();
  });

  it('folds the rows once stored per thread into their channel at start', async () => {
    const prefix = t.host.ctx.config.TABLE_PREFIX!;
    const table = t.host.storage.table('conversations');
    const old = channel('pkc-old');
    const reference = (id: string) => JSON.stringify({ serviceUrl: t.connector.url, channelId: 'msteams', conversation: { id, conversationType: 'channel', tenantId: TENANT_ID }, bot: { id: BOT_ID }, activityId: 'x' });
    for (const [i, at] of ['2026-11-01T10:00:00.000Z', '2026-11-03T10:00:00.000Z', '2026-11-02T10:00:00.000Z'].entries()) {
      const id = `${old.id};messageid=${i}`;
      await table.createEntity({ partitionKey: 'channel', rowKey: encodeURIComponent(id.toLowerCase()), reference: reference(id), conversationId: id, teamId: old.teamId, updatedAt: at, stale: false });
    }
    const second = await startTestHost({ directory: null, env: { TABLE_PREFIX: prefix } });
    try {
      const rows = (await rowsOf('conversations')).filter((r) => String(r.conversationId).startsWith(old.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ partitionKey: 'channel', conversationId: old.id, updatedAt: '2026-11-03T10:00:00.000Z', teamId: old.teamId });
      expect(JSON.parse(String(rows[0].reference)).conversation.id).toBe(old.id);
      expect(await second.host.ctx.conversations.get('channel', old.id)).toBeDefined();
    } finally {
      await second.stop();
    }
  });
});

describe('malformed activities', () => {
  it.each([
    ['a number', '5'],
    ['an array', '[{"type":"message"}]'],
    ['a string', '"message"'],
    ['null', 'null'],
    ['a numeric type', '{"type":5}'],
    ['no type', '{"text":"help"}'],
    ['an empty type', '{"type":""}'],
    ['a conversation that is not an object', '{"type":"message","conversation":"19:x"}'],
    ['a conversation without an id', '{"type":"message","conversation":{}}'],
    ['from that is not an object', '{"type":"message","from":"someone"}'],
  ])('answers %s with 400 and a fixed body, and the bot does nothing', async (_what, body) => {
    await t.settle();
    t.connector.clear();
    const res = await fetch(`${t.host.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Not a Bot Framework activity.' });
    expect(t.connector.recorded).toEqual([]);
  });
});

describe('link area in private and shared channels', () => {
  /** A channel message mentioning the bot, in a thread, with the channel's membership type (and, shared, its host team). */
  const mention = (from: TeamsUser, conv: Conversation, text: string, channelData: Record<string, unknown>) => {
    const activity = t.teams.activity(from, { ...conv, id: `${conv.id};messageid=1700000000123` }, {
      type: 'message',
      text: `<at>Care Home Huddle</at> ${text}`,
      textFormat: 'plain',
      entities: [{ type: 'mention', text: '<at>Care Home Huddle</at>', mentioned: { id: BOT_ID, name: 'Care Home Huddle' } }],
    });
    activity.channelData = { ...(activity.channelData as object), ...channelData };
    return t.teams.post(activity);
  };

  it('links a private channel, and escalations are posted to the channel itself', async () => {
    const priv = channel('pkc-private');
    const iain = t.user('iain.shaw@nhs.example');
    await mention(iain, priv, 'link area pkc', { team: { id: priv.teamId }, channel: { id: priv.channelId, membershipType: 'private' } });
    expect(t.connector.textsTo(`${priv.id};messageid=1700000000123`).join(' ')).toContain('now the support channel for **Perth and Kinross**');
    const link = await t.host.ctx.areaLinks.get('pkc');
    expect(link).toMatchObject({ conversationId: priv.id });
    expect(link!.reference.conversation.id).toBe(priv.id);
    await t.settle();
    t.connector.clear();
    await openFor('pkc-tayview');
    await t.settle();
    expect(t.connector.cardsTo(priv.id).map((c) => JSON.stringify(c)).join(' ')).toContain('Escalation: Tayview Lodge');
  });

  it('links a shared channel (host team and tenant in channelData)', async () => {
    const shared: Conversation = { ...channel('dg-shared'), id: '19:dg-shared@thread.skype', channelId: '19:dg-shared@thread.skype' };
    const moira = t.user('moira.hendry@dg.example');
    await mention(moira, shared, 'link area dg', {
      team: { id: '19:host-team@thread.tacv2', aadGroupId: '00000000-0000-0000-0000-00000000d00d', tenantId: TENANT_ID },
      channel: { id: shared.id, membershipType: 'shared' },
    });
    expect(t.connector.textsTo(`${shared.id};messageid=1700000000123`).join(' ')).toContain('now the support channel for');
    const link = await t.host.ctx.areaLinks.get('dg');
    expect(link).toMatchObject({ conversationId: shared.id });
    await t.settle();
    t.connector.clear();
    await raiseFromHuddle(t.host.ctx, { areaId: 'dg', homeId: 'dg-solway', date: '2026-11-23', reasons: ['PPE supply is critical'], by: 'ruth.maxwell@solway.example' });
    await t.settle();
    expect(t.connector.cardsTo(shared.id)).toHaveLength(1);
  });

  it('still refuses link area in a 1:1 chat', async () => {
    const iain = t.user('iain.shaw@nhs.example');
    await t.teams.message(iain, personalChat(iain), 'link area pkc');
    expect(t.connector.textsTo(personalChat(iain).id).at(-1)).toContain('works in a team channel');
  });
});
