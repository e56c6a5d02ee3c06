/**
 * Tenant isolation (§2): an activity from another tenant is refused before anything is looked up or
 * stored; a shared-channel member from another tenant is nobody in the directory.
 */
import { PERSON_PK, personKey } from '../src/storage/people.table';
import { channel, personalChat, TENANT_ID, type Conversation, type TeamsUser } from './harness/teams-client';
import { allRows, startTestHost, type TestHost } from './harness/test-host';

const OTHER_TENANT = '9f0e1d2c-0000-0000-0000-00000000beef';
const LEAD = 'iain.shaw@nhs.example';
let t: TestHost;

beforeAll(async () => {
  t = await startTestHost({ env: { ALLOWED_TENANTS: ` ${TENANT_ID.toUpperCase()} , another-tenant-id ` } });
});
afterAll(() => t.stop());
beforeEach(() => t.connector.clear());

/** Someone else's account carrying the lead's e-mail on its roster entry. */
const impostor = (suffix: string, tenantId: string): TeamsUser => {
  const u = { id: `29:impostor-${suffix}`, name: 'Iain Shaw', aadObjectId: `0badc0de-0000-0000-0000-${suffix.padStart(12, '0')}`, email: LEAD };
  t.connector.addMember({ id: u.id, name: u.name, aadObjectId: u.aadObjectId, email: LEAD, userPrincipalName: LEAD, tenantId });
  return u;
};

/** An activity as Teams would send it from another organisation's tenant. */
const fromTenant = (activity: Record<string, unknown>, tenantId: string, where: 'both' | 'conversation' | 'channelData' = 'both') => {
  const conversation = activity.conversation as Conversation;
  const channelData = activity.channelData as { tenant: { id: string } };
  return {
    ...activity,
    conversation: where === 'channelData' ? conversation : { ...conversation, tenantId },
    channelData: where === 'conversation' ? channelData : { ...channelData, tenant: { id: tenantId } },
  };
};

const learnedId = async (email: string) => (await t.host.storage.table('people').getEntity<{ learnedObjectId?: string }>(PERSON_PK, personKey(email))).learnedObjectId;

describe('an activity from another tenant', () => {
  it('is ignored when it is a message: no answer, no roster call, no row written (link area)', async () => {
    const attacker = impostor('1', OTHER_TENANT);
    const room = channel('attackers-room');
    const before = await allRows(t);
    const answer = await t.teams.post(fromTenant(t.teams.activity(attacker, room, { type: 'message', text: '<at>Care Home Huddle</at> link area pkc', entities: [] }), OTHER_TENANT));
    expect(answer.status).toBe(200);
    expect(t.connector.recorded).toEqual([]);
    expect(t.connector.rosterCalls).toEqual([]);
    expect(await allRows(t)).toEqual(before);
    expect(await t.host.ctx.areaLinks.get('pkc')).toBeUndefined();
    expect(await learnedId(LEAD)).toBeUndefined();
  });

  it('is refused when only one of the two places names another tenant', async () => {
    const attacker = impostor('2', OTHER_TENANT);
    const before = await allRows(t);
    for (const where of ['conversation', 'channelData'] as const) {
      const answer = await t.teams.post(fromTenant(t.teams.activity(attacker, personalChat(attacker), { type: 'message', text: 'help' }), OTHER_TENANT, where));
      expect(answer.status).toBe(200);
    }
    const none = t.teams.activity(attacker, personalChat(attacker), { type: 'message', text: 'help' });
    await t.teams.post({ ...none, conversation: { ...(none.conversation as object), tenantId: undefined }, channelData: {} });
    expect(t.connector.recorded).toEqual([]);
    expect(t.connector.rosterCalls).toEqual([]);
    expect(await allRows(t)).toEqual(before);
  });

  it('gets an error card for a card action, and nothing changes', async () => {
    const attacker = impostor('3', OTHER_TENANT);
    const before = await allRows(t);
    const invoke = t.teams.activity(attacker, personalChat(attacker), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'huddle.submit', data: { homeId: 'pkc-birchwood', date: '2026-11-23' } }, trigger: 'manual' },
    });
    const answer = await t.teams.post(fromTenant(invoke, OTHER_TENANT));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard', version: '1.5' } });
    expect(JSON.stringify(answer.body.value)).toContain("can't be used from this organisation. Nothing was changed.");
    expect(t.connector.recorded).toEqual([]);
    expect(t.connector.rosterCalls).toEqual([]);
    expect(await allRows(t)).toEqual(before);
  });

  it('is accepted from a second allowed tenant (the list is comma separated, any case)', async () => {
    const guest = { id: '29:second-tenant-user', name: 'Someone', aadObjectId: 'a1a1a1a1-0000-0000-0000-000000000001', email: 'someone@second.example' };
    const answer = await t.teams.post(fromTenant(t.teams.activity(guest, personalChat(guest), { type: 'message', text: 'help' }), 'Another-Tenant-Id'));
    expect(answer.status).toBe(200);
    await t.connector.waitFor(() => t.connector.to(personalChat(guest).id).length > 0);
    expect(t.connector.textsTo(personalChat(guest).id)[0]).toContain("can't find you in the Care Home Huddle directory");
  });
});

describe('a shared channel of our tenant', () => {
  it('does not match a member of another tenant to the directory, even with a directory e-mail', async () => {
    const outsider = impostor('4', OTHER_TENANT);
    const room = channel('shared-support');
    const answer = await t.teams.message(outsider, room, 'link area pkc');
    expect(answer.status).toBe(200);
    await t.connector.waitFor(() => t.connector.to(room.id).length > 0);
    expect(t.connector.textsTo(room.id)[0]).toContain("can't find you in the Care Home Huddle directory");
    expect(t.connector.rosterCalls.length).toBe(1);
    expect(await t.host.ctx.areaLinks.get('pkc')).toBeUndefined();
    expect(await learnedId(LEAD)).toBeUndefined();
  });

  it('still matches our own member by e-mail the first time, and links the channel', async () => {
    const lead = t.user(LEAD);
    const room = channel('shared-support');
    await t.teams.message(lead, room, 'link area pkc');
    await t.connector.waitFor(() => t.connector.to(room.id).length > 0);
    expect(t.connector.textsTo(room.id)[0]).toContain('This channel is now the support channel for **Perth and Kinross**');
    expect((await t.host.ctx.areaLinks.get('pkc'))?.conversationId).toBe(room.id);
    expect(await learnedId(LEAD)).toBe(lead.aadObjectId);
  });
});

describe('with authentication off and no ALLOWED_TENANTS (local use)', () => {
  it('accepts any tenant', async () => {
    const local = await startTestHost();
    try {
      const morag = local.user('morag.reid@birchwood.example');
      const answer = await local.teams.post(fromTenant(local.teams.activity(morag, personalChat(morag), { type: 'message', text: 'help' }), OTHER_TENANT));
      expect(answer.status).toBe(200);
      await local.connector.waitFor(() => local.connector.to(personalChat(morag).id).length > 0);
      expect(local.host.ctx.config.allowedTenants).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});
