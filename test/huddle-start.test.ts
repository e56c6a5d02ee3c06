/**
 * The two-minute card (§3, issue 21): a new card starts event counts at 0 and residents and beds from the
 * home's last answer of the week before; sent as it came with the four status questions answered, it is saved.
 * People are shown by name, retired people too.
 */
import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'jobs-key-for-the-huddle-start-tests-0001';
const DATE = '2026-11-24'; // a Tuesday
let now = new Date(`${DATE}T09:30:00Z`);
let t: TestHost;

const job = async (name: string, body: object) => {
  const res = await fetch(`${t.host.url}/api/jobs/${name}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as any;
};

/** Every input of a card with the value it came with, and the submit action's data: what Teams sends for an untouched card. */
function asItCame(card: any): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const walk = (n: any): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.value !== undefined && n.value !== '') values[n.id] = n.value;
      Object.values(n).forEach(walk);
    }
  };
  walk(card.body);
  return { ...values, ...card.actions.find((a: any) => a.verb === 'huddle.submit').data };
}
const input = (card: any, id: string): any => {
  let found: any;
  const walk = (n: any): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (n.id === id && String(n.type).startsWith('Input.')) found = n;
      Object.values(n).forEach(walk);
    }
  };
  walk(card.body);
  return found;
};
const FOUR = { staffingRag: 'green', outbreakStatus: 'none', ppeSupply: 'good', visiting: 'open' };
const answer = (homeId: string, date: string, extra: Record<string, string> = {}): Record<string, unknown> => ({
  homeId, date, residents: '33', bedsAvailable: '3', bedsClosed: '1', bedsClosedReason: 'environment', shiftsUnfilled: '2', agencyShifts: '5',
  nurseCoverGap: 'false', newCasesResidents: '1', newCasesStaff: '0', careInspectorateNotified: '', fallsWithHarm: '1', newPressureUlcers: '0',
  deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '1', hospitalDischarges: '0', protectionConcern: 'false', supportNeeded: '', concern: '', ...FOUR, ...extra,
});

beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
  for (const email of ['graham.doig@kinnoull.example', 'fiona.lamb@balhousie.example', 'alexw@contoso.example', 'morag.reid@birchwood.example']) await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
});
afterAll(() => t.stop());

describe('a new huddle card', () => {
  const graham = () => t.user('graham.doig@kinnoull.example');

  it("starts residents and beds from Monday's answer and the counts at 0, and asks the four status questions afresh", async () => {
    now = new Date('2026-11-23T09:35:00Z');
    const monday = await t.teams.invoke(graham(), personalChat(graham()), 'huddle.submit', answer('pkc-kinnoull', '2026-11-23'));
    expect(JSON.stringify(monday.body)).toContain('Saved. Thank you.');

    now = new Date(`${DATE}T09:30:00Z`);
    t.connector.clear();
    expect(await job('daily-huddle', { area: 'pkc', date: DATE })).toMatchObject({ failed: 0 });
    const card = t.connector.cardsTo(personalChat(graham()).id).find((c: any) => JSON.stringify(c).includes('Kinnoull Court'));
    expect(card).toBeDefined();
    expect(input(card, 'residents')).toMatchObject({ value: '33', label: expect.stringContaining('(as on Monday)') });
    expect(input(card, 'bedsAvailable').value).toBe('3');
    expect(input(card, 'bedsClosed').value).toBe('1');
    expect(input(card, 'bedsClosedReason').value).toBe('environment');
    for (const id of ['shiftsUnfilled', 'agencyShifts', 'newCasesResidents', 'newCasesStaff', 'fallsWithHarm', 'newPressureUlcers', 'deaths', 'unexpectedDeaths', 'hospitalAdmissions', 'hospitalDischarges']) {
      expect({ id, value: input(card, id).value, placeholder: input(card, id).placeholder }).toEqual({ id, value: '0', placeholder: undefined });
    }
    for (const id of Object.keys(FOUR)) expect({ id, value: input(card, id).value }).toEqual({ id, value: '' });
  });

  it('is saved as it came with the four status questions answered', async () => {
    const card = t.connector.cardsTo(personalChat(graham()).id).find((c: any) => JSON.stringify(c).includes('Kinnoull Court'));
    const untouched = await t.teams.invoke(graham(), personalChat(graham()), 'huddle.submit', asItCame(card));
    // Without the four: only those four are asked for, not fifteen numbers.
    expect(untouched.body.value.body.filter((b: any) => JSON.stringify(b).includes('Problem:'))).toHaveLength(4);
    const saved = await t.teams.invoke(graham(), personalChat(graham()), 'huddle.submit', { ...asItCame(card), ...FOUR });
    const text = JSON.stringify(saved.body);
    expect(text).toContain('Saved. Thank you.');
    expect(text).toContain('Answered by Graham Doig at 09:30.');
    expect(await t.host.ctx.huddles.get('pkc', DATE, 'pkc-kinnoull')).toMatchObject({ answer: { residents: 33, bedsClosed: 1, bedsClosedReason: 'environment', fallsWithHarm: 0, agencyShifts: 0 } });
    expect(await t.host.ctx.huddles.lastAnswer('pkc', 'pkc-kinnoull')).toMatchObject({ date: DATE, residents: 33 });
  });

  it('amending an earlier day leaves the last answer where it was', async () => {
    const amend = await t.teams.invoke(graham(), personalChat(graham()), 'huddle.submit', answer('pkc-kinnoull', '2026-11-23', { residents: '30' }));
    expect(JSON.stringify(amend.body)).toContain('Amended. Thank you.');
    expect(await t.host.ctx.huddles.lastAnswer('pkc', 'pkc-kinnoull')).toMatchObject({ date: DATE, residents: 33 });
  });

  it('does not start from an answer more than 7 days old', async () => {
    const fiona = t.user('fiona.lamb@balhousie.example');
    now = new Date('2026-11-16T09:35:00Z');
    await t.teams.invoke(fiona, personalChat(fiona), 'huddle.submit', answer('pkc-balhousie', '2026-11-16', { residents: '20' }));
    now = new Date(`${DATE}T09:31:00Z`);
    t.connector.clear();
    await t.teams.message(fiona, personalChat(fiona), 'huddle');
    const [card] = t.connector.cardsTo(personalChat(fiona).id);
    expect(input(card, 'residents').value).toBe('');
    expect(input(card, 'residents').label).not.toContain('as on');
    expect(input(card, 'bedsClosed').value).toBe('0');
    expect(input(card, 'fallsWithHarm').value).toBe('0');
  });
});

describe('names, not e-mail addresses', () => {
  it('shows who answered by name, after they have left the directory too', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    now = new Date(`${DATE}T08:41:00Z`);
    await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', answer('pkc-birchwood', DATE));
    await t.host.ctx.directory.importDirectory({ ...t.directory, people: t.directory.people.filter((p) => p.email !== 'morag.reid@birchwood.example') });
    const alex = t.user('alexw@contoso.example');
    const card = await t.teams.invoke(alex, personalChat(alex), 'huddle.open', { homeId: 'pkc-birchwood', date: DATE });
    const text = JSON.stringify(card.body);
    expect(text).toContain('Answered by Morag Reid at 08:41.');
    expect(text).not.toMatch(/@[a-z]+\.example/);
  });
});
