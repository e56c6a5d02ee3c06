/** What the digest reads from Table storage: scoped to the area's partition and the fortnight, tolerant of absent tables and columns. */
import { Storage } from '../src/storage/client';
import { AuditTable } from '../src/storage/audit.table';
import { loadDigestSource } from '../src/storage/digest-source';
import { uniquePrefix } from './harness/test-host';

const storageWith = () => new Storage({ connectionString: process.env.TEST_STORAGE_CONNECTION_STRING!, prefix: uniquePrefix() });
const query = { areaId: 'pkc', homeIds: ['pkc-birchwood', 'pkc-tayview'], from: '2026-11-09', to: '2026-11-22', since: '2026-11-09T00:00:00.000Z' };
const answer = (area: string, date: string, homeId: string, extra: Record<string, unknown> = {}) => ({
  partitionKey: area, rowKey: `${date}_${homeId}`, homeId, date, rag: 'amber', reasons: '["Staffing is stretched"]', agencyShifts: 2, nurseCoverGap: true, concern: 'PRIVATE', ...extra,
});

describe('loadDigestSource', () => {
  it('reads only the area’s answers of the fortnight, without the free-text concern', async () => {
    const storage = storageWith();
    await storage.ensureTables();
    const huddles = storage.table('huddles');
    for (const e of [
      answer('pkc', '2026-11-08', 'pkc-birchwood'),
      answer('pkc', '2026-11-09', 'pkc-birchwood'),
      answer('pkc', '2026-11-22', 'pkc-tayview'),
      answer('pkc', '2026-11-23', 'pkc-birchwood'),
      answer('dg', '2026-11-16', 'dg-solway'),
      answer('pkc', '2026-11-16', 'pkc-birchwood', { rag: 'purple' }), // not a RAG: ignored
    ])
      await huddles.createEntity(e);
    const source = await loadDigestSource(storage, query);
    expect(source.huddles.map((h) => `${h.date} ${h.homeId}`)).toEqual(['2026-11-09 pkc-birchwood', '2026-11-22 pkc-tayview']);
    expect(source.huddles[0]).toEqual({ homeId: 'pkc-birchwood', date: '2026-11-09', rag: 'amber', reasons: ['Staffing is stretched'], agencyShifts: 2, nurseCoverGap: true });
    expect(JSON.stringify(source)).not.toContain('PRIVATE');
  });

  it('takes escalation changes from the row’s own times, or else from the audit log', async () => {
    const storage = storageWith();
    await storage.ensureTables();
    const esc = storage.table('escalations');
    const base = { partitionKey: 'pkc', trigger: 'huddle', openedFor: '2026-11-16', daysRed: 1, version: 3 };
    await esc.createEntity({ ...base, rowKey: 'esc-a', homeId: 'pkc-birchwood', state: 'escalated', openedAt: '2026-11-16T09:00:00.000Z', pathway: 'adult-protection', decidedAt: '2026-11-17T10:00:00.000Z', owner: 'kirsty.moffat@nhs.example' });
    await esc.createEntity({ ...base, rowKey: 'esc-b', homeId: 'pkc-tayview', state: 'local-support', openedAt: '2026-11-16T09:00:00.000Z' });
    await esc.createEntity({ partitionKey: 'pkc', rowKey: 'open_pkc-birchwood', escalationId: 'esc-a' }); // the marker row is not an escalation
    const audit = new AuditTable(storage.table('audit'));
    await audit.append({ entity: 'escalation', entityId: 'esc-b', action: 'request', by: 'iain.shaw@nhs.example', at: new Date('2026-11-17T09:00:00Z'), from: 'open', to: 'awaiting-approval' });
    await audit.append({ entity: 'escalation', entityId: 'esc-b', action: 'reject', by: 'helen.bruce@nhs.example', at: new Date('2026-11-18T09:00:00Z'), from: 'awaiting-approval', to: 'local-support' });
    const { escalations } = await loadDigestSource(storage, query);
    expect(escalations).toEqual([
      { id: 'esc-a', homeId: 'pkc-birchwood', state: 'escalated', openedAt: '2026-11-16T09:00:00.000Z', owner: 'kirsty.moffat@nhs.example', pathway: 'adult-protection', events: [{ from: 'awaiting-approval', to: 'escalated', at: '2026-11-17T10:00:00.000Z', pathway: 'adult-protection' }] },
      {
        id: 'esc-b', homeId: 'pkc-tayview', state: 'local-support', openedAt: '2026-11-16T09:00:00.000Z',
        events: [
          { from: 'open', to: 'awaiting-approval', at: '2026-11-17T09:00:00.000Z' },
          { from: 'awaiting-approval', to: 'local-support', at: '2026-11-18T09:00:00.000Z' },
        ],
      },
    ]);
  });

  it('reads each home’s actions from its own partition, ignoring other rows, and nothing when the tables do not exist', async () => {
    const storage = storageWith();
    await storage.ensureTables();
    const actions = storage.table('actions');
    await actions.createEntity({ partitionKey: 'pkc-birchwood', rowKey: 'plan', partnershipLead: 'Iain Shaw' });
    await actions.createEntity({ partitionKey: 'pkc-birchwood', rowKey: '2.1', theme: 2, number: '2.1', status: 'open', onTarget: false, dueDate: '2026-12-01' });
    await actions.createEntity({ partitionKey: 'dg-solway', rowKey: '1.1', theme: 1, number: '1.1', status: 'open', onTarget: true, dueDate: '2026-12-01' });
    expect((await loadDigestSource(storage, query)).actions).toEqual([{ homeId: 'pkc-birchwood', theme: 2, number: '2.1', status: 'open', onTarget: false, dueDate: '2026-12-01' }]);
    expect(await loadDigestSource(storageWith(), query)).toEqual({ huddles: [], escalations: [], actions: [] });
  });
});
