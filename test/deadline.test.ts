/** §8: with Table storage stalled, every card verb answers within 5 s with a true card; a resubmission after "could not confirm" makes no second version. */
import { raiseFromHuddle } from '../src/app/escalation-open';
import { TURN_LATE } from '../src/teams/app';
import { MAX_CARD_ACTION_WAIT_MS, MAX_CARD_ACTIONS_IN_FLIGHT, TURN_DEADLINE_MS } from '../src/teams/index';
import { VERBS } from '../src/teams/verbs';
import { StallProxy, throughProxy } from './harness/stall-proxy';
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const DATE = '2026-11-23';
let t: TestHost;
let proxy: StallProxy;
const support = channel('pkc-deadline');
const MANAGER = 'morag.reid@birchwood.example';
const SUPPORT = 'iain.shaw@nhs.example';
const text = (body: unknown) => JSON.stringify(body);
const green = (homeId: string, residents = '20'): Record<string, unknown> => ({
  homeId, date: DATE, residents, bedsAvailable: '1', bedsClosed: '0', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '0', nurseCoverGap: 'false',
  outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', ppeSupply: 'good', fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0',
  unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0', visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
});
let escalationId = '';

beforeAll(async () => {
  const cs = process.env.TEST_STORAGE_CONNECTION_STRING!;
  const tablePort = Number(process.env.TEST_AZURITE_TABLE_PORT);
  proxy = await new StallProxy(tablePort).start();
  t = await startTestHost({ clock: () => new Date(`${DATE}T09:40:00Z`), env: { STORAGE_CONNECTION_STRING: throughProxy(cs, tablePort, proxy.port) } });
  for (const email of [MANAGER, SUPPORT, 'sandeep.kaur@craigie.example']) await t.teams.install(t.user(email));
  await t.teams.message(t.user(SUPPORT), support, 'link area pkc');
  escalationId = (await raiseFromHuddle(t.host.ctx, { areaId: 'pkc', homeId: 'pkc-craigie', date: DATE, reasons: ['PPE supply is critical'], by: 'sandeep.kaur@craigie.example' })).escalation.rowKey;
  await t.settle();
}, 60000);
afterAll(async () => {
  proxy.release();
  await t.stop();
  await proxy.stop();
});
afterEach(() => proxy.release());

/** What each verb's card would send, plausibly. */
const dataFor = (verb: string): { who: string; conv: 'personal' | 'support'; data: Record<string, unknown> } => {
  if (verb.startsWith('huddle.')) return { who: MANAGER, conv: 'personal', data: green('pkc-birchwood') };
  if (verb === 'escalation.raise') return { who: MANAGER, conv: 'personal', data: { homeId: 'pkc-birchwood', concern: 'Two night staff off sick', protection: 'false', submitted: 'true' } };
  if (verb.startsWith('escalation.')) return { who: SUPPORT, conv: 'support', data: { escalationId, version: 1, owner: SUPPORT, note: 'n', pathway: 'care-inspectorate', rationale: 'r', reason: 'r', outcome: 'o', externalRef: 'x' } };
  return { who: SUPPORT, conv: 'support', data: { homeId: 'pkc-birchwood', theme: '3', description: 'IPC e-learning', outcome: 'All staff trained', responsibleEmail: MANAGER, responsibleName: '', due: '2026-12-10', actionNo: '3.1', comment_2_1: 'c', partnershipLead: 'x' } };
};

it('answers every verb within 5 s with a true card while storage holds every request', async () => {
  await t.host.ctx.directory.view(); // the copy in hand, as a running server has it
  proxy.hold('all');
  const answers = await Promise.all(
    Object.keys(VERBS).map(async (verb) => {
      const { who, conv, data } = dataFor(verb);
      const u = t.user(who);
      const started = Date.now();
      const r = await t.teams.invoke(u, conv === 'personal' ? personalChat(u) : support, verb, data);
      return { verb, ms: Date.now() - started, status: r.status, body: r.body };
    }),
  );
  for (const a of answers) {
    expect({ verb: a.verb, status: a.status }).toEqual({ verb: a.verb, status: 200 });
    expect({ verb: a.verb, fast: a.ms < 5000 }).toEqual({ verb: a.verb, fast: true });
    expect(a.body?.value?.type).toBe('AdaptiveCard');
    // Nothing reached storage: no card may say it was done.
    expect(text(a.body)).not.toMatch(/Saved\. Thank you|Amended\.|You have taken this on|Sent to the support team/);
    expect(text(a.body)).toMatch(/Not saved|Not confirmed|could not confirm|nothing was changed|Not changed|Not sent|try again/i);
  }
  proxy.release();
  // A first answer for today is one write (nothing read first): it was sent and held, so the manager was told it
  // could not be confirmed; released, it is stored once.
  expect(text(answers.find((a) => a.verb === 'huddle.submit')!.body)).toContain('I could not confirm this was saved');
  const until = Date.now() + 5000;
  while (!(await t.host.ctx.huddles.get('pkc', DATE, 'pkc-birchwood')) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(await t.host.ctx.huddles.versions('pkc', DATE, 'pkc-birchwood')).toHaveLength(1);
}, 60000);

it('says "could not confirm" when a write was sent and not answered, and the same answer again makes no second version', async () => {
  const u = t.user('graham.doig@kinnoull.example');
  await t.teams.install(u);
  await t.host.ctx.directory.view();
  proxy.hold('writes');
  const started = Date.now();
  const first = await t.teams.invoke(u, personalChat(u), 'huddle.submit', green('pkc-kinnoull', '31'));
  expect(Date.now() - started).toBeLessThan(5000);
  expect(first.status).toBe(200);
  expect(text(first.body)).toContain('I could not confirm this was saved: check the card in a minute or submit again');
  proxy.release();
  // The write was on the wire: it arrives now.
  const until = Date.now() + 5000;
  while (!(await t.host.ctx.huddles.get('pkc', DATE, 'pkc-kinnoull')) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect((await t.host.ctx.huddles.get('pkc', DATE, 'pkc-kinnoull'))?.version).toBe(1);
  const again = await t.teams.invoke(u, personalChat(u), 'huddle.submit', green('pkc-kinnoull', '31'));
  expect(text(again.body)).toContain('Saved. Thank you.');
  expect(await t.host.ctx.huddles.versions('pkc', DATE, 'pkc-kinnoull')).toHaveLength(1);
  expect((await t.host.ctx.huddles.get('pkc', DATE, 'pkc-kinnoull'))?.version).toBe(1);
}, 60000);

it('answers a typed command within its deadline with a true message while storage holds every request, and works again once it is back', async () => {
  const u = t.user(MANAGER);
  await t.host.ctx.directory.view();
  proxy.hold('all');
  const started = Date.now();
  const r = await t.teams.message(u, personalChat(u), 'huddle');
  const ms = Date.now() - started;
  expect(r.status).toBe(200);
  expect(ms).toBeLessThan(TURN_DEADLINE_MS + 2000);
  await t.connector.waitFor(() => t.connector.textsTo(personalChat(u).id).includes(TURN_LATE));
  expect(t.connector.cardsTo(personalChat(u).id).filter((c) => JSON.stringify(c).includes('Daily safety huddle'))).toHaveLength(0);
  proxy.release();
  const before = t.connector.cardsTo(personalChat(u).id).length;
  await t.teams.message(u, personalChat(u), 'huddle');
  await t.connector.waitFor(() => t.connector.cardsTo(personalChat(u).id).length > before);
}, 60000);

/** With storage held, `extra` more card actions than an instance runs at once, each answer with its time from the start. */
async function moreThanFit(extra: number): Promise<{ answers: Promise<{ r: Awaited<ReturnType<TestHost['teams']['invoke']>>; ms: number }[]> }> {
  const u = t.user(MANAGER);
  await t.host.ctx.directory.view();
  proxy.hold('all');
  const started = Date.now();
  const answers = Promise.all(
    Array.from({ length: MAX_CARD_ACTIONS_IN_FLIGHT + extra }, () =>
      t.teams.invoke(u, personalChat(u), 'huddle.open', { homeId: 'pkc-birchwood', date: DATE }).then((r) => ({ r, ms: Date.now() - started })),
    ),
  );
  return { answers };
}

it('sheds load: beyond the card actions in flight it can carry, one that waits too long is answered with a true card, nothing read or written', async () => {
  const extra = 6;
  const answers = await (await moreThanFit(extra)).answers;
  const shed = answers.filter((a) => text(a.r.body).includes('Many people are answering at this moment'));
  expect(shed).toHaveLength(extra);
  // the ones that found no room waited their turn, then were answered well inside Teams' 5 s
  for (const a of shed) expect(a.ms).toBeGreaterThanOrEqual(MAX_CARD_ACTION_WAIT_MS - 50);
  for (const a of shed) expect(a.ms).toBeLessThan(MAX_CARD_ACTION_WAIT_MS + 1000);
  for (const a of answers) {
    expect(a.r.status).toBe(200);
    expect(a.ms).toBeLessThan(5000);
    expect(text(a.r.body)).toMatch(/Nothing was changed|nothing was changed|Not saved|try again/i);
  }
}, 60000);

it('starts the card actions that found no room as the ones in flight finish: none is told "busy" when storage is back within the wait', async () => {
  const { answers: pending } = await moreThanFit(6);
  // the first ones are held in storage, the rest wait on this instance; then storage answers again
  await new Promise((r) => setTimeout(r, 300));
  proxy.release();
  const answers = await pending;
  for (const { r } of answers) {
    expect(r.status).toBe(200);
    expect(text(r.body)).not.toContain('Many people are answering at this moment');
    expect(text(r.body)).toContain('Daily safety huddle');
  }
}, 60000);
