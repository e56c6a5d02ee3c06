/** The retention job: delivery copies and queues of occurrences older than 35 days go; records and recent ones stay. */
import { defaultDurableOptions } from '../src/delivery/durable';
import { deliver, deliveryOptions, type OccurrenceId } from '../src/delivery/deliver';
import { DELIVERY_RETENTION_DAYS } from '../src/jobs/retention';
import { occurrenceKey } from '../src/storage/deliveries.table';
import { personalChat } from './harness/teams-client';
import { testRecipients } from './harness/recipients';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'retention-test-jobs-key-0123456789ab';
const TODAY = '2026-11-23';
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ clock: () => new Date(`${TODAY}T02:30:00Z`), env: { JOBS_API_KEY: KEY } });
  deliveryOptions.current = { ...defaultDurableOptions(), visibilityMs: 2000, pollMs: 50, leaseMs: 2000 };
});
afterAll(() => t.stop());

const recipients = (count: number, prefix = 'c') => testRecipients(t.connector.url, count, prefix);
const job = async (body: object) => {
  const res = await fetch(`${t.host.url}/api/jobs/retention`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { sent: number; failed: number; details: { area: string; before: string; occurrencesRemoved: number; rowsRemoved: number }[] } };
};
const rowsOf = async (occ: OccurrenceId) => (await t.host.ctx.deliveries.all(occurrenceKey(occ))).length;
const queueExists = (occ: OccurrenceId) => t.host.ctx.queues.of(occ).exists();

it(`removes the delivery rows and queues of occurrences over ${DELIVERY_RETENTION_DAYS} days old, area by area, and keeps the rest and every record`, async () => {
  const oldPkc: OccurrenceId = { job: 'daily-huddle', area: 'pkc', date: '2026-10-01' };
  const edge: OccurrenceId = { job: 'daily-huddle', area: 'pkc', date: '2026-10-19' }; // exactly 35 days before: kept
  const recent: OccurrenceId = { job: 'huddle-reminder', area: 'pkc', date: '2026-11-20' };
  const oldDg: OccurrenceId = { job: 'daily-summary', area: 'dg', date: '2026-09-30' };
  for (const [occ, n, prefix] of [[oldPkc, 150, 'a'], [edge, 3, 'b'], [recent, 3, 'c'], [oldDg, 2, 'd']] as const) {
    expect((await deliver(t.host.ctx, occ, recipients(n, prefix))).sent).toBe(n);
  }
  // a record that must stay: Morag's answer for the old date
  const morag = t.user('morag.reid@birchwood.example');
  await t.teams.install(morag);
  const answer = {
    homeId: 'pkc-birchwood', date: '2026-11-20', residents: '30', bedsAvailable: '1', bedsClosed: '0', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '0', nurseCoverGap: 'false',
    outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', ppeSupply: 'good', fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0',
    hospitalAdmissions: '0', hospitalDischarges: '0', visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
  };
  expect(JSON.stringify((await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', answer)).body)).toContain('Saved. Thank you.');

  const pkc = await job({ area: 'pkc' });
  expect(pkc.status).toBe(200);
  expect(pkc.body).toMatchObject({ sent: 0, failed: 0, details: [{ area: 'pkc', before: '2026-10-19', occurrencesRemoved: 1, rowsRemoved: 151 }] });
  expect(await rowsOf(oldPkc)).toBe(0);
  expect(await t.host.ctx.deliveries.lease(occurrenceKey(oldPkc))).toBeUndefined();
  expect(await queueExists(oldPkc)).toBe(false);
  expect([await rowsOf(edge), await rowsOf(recent), await rowsOf(oldDg)]).toEqual([3, 3, 2]);
  expect([await queueExists(edge), await queueExists(recent), await queueExists(oldDg)]).toEqual([true, true, true]);
  expect((await t.host.ctx.huddles.versions('pkc', '2026-11-20', 'pkc-birchwood')).length).toBe(1);

  // every area, and a second run finds nothing more
  const all = await job({});
  expect(all.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ area: 'dg', occurrencesRemoved: 1 }), expect.objectContaining({ area: 'pkc', occurrencesRemoved: 0 })]));
  expect(await rowsOf(oldDg)).toBe(0);
  expect((await job({})).body.details.every((d) => d.occurrencesRemoved === 0)).toBe(true);

  // a re-run of a kept occurrence still sends nothing twice
  t.connector.clear();
  expect((await deliver(t.host.ctx, recent, recipients(3, 'c'))).sent).toBe(3);
  expect(t.connector.recorded).toHaveLength(0);
}, 60_000);
