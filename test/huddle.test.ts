import { channel, personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'jobs-key-for-huddle-tests-0123456789';
const DATE = '2026-11-23'; // a Monday
let now = new Date(`${DATE}T09:30:00Z`);
let t: TestHost;

/** A green answer as Teams sends Action.Execute data: inputs as strings, merged with the card's data. */
const green = (homeId: string, date = DATE): Record<string, unknown> => ({
  homeId, date, residents: '35', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '1',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '',
});

const job = async (name: string, body: object = { area: 'pkc', date: DATE }) => {
  const res = await fetch(`${t.host.url}/api/jobs/${name}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const cardText = (body: any) => JSON.stringify(body?.value ?? body);
const stored = (homeId: string) => t.host.ctx.huddles.get('pkc', DATE, homeId);

const MANAGERS = ['alexw@contoso.example', 'morag.reid@birchwood.example', 'graham.doig@kinnoull.example', 'fiona.lamb@balhousie.example', 'sandeep.kaur@craigie.example'];

beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
  // Eilidh Grant (Loch Leven View) never installs the app.
  for (const email of MANAGERS) await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), channel('pkc-support'), 'link area pkc');
  t.connector.clear();
});
afterAll(() => t.stop());

describe('daily-huddle job', () => {
  it("sends each home's managers the card for the date, and says who it could not reach", async () => {
    const { status, body } = await job('daily-huddle');
    expect(status).toBe(200);
    // Birchwood: Alex + Morag; Tayview: Alex; Kinnoull, Balhousie, Craigie: one each; Loch Leven: not installed
    expect(body).toMatchObject({ job: 'daily-huddle', sent: 6, failed: 0, skipped: 1 });
    expect(JSON.stringify(body.details)).toContain('eilidh.grant@lochleven.example');
    const cards = t.connector.cardsTo(personalChat(t.user('alexw@contoso.example')).id);
    expect(cards).toHaveLength(2);
    const birchwood = cards.find((c) => JSON.stringify(c).includes('Birchwood House'));
    expect(birchwood.version).toBe('1.5');
    expect(JSON.stringify(birchwood)).toContain('"verb":"huddle.submit"');
    expect(birchwood.actions[0].data).toEqual({ homeId: 'pkc-birchwood', date: DATE, amendsVersion: '', amendsEtag: '' }); // a blank form amends nothing
    expect(JSON.stringify(birchwood)).toContain('nurseCoverGap');
    const tayview = cards.find((c) => JSON.stringify(c).includes('Tayview Lodge'));
    expect(JSON.stringify(tayview)).not.toContain('nurseCoverGap');
    expect(JSON.stringify(cards)).not.toContain('${');
  });

  it('sends nothing on a day that is not a huddle day for the area', async () => {
    const { body } = await job('daily-huddle', { area: 'dg', date: '2026-11-22' });
    expect(body.sent).toBe(0);
    expect(JSON.stringify(body.details)).toContain('not a huddle day');
  });
});

describe('huddle.submit', () => {
  const morag = () => t.user('morag.reid@birchwood.example');

  it('stores a valid answer and returns the read-only summary with Amend', async () => {
    const answer = await t.teams.invoke(morag(), personalChat(morag()), 'huddle.submit', { ...green('pkc-birchwood'), somethingElse: 'ignored' });
    expect(answer.status).toBe(200);
    expect(answer.body.statusCode).toBe(200);
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = cardText(answer.body);
    expect(text).toContain('Daily safety huddle: Green');
    expect(text).toContain('"verb":"huddle.amend"');
    expect(text).toContain('"verb":"escalation.raise"');
    expect(text).toContain('Answered by Morag Reid at 09:');
    expect(text).not.toContain('morag.reid@birchwood.example');
    expect(text).not.toMatch(/\(version \d/);
    expect(text).not.toContain('"verb":"huddle.submit"');
    const row = await stored('pkc-birchwood');
    expect(row).toMatchObject({ rag: 'green', version: 1, answeredBy: 'morag.reid@birchwood.example' });
    expect(row?.answer.residents).toBe(35);
  });

  it('keeps every version: an amendment is version 2 and both are in the audit log', async () => {
    now = new Date(`${DATE}T09:45:00Z`);
    const amend = await t.teams.invoke(morag(), personalChat(morag()), 'huddle.amend', { homeId: 'pkc-birchwood', date: DATE });
    expect(cardText(amend.body)).toContain('"value":"35"');
    const answer = await t.teams.invoke(morag(), personalChat(morag()), 'huddle.submit', { ...green('pkc-birchwood'), staffingRag: 'amber', shiftsUnfilled: '2' });
    expect(cardText(answer.body)).toContain('Amended');
    expect(cardText(answer.body)).toContain('2 shifts unfilled in the next 24 hours');
    expect(await stored('pkc-birchwood')).toMatchObject({ rag: 'amber', version: 2 });
    const versions = await t.host.ctx.huddles.versions('pkc', DATE, 'pkc-birchwood');
    expect(versions.map((v) => [v.version, v.action, v.fromRag, v.rag])).toEqual([[1, 'submit', undefined, 'green'], [2, 'amend', 'green', 'amber']]);
    expect(versions[1].answeredBy).toBe('morag.reid@birchwood.example');
    expect(versions[1].answer.shiftsUnfilled).toBe(2);
    now = new Date(`${DATE}T09:30:00Z`);
  });

  it('keeps both of two answers sent at the same moment: one stored, every version in the log, none lost', async () => {
    const morag = t.user('morag.reid@birchwood.example');
    const day = '2026-11-20';
    const answers = await Promise.all(
      ['30', '31', '32'].map((residents) => t.teams.invoke(morag, personalChat(morag), 'huddle.submit', { ...green('pkc-birchwood', day), residents })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const versions = await t.host.ctx.huddles.versions('pkc', day, 'pkc-birchwood');
    const now = await t.host.ctx.huddles.get('pkc', day, 'pkc-birchwood');
    // Each answer either saved (a version of its own) or was told someone saved at the same moment.
    const saved = answers.filter((a) => /Saved\. Thank you|Amended\. Thank you/.test(cardText(a.body))).length;
    const raced = answers.filter((a) => cardText(a.body).includes('at the same moment')).length;
    expect(saved + raced).toBe(3);
    expect(versions).toHaveLength(saved);
    expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
    expect(versions[0].action).toBe('submit');
    expect(now?.version).toBe(versions.length);
    expect(now?.answer.residents).toBe(versions[versions.length - 1].answer.residents);
  });

  it("amends the version the Amend card was opened on, and refuses to overwrite a change made since, keeping the manager's answers", async () => {
    const day = '2026-11-19';
    const [morag, alex] = [t.user('morag.reid@birchwood.example'), t.user('alexw@contoso.example')];
    const submitData = (answer: { body: any }) => answer.body.value.actions.find((a: any) => a.verb === 'huddle.submit').data as Record<string, unknown>;
    expect(cardText((await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', green('pkc-birchwood', day))).body)).toContain('Saved. Thank you.');

    const moragsCard = await t.teams.invoke(morag, personalChat(morag), 'huddle.amend', { homeId: 'pkc-birchwood', date: day });
    const alexsCard = await t.teams.invoke(alex, personalChat(alex), 'huddle.amend', { homeId: 'pkc-birchwood', date: day });
    expect(submitData(moragsCard)).toMatchObject({ homeId: 'pkc-birchwood', date: day, amendsVersion: '1', amendsEtag: expect.stringMatching(/^W\/"datetime'/) });

    // Alex amends first: one replace of version 1.
    const byAlex = await t.teams.invoke(alex, personalChat(alex), 'huddle.submit', { ...green('pkc-birchwood', day), ...submitData(alexsCard), agencyShifts: '4' });
    expect(cardText(byAlex.body)).toContain('Amended. Thank you.');
    // Morag's card was opened on version 1: refused, her answers kept, and the card now based on version 2.
    const byMorag = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', { ...green('pkc-birchwood', day), ...submitData(moragsCard), agencyShifts: '7' });
    expect(cardText(byMorag.body)).toMatch(/Not saved: Alex Wilber changed this answer at \w{3} \d{1,2} \w{3}, \d{2}:\d{2}, after you opened it/);
    expect(cardText(byMorag.body)).toContain('"value":"7"');
    expect(submitData(byMorag)).toMatchObject({ amendsVersion: '2' });
    expect((await t.host.ctx.huddles.get('pkc', day, 'pkc-birchwood'))?.answer.agencyShifts).toBe(4);
    // Submitting that card again replaces version 2.
    const again = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', { ...green('pkc-birchwood', day), ...submitData(byMorag), agencyShifts: '7' });
    expect(cardText(again.body)).toContain('Amended. Thank you.');
    const versions = await t.host.ctx.huddles.versions('pkc', day, 'pkc-birchwood');
    expect(versions.map((v) => [v.version, v.action, v.answeredBy, v.answer.agencyShifts])).toEqual([
      [1, 'submit', 'morag.reid@birchwood.example', 1],
      [2, 'amend', 'alexw@contoso.example', 4],
      [3, 'amend', 'morag.reid@birchwood.example', 7],
    ]);
  });

  it.each([
    ['a version that is not a number', { amendsVersion: 'one', amendsEtag: `W/"datetime'2026-11-23T09%3A40%3A00.000Z'"` }],
    ['an ETag that Table storage would not give', { amendsVersion: '1', amendsEtag: "' or PartitionKey ne '" }],
    ['a version without an ETag', { amendsVersion: '1' }],
    ['an ETag of the wrong type', { amendsVersion: '1', amendsEtag: { etag: 'x' } }],
  ])('refuses an amendment with %s and stores nothing', async (_name, forged) => {
    const day = '2026-11-18';
    const morag = t.user('morag.reid@birchwood.example');
    const answer = await t.teams.invoke(morag, personalChat(morag), 'huddle.submit', { ...green('pkc-birchwood', day), ...forged });
    expect(cardText(answer.body)).toContain('This card does not say which answer it amends');
    expect(await t.host.ctx.huddles.get('pkc', day, 'pkc-birchwood')).toBeUndefined();
  });

  it('returns the form with the values kept and each problem next to its field, and stores nothing', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    const bad = { ...green('pkc-kinnoull'), residents: '61', deaths: '1', unexpectedDeaths: '2', bedsClosed: '3', concern: 'Resident CHI 0101501234 fell' };
    const answer = await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', bad);
    const text = cardText(answer.body);
    expect(text).toContain('nothing was saved');
    expect(text).toContain("Problem: More than the home's 60 registered places.");
    expect(text).toContain('Problem: Cannot be more than the deaths.');
    expect(text).toContain('Problem: Say why beds are closed.');
    expect(text).toContain('Problem: Remove the number that looks like a CHI number');
    expect(text).toContain('"value":"61"');
    expect(text).toContain('"verb":"huddle.submit"');
    expect(await stored('pkc-kinnoull')).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a decimal', { shiftsUnfilled: '3.5' }, 'shiftsUnfilled'],
    ['a negative number', { agencyShifts: '-1' }, 'agencyShifts'],
    ['an empty number', { bedsAvailable: '' }, 'bedsAvailable'],
    ['a word for a number', { deaths: 'three' }, 'deaths'],
    ['an unknown staffing level', { staffingRag: 'Red' }, 'staffingRag'],
    ['a confirmed outbreak without saying whether notified', { outbreakStatus: 'confirmed' }, 'careInspectorateNotified'],
    ['a concern over 500 characters', { concern: 'x'.repeat(501) }, 'concern'],
    ['an unknown support', { supportNeeded: 'money' }, 'supportNeeded'],
  ])('refuses %s and stores nothing', async (_name, change, field) => {
    const fiona = t.user('fiona.lamb@balhousie.example');
    const answer = await t.teams.invoke(fiona, personalChat(fiona), 'huddle.submit', { ...green('pkc-balhousie'), ...change });
    const text = cardText(answer.body);
    expect(text).toContain('Problem:');
    expect(text).toContain(`"id":"${field}"`);
    expect(await stored('pkc-balhousie')).toBeUndefined();
  });

  it('refuses an oversized payload and stores nothing', async () => {
    const fiona = t.user('fiona.lamb@balhousie.example');
    const answer = await t.teams.invoke(fiona, personalChat(fiona), 'huddle.submit', { ...green('pkc-balhousie'), padding: 'x'.repeat(50_000) });
    expect(cardText(answer.body)).toContain('too large');
    expect(await stored('pkc-balhousie')).toBeUndefined();
  });

  it('refuses a card forwarded to a manager of another home, a forged home and a date in the future', async () => {
    const graham = t.user('graham.doig@kinnoull.example');
    const forwarded = await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', green('pkc-craigie'));
    expect(cardText(forwarded.body)).toContain('Only the managers of Craigie Brae can answer its huddle');
    const forged = await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', green("pkc-craigie' or PartitionKey ne '"));
    expect(cardText(forged.body)).toContain('names no home');
    const future = await t.teams.invoke(graham, personalChat(graham), 'huddle.submit', green('pkc-kinnoull', '2026-11-24'));
    expect(cardText(future.body)).toContain("can't be answered now");
    const support = t.user('iain.shaw@nhs.example');
    const bySupport = await t.teams.invoke(support, personalChat(support), 'huddle.submit', green('pkc-craigie'));
    expect(cardText(bySupport.body)).toContain('Only the managers');
    expect(await stored('pkc-craigie')).toBeUndefined();
    expect(await stored('pkc-kinnoull')).toBeUndefined();
  });

  it('opens an escalation for a red answer, and adds to it rather than opening another', async () => {
    const sandeep = t.user('sandeep.kaur@craigie.example');
    const answer = await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', { ...green('pkc-craigie'), staffingRag: 'red', ppeSupply: 'critical' });
    const text = cardText(answer.body);
    expect(text).toContain('Daily safety huddle: Red');
    expect(text).toContain('PPE supply is critical');
    const open = await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie');
    expect(open).toMatchObject({ state: 'open', trigger: 'huddle', daysRed: 1, openedFor: DATE });
    expect(JSON.parse(open!.reasons)).toEqual(expect.arrayContaining(['PPE supply is critical']));
    // the next day, still red: the same escalation, day 2
    now = new Date('2026-11-24T09:40:00Z');
    try {
      await t.teams.invoke(sandeep, personalChat(sandeep), 'huddle.submit', { ...green('pkc-craigie', '2026-11-24'), staffingRag: 'red' });
      const again = await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie');
      expect(again?.rowKey).toBe(open!.rowKey);
      expect(again?.daysRed).toBe(2);
      expect((await t.host.ctx.escalations.listForArea('pkc')).filter((e) => e.homeId === 'pkc-craigie')).toHaveLength(1);
    } finally {
      now = new Date(`${DATE}T09:30:00Z`);
    }
  });
});

describe('reminder and summary', () => {
  it('reminds only the managers of homes without an answer', async () => {
    await t.settle();
    t.connector.clear();
    const { body } = await job('huddle-reminder');
    // answered: Birchwood, Craigie. Not: Tayview (Alex), Kinnoull (Graham), Balhousie (Fiona), Loch Leven (not installed)
    expect(body).toMatchObject({ sent: 3, skipped: 1, failed: 0 });
    const reached = t.connector.recorded.filter((r) => r.kind === 'send' || r.kind === 'reply').map((r) => r.conversationId).sort();
    expect(reached).toEqual(
      [personalChat(t.user('alexw@contoso.example')).id, personalChat(t.user('graham.doig@kinnoull.example')).id, personalChat(t.user('fiona.lamb@balhousie.example')).id].sort(),
    );
    const alexCards = t.connector.cardsTo(personalChat(t.user('alexw@contoso.example')).id);
    expect(JSON.stringify(alexCards)).toContain('Tayview Lodge');
    expect(JSON.stringify(alexCards)).not.toContain('Birchwood House');
  });

  it("posts the day's summary to the linked channel with the right counts", async () => {
    t.connector.clear();
    const { body } = await job('daily-summary');
    expect(body).toMatchObject({ sent: 1, failed: 0 });
    const [card] = t.connector.cardsTo(channel('pkc-support').id);
    const text = JSON.stringify(card);
    expect(text).toContain('Submitted 2 of 6 homes (33%)');
    expect(text).toContain('"title":"Red","value":"1 home"');
    expect(text).toContain('"title":"Amber","value":"1 home"');
    expect(text).toContain('"title":"Green","value":"0 homes"');
    expect(text).toContain('● Craigie Brae: Red');
    expect(text).toContain('PPE supply is critical');
    expect(text).toContain('Loch Leven View: Eilidh Grant');
    expect(text).toContain('Tayview Lodge: Alex Wilber');
    expect(text).not.toContain('${');
  });

  it('says so when the area has no linked channel', async () => {
    const { body } = await job('daily-summary', { area: 'dg', date: DATE });
    expect(body).toMatchObject({ sent: 0, skipped: 1 });
    expect(JSON.stringify(body.details)).toContain('no support channel linked');
  });
});

describe('huddle typed in chat', () => {
  it('gives a manager of several homes a choice, then the card of the home chosen', async () => {
    const alex = t.user('alexw@contoso.example');
    t.connector.clear();
    await t.teams.message(alex, personalChat(alex), 'huddle');
    const [pick] = t.connector.cardsTo(personalChat(alex).id);
    expect(pick.actions.map((a: any) => a.title)).toEqual(['Birchwood House', 'Tayview Lodge']);
    expect(pick.actions[1]).toMatchObject({ verb: 'huddle.open', data: { homeId: 'pkc-tayview', date: DATE } });
    const open = await t.teams.invoke(alex, personalChat(alex), 'huddle.open', pick.actions[1].data);
    expect(cardText(open.body)).toContain('"verb":"huddle.submit"');
    const answered = await t.teams.invoke(alex, personalChat(alex), 'huddle.open', pick.actions[0].data);
    expect(cardText(answered.body)).toContain('Daily safety huddle: Amber');
  });

  it('gives a manager of one home its card, and tells others it is for managers', async () => {
    const fiona = t.user('fiona.lamb@balhousie.example');
    t.connector.clear();
    await t.teams.message(fiona, personalChat(fiona), 'huddle');
    expect(JSON.stringify(t.connector.cardsTo(personalChat(fiona).id))).toContain('Balhousie Gardens');
    const ann = t.user('ann.ross@council.example');
    await t.teams.message(ann, personalChat(ann), 'huddle');
    expect(t.connector.textsTo(personalChat(ann).id)[0]).toContain('answered by care home managers');
  });
});
