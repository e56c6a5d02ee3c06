/**
 * What the digest reads from Table storage, on rows written as the app writes them (the table modules'
 * own write methods, fed by the domain's parse/apply functions): scoped to the area's partition and the
 * fortnight, never the free-text concern, and nothing when the tables do not exist.
 */
import { assess, parseHuddle } from '../src/domain/huddle';
import type { Home } from '../src/domain/directory';
import { apply, parseAction, type Actor, type EscalationVerb } from '../src/domain/escalation';
import { completeAction, createAction } from '../src/domain/plan';
import { toEntity, toEscalation } from '../src/storage/escalations.table';
import { ActionsTable } from '../src/storage/actions.table';
import { AuditTable } from '../src/storage/audit.table';
import { Storage } from '../src/storage/client';
import { loadDigestSource } from '../src/storage/digest-source';
import { EscalationsTable } from '../src/storage/escalations.table';
import { HuddlesTable } from '../src/storage/huddles.table';
import { NotificationsTable } from '../src/storage/notifications.table';
import { uniquePrefix } from './harness/test-host';

const storageWith = () => new Storage({ connectionString: process.env.TEST_STORAGE_CONNECTION_STRING!, prefix: uniquePrefix() });
const query = { areaId: 'pkc', homeIds: ['pkc-birchwood', 'pkc-tayview'], from: '2026-11-09', to: '2026-11-22', since: '2026-11-09T00:00:00.000Z' };

async function tablesOf(storage: Storage) {
  await storage.ensureTables();
  return {
    huddles: new HuddlesTable(storage.table('huddles')),
    escalations: new EscalationsTable(storage.table('escalations')),
    audit: new AuditTable(storage.table('audit')),
    actions: new ActionsTable(storage.table('actions')),
    notifications: new NotificationsTable(storage.table('notifications')),
  };
}
type Tables = Awaited<ReturnType<typeof tablesOf>>;

const home = (id: string, area: string): Home => ({ id, area, name: id, registeredPlaces: 40, nursing: true });

/** A huddle answer as Teams sends it (every value a string), amber on staffing, with a free-text concern. */
const amberData = (concern: string): Record<string, unknown> => ({
  residents: '35', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'amber', shiftsUnfilled: '0', agencyShifts: '2',
  nurseCoverGap: 'true', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern,
});

/** Parses, assesses and saves an answer, as the huddle submit does. */
async function submit(t: Tables, area: string, date: string, homeId: string, changes: Record<string, unknown> = {}) {
  const parsed = parseHuddle({ ...amberData('PRIVATE words about a resident'), ...changes }, home(homeId, area));
  if (!parsed.ok) throw new Error(parsed.message);
  const { rag, reasons } = assess(parsed.value);
  return t.huddles.save({ areaId: area, homeId, date, answer: parsed.value, rag, reasons, answeredBy: 'morag.reid@birchwood.example', answeredAt: `${date}T09:40:00.000Z` });
}

const support: Actor = { email: 'iain.shaw@nhs.example', support: true, approver: true };

/** Opens an escalation as a red answer or a raised concern does (marker row and audit entry included). */
async function open(t: Tables, homeId: string, at: string, extra: { trigger?: 'huddle' | 'person'; concern?: string } = {}) {
  const opened = await t.escalations.openIfNone('pkc', {
    homeId, trigger: extra.trigger ?? 'huddle', openedAt: at, openedBy: 'morag.reid@birchwood.example', openedFor: at.slice(0, 10),
    reasons: '["Staffing is red"]', daysRed: 1, lastRedDate: at.slice(0, 10), ...(extra.concern ? { concern: extra.concern } : {}),
  });
  await t.audit.append({ entity: 'escalation', entityId: opened!.rowKey, action: 'open', by: 'morag.reid@birchwood.example', at: new Date(at), to: 'open' });
  return opened!.rowKey;
}

/** A support-team decision, as the escalation card's verb stores it: the new version, then its audit entry. */
async function act(t: Tables, id: string, verb: EscalationVerb, data: Record<string, unknown>, at: string) {
  const row = (await t.escalations.get('pkc', id))!;
  const input = parseAction(verb, { escalationId: id, version: row.version, ...data });
  if (!input.ok) throw new Error(input.message);
  // kirsty and iain are support members of pkc in the example directory: the owners the card offers
  // Four eyes: a decision is another approver's than the request's.
  const actor = verb === 'approve' || verb === 'reject' ? { ...support, email: 'helen.bruce@nhs.example' } : support;
  const next = apply(toEscalation(row), input.value, actor, new Date(at), (email) => ['kirsty.moffat@nhs.example', 'iain.shaw@nhs.example'].includes(email));
  if (!next.ok) throw new Error(next.message);
  await t.escalations.replace(toEntity(row, next.value, new Date(at)), row.etag!);
  const last = next.value.history.at(-1)!;
  await t.audit.append({ entity: 'escalation', entityId: id, action: last.action, by: actor.email, at: new Date(at), from: last.from, to: last.to, note: last.note });
}

describe('loadDigestSource', () => {
  it('reads only the area’s answers of the fortnight, the latest version of each, without the free-text concern', async () => {
    const storage = storageWith();
    const t = await tablesOf(storage);
    await submit(t, 'pkc', '2026-11-08', 'pkc-birchwood');
    await submit(t, 'pkc', '2026-11-09', 'pkc-birchwood', { agencyShifts: '1' });
    await submit(t, 'pkc', '2026-11-09', 'pkc-birchwood'); // amended: a second version, and a `v_` row beside it
    await submit(t, 'pkc', '2026-11-22', 'pkc-tayview');
    await submit(t, 'pkc', '2026-11-23', 'pkc-birchwood');
    await submit(t, 'dg', '2026-11-16', 'dg-solway');
    const stored = (await t.huddles.get('pkc', '2026-11-09', 'pkc-birchwood'))!;
    expect(stored.version).toBe(2);

    const source = await loadDigestSource(storage, query);
    expect(source.huddles.map((h) => `${h.date} ${h.homeId}`)).toEqual(['2026-11-09 pkc-birchwood', '2026-11-22 pkc-tayview']);
    expect(source.huddles[0]).toEqual({
      homeId: 'pkc-birchwood', date: '2026-11-09', rag: stored.rag, reasons: stored.reasons,
      residents: 35, bedsAvailable: 2, bedsClosed: 0, staffingRag: 'amber', shiftsUnfilled: 0, agencyShifts: 2, nurseCoverGap: true, outbreakStatus: 'none', careInspectorateNotified: false,
      newCasesResidents: 0, newCasesStaff: 0, fallsWithHarm: 0, newPressureUlcers: 0, deaths: 0, unexpectedDeaths: 0, protectionConcern: false,
    });
    expect(stored.answer.concern).toBe('PRIVATE words about a resident'); // it is stored, and still not read
    expect(JSON.stringify(source)).not.toContain('PRIVATE');
  });

  it('reads the Care Inspectorate notifications recorded for the fortnight’s answers, not who recorded them', async () => {
    const storage = storageWith();
    const t = await tablesOf(storage);
    const rec = (areaId: string, date: string, homeId: string, kind: 'death' | 'fall') => t.notifications.record({ areaId, homeId, date, kind, by: 'morag.reid@birchwood.example', at: `${date}T12:00:00.000Z`, via: 'card' });
    await rec('pkc', '2026-11-08', 'pkc-birchwood', 'death'); // before the fortnight
    await rec('pkc', '2026-11-09', 'pkc-birchwood', 'death');
    await rec('pkc', '2026-11-22', 'pkc-tayview', 'fall');
    await rec('pkc', '2026-11-23', 'pkc-tayview', 'fall'); // after it
    await rec('dg', '2026-11-16', 'dg-solway', 'death'); // another area
    const { notifications } = await loadDigestSource(storage, query);
    expect(notifications).toEqual([
      { homeId: 'pkc-birchwood', date: '2026-11-09', kind: 'death' },
      { homeId: 'pkc-tayview', date: '2026-11-22', kind: 'fall' },
    ]);
  });

  it('takes escalation changes from the row’s decision times, or else (an older row without them) from the audit log', async () => {
    const storage = storageWith();
    const t = await tablesOf(storage);
    const a = await open(t, 'pkc-birchwood', '2026-11-16T09:00:00.000Z');
    await act(t, a, 'assign', { owner: 'kirsty.moffat@nhs.example' }, '2026-11-16T11:00:00.000Z');
    await act(t, a, 'request', { pathway: 'adult-protection', rationale: 'Unexplained bruising' }, '2026-11-17T10:00:00.000Z');

    const b = await open(t, 'pkc-tayview', '2026-11-16T09:00:00.000Z');
    await act(t, b, 'assign', { owner: 'iain.shaw@nhs.example' }, '2026-11-16T10:00:00.000Z');
    await act(t, b, 'request', { pathway: 'care-inspectorate', rationale: 'Third red day' }, '2026-11-17T09:00:00.000Z');
    await act(t, b, 'reject', { reason: 'Support in place' }, '2026-11-18T09:00:00.000Z');

    // A row as the app wrote it before it kept decision times: state and owner moved, no time columns.
    const c = await open(t, 'pkc-craigie', '2026-11-10T09:00:00.000Z', { trigger: 'person', concern: 'PRIVATE concern text' });
    const row = (await t.escalations.get('pkc', c))!;
    await t.escalations.replace({ ...row, state: 'awaiting-approval', owner: 'iain.shaw@nhs.example', version: row.version + 1 }, row.etag!);
    await t.audit.append({ entity: 'escalation', entityId: c, action: 'request', by: support.email, at: new Date('2026-11-17T09:00:00Z'), from: 'open', to: 'awaiting-approval' });

    const { escalations } = await loadDigestSource(storage, query);
    const byHome = Object.fromEntries(escalations.map((e) => [e.homeId, e]));
    expect(Object.keys(byHome).sort()).toEqual(['pkc-birchwood', 'pkc-craigie', 'pkc-tayview']); // the `open_` marker rows are not escalations
    expect(byHome['pkc-birchwood']).toEqual({
      id: a, homeId: 'pkc-birchwood', state: 'escalated', openedAt: '2026-11-16T09:00:00.000Z', owner: 'kirsty.moffat@nhs.example', pathway: 'adult-protection',
      events: [{ from: 'awaiting-approval', to: 'escalated', at: '2026-11-17T10:00:00.000Z', pathway: 'adult-protection' }],
    });
    expect(byHome['pkc-tayview']).toEqual({
      id: b, homeId: 'pkc-tayview', state: 'local-support', openedAt: '2026-11-16T09:00:00.000Z', owner: 'iain.shaw@nhs.example', pathway: 'care-inspectorate',
      events: [{ from: 'awaiting-approval', to: 'local-support', at: '2026-11-18T09:00:00.000Z' }],
    });
    expect(byHome['pkc-craigie']).toEqual({
      id: c, homeId: 'pkc-craigie', state: 'awaiting-approval', openedAt: '2026-11-10T09:00:00.000Z', owner: 'iain.shaw@nhs.example',
      events: [{ from: 'open', to: 'awaiting-approval', at: '2026-11-17T09:00:00.000Z' }], // the audit's "open" entry is not a change
    });
    expect(JSON.stringify(escalations)).not.toContain('PRIVATE');
  });

  it('reads each home’s actions from its own partition, and nothing when the tables do not exist', async () => {
    const storage = storageWith();
    const t = await tablesOf(storage);
    const at = new Date('2026-11-10T10:00:00Z');
    const input = (theme: number, due: string) => ({ theme, description: 'Infection prevention e-learning', outcome: 'All staff complete it', responsible: { name: 'Morag Reid' }, due });
    const open21 = createAction({ homeId: 'pkc-birchwood', lastNo: {} }, input(2, '2026-12-01'), 'iain.shaw@nhs.example', at);
    await t.actions.insert(open21, at);
    const done61 = createAction({ homeId: 'pkc-birchwood', lastNo: {} }, input(6, '2026-11-30'), 'iain.shaw@nhs.example', at);
    const stored61 = await t.actions.insert(done61, at);
    const doneAt = new Date('2026-11-19T10:00:00Z');
    const completed = completeAction(done61, 'Done', 'iain.shaw@nhs.example', doneAt);
    if (!completed.ok) throw new Error(completed.message);
    await t.actions.replace(completed.value, stored61, doneAt);
    await t.actions.insert(createAction({ homeId: 'dg-solway', lastNo: {} }, input(1, '2026-12-01'), 'iain.shaw@nhs.example', at), at);

    expect((await loadDigestSource(storage, query)).actions).toEqual([
      { homeId: 'pkc-birchwood', theme: 2, number: '2.1', status: 'open', onTarget: true, dueDate: '2026-12-01' },
      { homeId: 'pkc-birchwood', theme: 6, number: '6.1', status: 'completed', onTarget: true, dueDate: '2026-11-30', completedAt: '2026-11-19T10:00:00.000Z' },
    ]);
    expect(await loadDigestSource(storageWith(), query)).toEqual({ huddles: [], escalations: [], actions: [], notifications: [] });
  });
});
