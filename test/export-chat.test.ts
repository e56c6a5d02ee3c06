/**
 * The export in 1:1 chat (§6a, issue 25) end to end, over HTTP against the fake connector: the `export` command's
 * file consent card, the fileConsent/invoke accept (answered at once), the upload to a loopback upload URL (the fake
 * connector's, a OneDrive upload session) with Content-Range as Teams expects, and the FileInfoCard; the decline;
 * a manager refused and told who can; a chief officer's file without free text; forged consent context refused.
 */
import { parse } from 'csv-parse/sync';
import { channel, personalChat, type TeamsUser } from './harness/teams-client';
import { exampleDirectory, startTestHost, type TestHost } from './harness/test-host';

const MONDAY = '2026-11-23';
const TUESDAY = '2026-11-24';
const SUNDAY = '2026-11-29';
let now = new Date(`${TUESDAY}T09:30:00Z`);
let t: TestHost;
const BOM = '\uFEFF';
const CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';
const SECRET = 'CONCERN-SECRET the lift is broken';

const IAIN = 'iain.shaw@nhs.example'; // support and approver, pkc
const ANN = 'ann.ross@council.example'; // chief officer, pkc
const MORAG = 'morag.reid@birchwood.example'; // manager, Birchwood (pkc)
const MULTI = 'fergus.lyon@nhs.example'; // support in pkc, chief officer in dg (added below)

const answer = (homeId: string, date: string, over: Record<string, string> = {}): Record<string, unknown> => ({
  homeId, date, residents: '35', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '1',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '', ...over,
});

const chatOf = (email: string) => personalChat(t.user(email)).id;
const lastTo = (email: string) => t.connector.to(chatOf(email)).at(-1)!.activity;
const csvOf = (bytes: Buffer): Record<string, string>[] => parse(bytes.toString('utf8'), { bom: true, columns: true, skip_empty_lines: true });
const uploadInfo = (id: string, name: string) => ({ uploadUrl: t.connector.uploadUrl(id), contentUrl: `https://contoso-my.sharepoint.example/personal/${id}/${name}`, name, fileType: 'csv', uniqueId: id });

/** `export …` in the person's 1:1 chat: the consent card Teams received (or undefined), and the text. */
async function exportIn(email: string, text = 'export'): Promise<{ card?: any; text?: string }> {
  const before = t.connector.to(chatOf(email)).length;
  expect((await t.teams.message(t.user(email), personalChat(t.user(email)), text)).status).toBe(200);
  const sent = t.connector.to(chatOf(email)).slice(before);
  expect(sent).toHaveLength(1);
  const a = sent[0].activity;
  return { card: a.attachments?.find((x: any) => x.contentType === CONSENT), text: a.text };
}

async function accept(user: TeamsUser, card: any, id: string) {
  return t.teams.fileConsent(user, 'accept', card.content.acceptContext, uploadInfo(id, card.name));
}

beforeAll(async () => {
  const directory = exampleDirectory();
  directory.people.push({ name: 'Fergus Lyon', email: MULTI, roles: [{ role: 'support', area: 'pkc' }, { role: 'chief', area: 'dg' }] });
  t = await startTestHost({ clock: () => now, directory });
  for (const email of [IAIN, ANN, MORAG, MULTI, 'helen.bruce@nhs.example']) await t.teams.install(t.user(email));
  // last week (Monday 23 to Sunday 29 November): Birchwood amber with a concern; this week's answer is not in the file
  expect((await t.teams.invoke(t.user(MORAG), personalChat(t.user(MORAG)), 'huddle.submit', answer('pkc-birchwood', TUESDAY, { concern: SECRET }))).status).toBe(200);
  now = new Date('2026-11-30T09:30:00Z');
  await t.teams.invoke(t.user(MORAG), personalChat(t.user(MORAG)), 'huddle.submit', answer('pkc-birchwood', '2026-11-30', { residents: '30' }));
  now = new Date('2026-11-30T10:00:00Z'); // a Monday: last week is 23 to 29 November
  await t.settle();
}, 120000);
afterAll(() => t.stop());

describe('export in 1:1 chat', () => {
  it("support: a consent card for last Monday-to-Sunday's huddles; accepted, the invoke answered at once, the CSV uploaded whole with Content-Range and the FileInfoCard sent", async () => {
    const { card } = await exportIn(IAIN);
    expect(card).toBeDefined();
    expect(card.name).toBe(`huddles_pkc_${MONDAY}_${SUNDAY}.csv`);
    expect(card.content.acceptContext).toEqual({ what: 'huddles', area: 'pkc', from: MONDAY, to: SUNDAY });
    expect(card.content.declineContext).toEqual(card.content.acceptContext);
    expect(card.content.description).toContain('with the free text');

    // the upload is held: the invoke's answer comes without waiting for it
    let release!: () => void;
    t.connector.uploadsHeld = new Promise<void>((r) => (release = r));
    const r = await accept(t.user(IAIN), card, 'iain-huddles');
    expect(r.status).toBe(200);
    expect(lastTo(IAIN).attachments?.[0]?.contentType).toBe(CONSENT); // no file card yet
    t.connector.uploadsHeld = undefined;
    release();
    await t.settle();

    const puts = t.connector.uploads.filter((u) => u.id === 'iain-huddles');
    expect(puts).toHaveLength(1);
    const n = puts[0].body.length;
    expect(puts[0].contentRange).toBe(`bytes 0-${n - 1}/${n}`);
    expect(puts[0].contentLength).toBe(String(n));
    const bytes = t.connector.uploaded('iain-huddles');
    expect(bytes.toString('utf8').startsWith(BOM)).toBe(true);
    const rows = csvOf(bytes);
    expect(rows.map((x) => `${x.date} ${x.homeId}`)).toEqual([`${TUESDAY} pkc-birchwood`]);
    expect(rows[0].concern).toBe(SECRET); // support and approvers get the free text

    const info = lastTo(IAIN).attachments[0];
    expect(info).toEqual({
      contentType: FILE_INFO,
      contentUrl: uploadInfo('iain-huddles', card.name).contentUrl,
      name: card.name,
      content: { uniqueId: 'iain-huddles', fileType: 'csv' },
    });
    expect(await t.host.ctx.exports.outbox.empty()).toBe(true);
  });

  it("a chief officer's file has the figures and no free text", async () => {
    const { card } = await exportIn(ANN);
    expect(card.content.description).toContain('without free text');
    expect((await accept(t.user(ANN), card, 'ann-huddles')).status).toBe(200);
    await t.settle();
    const bytes = t.connector.uploaded('ann-huddles');
    const rows = csvOf(bytes);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ homeId: 'pkc-birchwood', rag: 'Amber', answeredBy: 'Morag Reid' });
    expect(Object.keys(rows[0])).not.toContain('concern');
    expect(bytes.toString('utf8')).not.toContain('CONCERN-SECRET');
    expect(lastTo(ANN).attachments[0].contentType).toBe(FILE_INFO);
  });

  it('declined: a short note, nothing uploaded', async () => {
    const { card } = await exportIn('helen.bruce@nhs.example', 'export escalations');
    expect(card.content.acceptContext).toMatchObject({ what: 'escalations', area: 'pkc' });
    const uploads = t.connector.uploads.length;
    expect((await t.teams.fileConsent(t.user('helen.bruce@nhs.example'), 'decline', card.content.declineContext)).status).toBe(200);
    await t.settle();
    expect(lastTo('helen.bruce@nhs.example').text).toBe(`No file was sent: you declined the escalations of ${MONDAY} to ${SUNDAY}. Type **export** whenever you want it.`);
    expect(t.connector.uploads.length).toBe(uploads);
  });

  it('a manager is refused and told who can; a consent forged with an area context is refused when it comes back', async () => {
    const { card, text } = await exportIn(MORAG);
    expect(card).toBeUndefined();
    expect(text).toContain("Only an area's support team, approvers and chief officers can export its records.");
    expect(text).toContain('Iain Shaw');
    expect(text).toContain('Helen Bruce');

    const uploads = t.connector.uploads.length;
    const forged = { what: 'huddles', area: 'pkc', from: MONDAY, to: SUNDAY };
    expect((await t.teams.fileConsent(t.user(MORAG), 'accept', forged, uploadInfo('morag', 'x.csv'))).status).toBe(200);
    await t.settle();
    expect(t.connector.uploads.length).toBe(uploads);
    expect(lastTo(MORAG).text).toContain('only the support team, approvers and chief officers of Perth and Kinross');
  });

  it("a chief officer's forged context (a year, another area) is refused; free text is never asked by the card", async () => {
    const uploads = t.connector.uploads.length;
    for (const context of [
      { what: 'huddles', area: 'pkc', from: '2026-01-05', to: SUNDAY }, // a year
      { what: 'huddles', area: 'dg', from: MONDAY, to: SUNDAY }, // not her area
      { what: 'people', area: 'pkc', from: MONDAY, to: SUNDAY },
      { what: 'huddles', area: 'pkc', from: '2026-11-30', to: '2026-12-06' }, // this week, not ended
    ]) {
      expect((await t.teams.fileConsent(t.user(ANN), 'accept', context, uploadInfo('forged', 'x.csv'))).status).toBe(200);
    }
    // includeFreeText in the context is ignored: it is the role that decides
    expect((await t.teams.fileConsent(t.user(ANN), 'accept', { what: 'huddles', area: 'pkc', from: MONDAY, to: SUNDAY, includeFreeText: true }, uploadInfo('ann-again', 'y.csv'))).status).toBe(200);
    await t.settle();
    expect(t.connector.uploads.filter((u) => u.id === 'forged')).toHaveLength(0);
    expect(t.connector.uploads.length).toBe(uploads + 1);
    expect(t.connector.uploaded('ann-again').toString('utf8')).not.toContain('CONCERN-SECRET');
  });

  it('an upload URL Teams would not give (not http(s), no unique id) is refused', async () => {
    const uploads = t.connector.uploads.length;
    const context = { what: 'huddles', area: 'pkc', from: MONDAY, to: SUNDAY };
    await t.teams.fileConsent(t.user(IAIN), 'accept', context, { ...uploadInfo('bad', 'x.csv'), uploadUrl: 'file:///etc/passwd' });
    await t.teams.fileConsent(t.user(IAIN), 'accept', context, { ...uploadInfo('bad', 'x.csv'), uniqueId: '' });
    await t.settle();
    expect(t.connector.uploads.length).toBe(uploads);
    expect(lastTo(IAIN).text).toContain('Teams did not say where to put the file');
  });

  it('an upload Teams refuses (the session expired) is told to the person; a 5xx is retried', async () => {
    const { card } = await exportIn(IAIN, 'export actions');
    t.connector.uploadFaults.push(404);
    await accept(t.user(IAIN), card, 'iain-expired');
    await t.settle();
    expect(lastTo(IAIN).text).toContain('Teams did not take the file');

    t.connector.uploadFaults.push(503);
    await accept(t.user(IAIN), card, 'iain-retried');
    // the retry waits the worker's back-off (5 s)
    await t.connector.waitFor(() => t.connector.uploads.filter((u) => u.id === 'iain-retried').length === 2, 20000);
    await t.settle();
    expect(lastTo(IAIN).attachments?.[0]?.contentType).toBe(FILE_INFO);
    expect(csvOf(t.connector.uploaded('iain-retried'))).toEqual([]); // no actions in pkc: the header row only
  }, 40000);

  it('several areas: asked which; `for AREA` picks one, free text by the role held there', async () => {
    const { card, text } = await exportIn(MULTI);
    expect(card).toBeUndefined();
    expect(text).toContain('Perth and Kinross (**pkc**)');
    expect(text).toContain('Dumfries and Galloway (**dg**)');
    expect(text).toContain('say which');
    const pkc = await exportIn(MULTI, 'export for pkc');
    expect(pkc.card.content.acceptContext).toMatchObject({ area: 'pkc' });
    expect(pkc.card.content.description).toContain('with the free text');
    const dg = await exportIn(MULTI, 'export escalations for Dumfries and Galloway');
    expect(dg.card.content.acceptContext).toMatchObject({ what: 'escalations', area: 'dg' });
    expect(dg.card.content.description).toContain('without free text');
  });

  it('in a channel: pointed to the 1:1 chat; an unknown word: the usage', async () => {
    const support = channel('pkc-support');
    await t.teams.message(t.user(IAIN), support, 'export');
    expect(t.connector.textsTo(support.id).at(-1)).toContain('in your 1:1 chat');
    const { text } = await exportIn(IAIN, 'export people');
    expect(text).toContain('Type **export**');
    const other = await exportIn(IAIN, 'export for dg');
    expect(other.text).toContain('is not one of them');
  });
});
