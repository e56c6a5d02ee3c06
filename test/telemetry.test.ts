/**
 * Telemetry (src/telemetry): off without APPLICATIONINSIGHTS_CONNECTION_STRING, on with it; the custom events the
 * real code paths emit reach an in-memory exporter (beside Azure Monitor's, which points at a closed port here)
 * carrying ids and codes only, never a name, an e-mail or free text.
 */
import { trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { raiseFromHuddle } from '../src/app/escalation-open';
import { deliver } from '../src/delivery/deliver';
import { safeProps, scrubUrl, startTelemetry, stopTelemetry, telemetryOn, track } from '../src/telemetry';
import { testRecipients } from './harness/recipients';
import { channel } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

// Azure Monitor's own usage counters (statsbeat) load a module dynamically, which jest's VM cannot.
process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
const CONNECTION = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/';
const exporter = new InMemoryLogRecordExporter();
const events = () => exporter.getFinishedLogRecords().map((r) => ({ name: String(r.attributes['microsoft.custom_event.name']), attributes: r.attributes }));

afterAll(() => stopTelemetry());

it('is off without the setting: nothing is registered and an event goes nowhere', () => {
  expect(startTelemetry({}, { logRecordProcessors: [new SimpleLogRecordProcessor(exporter)] })).toBe(false);
  expect(telemetryOn()).toBe(false);
  track('JOB.DONE', { job: 'daily-huddle', area: 'pkc' });
  expect(exporter.getFinishedLogRecords()).toEqual([]);
  // no tracer provider behind the API's proxy: requests and dependencies are not recorded
  expect((trace.getTracerProvider() as unknown as { getDelegate(): object }).getDelegate().constructor.name).toBe('NoopTracerProvider');
});

it('keeps ids, codes and counts and drops names, e-mails and sentences', () => {
  expect(
    safeProps({ area: 'pkc', escalation: 'esc-0b7c', code: 'ESCALATION.NO_CHANNEL', status: 404, sent: 0, why: 'Morag Reid said the PPE ran out', home: 'morag.reid@birchwood.example', ...({ name: 'Morag Reid', concern: 'x' } as object) }),
  ).toEqual({ area: 'pkc', escalation: 'esc-0b7c', code: 'ESCALATION.NO_CHANNEL', status: 404, sent: 0 });
  expect(scrubUrl("https://acct.table.core.windows.net/people(PartitionKey='person',RowKey='morag.reid%40birchwood.example')?$select=name")).toBe('https://acct.table.core.windows.net/people');
  expect(scrubUrl('/api/jobs/runs/1234?x=y')).toBe('/api/jobs');
});

describe('on with the setting', () => {
  let t: TestHost;
  beforeAll(async () => {
    expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }, { logRecordProcessors: [new SimpleLogRecordProcessor(exporter)] })).toBe(true);
    t = await startTestHost({ clock: () => new Date('2026-11-23T10:00:00Z') });
    for (const email of ['iain.shaw@nhs.example']) await t.teams.install(t.user(email));
    await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
  });
  afterAll(() => t.stop());

  it('sees escalation posted and not reachable, and a stale reference, from the code that does them; no free text', async () => {
    const by = 'sandeep.kaur@craigie.example';
    const posted = await raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId: 'pkc-craigie', date: '2026-11-23', reasons: ['PPE supply is critical'], by });
    const unlinked = await raiseFromHuddle(t.host.ctx, { areaId: 'dg', homeId: 'dg-solway', date: '2026-11-23', reasons: ['PPE supply is critical'], by });
    await t.settle();
    t.connector.fail({ status: 403, conversationId: 'tm-conv-0' });
    await deliver(t.host.ctx, { job: 'daily-huddle', area: 'pkc', date: '2026-11-23' }, testRecipients(t.connector.url, 2, 'tm'));

    const seen = events();
    expect(seen).toEqual(
      expect.arrayContaining([
        { name: 'ESCALATION.POSTED', attributes: expect.objectContaining({ area: 'pkc', escalation: posted.escalation.rowKey }) },
        { name: 'ESCALATION.NOT_REACHABLE', attributes: expect.objectContaining({ area: 'dg', escalation: unlinked.escalation.rowKey, code: 'ESCALATION.NOBODY_REACHED' }) },
        { name: 'REFERENCE.STALE', attributes: expect.objectContaining({ job: 'daily-huddle', area: 'pkc', status: 403 }) },
      ]),
    );
    for (const e of exporter.getFinishedLogRecords()) {
      expect(e.body).toMatch(/^[A-Z_.]+$/);
      for (const [k, v] of Object.entries(e.attributes)) if (!k.startsWith('_MS.')) expect(String(v)).toMatch(/^[A-Za-z0-9._:|%-]+$/);
      expect(JSON.stringify(e.attributes)).not.toMatch(/Craigie|Solway|PPE|sandeep|@/i);
    }
  });

  it('sends a poisoned delivery and job events through the same seam', () => {
    track('DELIVERY.POISONED', { job: 'daily-huddle', area: 'pkc', date: '2026-11-23', attempts: 6 });
    track('JOB.MISSED', { job: 'daily-summary', area: 'pkc', date: '2026-11-23', why: 'too-late-reported' });
    expect(events().slice(-2).map((e) => e.name)).toEqual(['DELIVERY.POISONED', 'JOB.MISSED']);
  });
});
