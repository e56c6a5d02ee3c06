/**
 * Exports (§6a, issue 24) over HTTP and from the command line, on data written by using the app: huddles submitted
 * and amended, escalations raised and decided, plan actions created and updated. The CSV is parsed back with csv-parse.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { exportCsv } from '../src/app/export';
import { channel, personalChat } from './harness/teams-client';
import { exampleDirectory, startTestHost, type TestHost } from './harness/test-host';

const KEY = 'exports-test-jobs-key-0123456789';
const DAY1 = '2026-11-23'; // a Monday
const DAY2 = '2026-11-24';
let now = new Date(`${DAY1}T09:30:00Z`);
let t: TestHost;
const support = channel('pkc-support');
const BOM = '\uFEFF';
/** Free text typed in the app: none of it may reach an operator export. */
const SECRETS = ['CONCERN-SECRET-lift', 'CONCERN-SECRET-raised', 'RATIONALE-SECRET', 'EXTREF-SECRET', 'NOTE-SECRET', 'OUTCOME-SECRET', 'DESCRIPTION-SECRET', 'COMMENT-SECRET', 'KEYWORKER-SECRET'];

const answer = (homeId: string, date: string, over: Record<string, string> = {}): Record<string, unknown> => ({
  homeId, date, residents: '35', bedsAvailable: '2', bedsClosed: '0', bedsClosedReason: '', staffingRag: 'green', shiftsUnfilled: '0', agencyShifts: '1',
  nurseCoverGap: 'false', outbreakStatus: 'none', newCasesResidents: '0', newCasesStaff: '0', careInspectorateNotified: '', ppeSupply: 'good',
  fallsWithHarm: '0', newPressureUlcers: '0', deaths: '0', unexpectedDeaths: '0', hospitalAdmissions: '0', hospitalDischarges: '0',
  visiting: 'open', protectionConcern: 'false', supportNeeded: '', concern: '', ...over,
});

const get = async (pathAndQuery: string, key: string | null = KEY) => {
  const res = await fetch(`${t.host.url}${pathAndQuery}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()) };
};
const csvOf = (text: string): Record<string, string>[] => parse(text, { bom: true, columns: true, skip_empty_lines: true });
const submit = (email: string, data: Record<string, unknown>) => t.teams.invoke(t.user(email), personalChat(t.user(email)), 'huddle.submit', data);
const act = (email: string, verb: string, data: Record<string, unknown>) => t.teams.invoke(t.user(email), support, `escalation.${verb}`, data);
const q = (what: string, area = 'pkc', from = DAY1, to = DAY2) => `/api/exports/${what}.csv?area=${area}&from=${from}&to=${to}`;

let craigieEscalation = '';
let tayviewEscalation = '';

beforeAll(async () => {
  // names from the directory are guarded too: a home and a person whose names a spreadsheet would run as formulas
  const dir = exampleDirectory();
  dir.homes = dir.homes.map((h) => (h.id === 'pkc-balhousie' ? { ...h, name: '=HYPERLINK("http://x.example","Balhousie")' } : h));
  dir.people = dir.people.map((p) => (p.email === 'fiona.lamb@balhousie.example' ? { ...p, name: '@Fiona Lamb' } : p));
  let tick = 0;
  t = await startTestHost({ directory: dir, clock: () => new Date(now.getTime() + 1000 * tick++), env: { JOBS_API_KEY: KEY } });
  for (const email of ['morag.reid@birchwood.example', 'sandeep.kaur@craigie.example', 'fiona.lamb@balhousie.example', 'alexw@contoso.example', 'ruth.maxwell@solway.example', 'iain.shaw@nhs.example', 'helen.bruce@nhs.example'])
    await t.teams.install(t.user(email));
  await t.teams.message(t.user('iain.shaw@nhs.example'), support, 'link area pkc');

  // day 1: Birchwood amber with a concern, amended; Craigie red (opens an escalation); Balhousie green; Solway (dg) green
  expect((await submit('morag.reid@birchwood.example', answer('pkc-birchwood', DAY1, { concern: 'CONCERN-SECRET-lift is broken' }))).status).toBe(200);
  await submit('morag.reid@birchwood.example', answer('pkc-birchwood', DAY1, { concern: 'CONCERN-SECRET-lift is broken', shiftsUnfilled: '3' }));
  await submit('sandeep.kaur@craigie.example', answer('pkc-craigie', DAY1, { ppeSupply: 'critical' }));
  await submit('fiona.lamb@balhousie.example', answer('pkc-balhousie', DAY1, { residents: '20' }));
  await submit('ruth.maxwell@solway.example', answer('dg-solway', DAY1));
  // day 2: Birchwood green
  now = new Date(`${DAY2}T09:30:00Z`);
  await submit('morag.reid@birchwood.example', answer('pkc-birchwood', DAY2, { residents: '34' }));

  // the red answer's escalation, taken to approval with free text at every step
  const craigie = await t.host.ctx.escalations.openFor('pkc', 'pkc-craigie');
  craigieEscalation = craigie!.rowKey;
  await act('iain.shaw@nhs.example', 'assign', { escalationId: craigieEscalation, version: 1, owner: 'iain.shaw@nhs.example' });
  await act('iain.shaw@nhs.example', 'local', { escalationId: craigieEscalation, version: 2, note: 'NOTE-SECRET visited', keyWorker: 'KEYWORKER-SECRET' });
  await act('iain.shaw@nhs.example', 'request', { escalationId: craigieEscalation, version: 3, pathway: 'care-inspectorate', rationale: 'RATIONALE-SECRET' });
  await act('helen.bruce@nhs.example', 'approve', { escalationId: craigieEscalation, version: 4, externalRef: 'EXTREF-SECRET' });
  // a person's concern about Tayview
  const alex = t.user('alexw@contoso.example');
  await t.teams.invoke(alex, personalChat(alex), 'escalation.raise', { submitted: 'yes', homeId: 'pkc-tayview', concern: 'CONCERN-SECRET-raised two residents', protection: 'false' });
  tayviewEscalation = (await t.host.ctx.escalations.openFor('pkc', 'pkc-tayview'))!.rowKey;

  // plan actions: one created and updated with a comment
  const create = (over: Record<string, unknown>) =>
    t.teams.invoke(t.user('iain.shaw@nhs.example'), support, 'action.create', {
      homeId: 'pkc-birchwood', theme: '3', description: 'DESCRIPTION-SECRET e-learning', outcome: 'OUTCOME-SECRET all staff', responsibleEmail: 'morag.reid@birchwood.example', responsibleName: '', due: '2026-12-10', ...over,
    });
  await create({});
  await create({ theme: '6', responsibleEmail: '', responsibleName: 'Agency Coordinator', due: '2026-12-01' });
  await t.teams.invoke(t.user('iain.shaw@nhs.example'), support, 'action.update', { homeId: 'pkc-birchwood', actionNo: '3.1', comment_3_1: 'COMMENT-SECRET half done', onTarget_3_1: 'false', due_3_1: '2026-12-10', reason_3_1: '' });
}, 120000);
afterAll(() => t.stop());

describe('GET /api/exports/{what}.csv', () => {
  it('needs the jobs key: 401 without it or with a wrong one, and nothing exported', async () => {
    for (const key of [null, 'wrong-key']) {
      const r = await get(q('huddles'), key);
      expect(r.status).toBe(401);
      expect(r.text).not.toContain('pkc-birchwood');
    }
  });

  it('exports huddles: BOM, one header row, one row per home-day of the area and range, every figure, RAG and reasons in words, names not e-mails', async () => {
    const r = await get(q('huddles'));
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/csv; charset=utf-8');
    expect(r.disposition).toBe(`attachment; filename="huddles_pkc_${DAY1}_${DAY2}.csv"`);
    expect(r.text.startsWith(BOM)).toBe(true);
    expect(r.text.split('\r\n')[0]).toBe(
      `${BOM}area,areaName,homeId,home,date,rag,reasons,residents,bedsAvailable,bedsClosed,bedsClosedReason,staffingRag,shiftsUnfilled,agencyShifts,nurseCoverGap,outbreakStatus,newCasesResidents,newCasesStaff,careInspectorateNotified,ppeSupply,fallsWithHarm,newPressureUlcers,deaths,unexpectedDeaths,hospitalAdmissions,hospitalDischarges,visiting,protectionConcern,supportNeeded,answeredBy,answeredAt,version`,
    );
    const rows = csvOf(r.text);
    expect(rows.map((x) => `${x.date} ${x.homeId}`)).toEqual([`${DAY1} pkc-balhousie`, `${DAY1} pkc-birchwood`, `${DAY1} pkc-craigie`, `${DAY2} pkc-birchwood`]);
    const birchwood = rows[1];
    const stored = (await t.host.ctx.huddles.get('pkc', DAY1, 'pkc-birchwood'))!;
    expect(birchwood).toMatchObject({
      area: 'pkc', areaName: 'Perth and Kinross', home: 'Birchwood House', rag: 'Amber', residents: '35', shiftsUnfilled: '3', agencyShifts: '1',
      staffingRag: 'Green', nurseCoverGap: 'no', ppeSupply: 'good', answeredBy: 'Morag Reid', answeredAt: stored.answeredAt, version: '2',
    });
    expect(birchwood.reasons).toBe(stored.reasons.join('; '));
    expect(birchwood.reasons).toContain('concern');
    expect(rows[2]).toMatchObject({ home: 'Craigie Brae', rag: 'Red', ppeSupply: 'critical', answeredBy: 'Sandeep Kaur' });
    expect(rows[2].reasons).toContain('PPE');
    expect(rows[3]).toMatchObject({ residents: '34', rag: 'Green', version: '1' });
    // every figure of the stored answer, as text
    for (const [k, v] of Object.entries(stored.answer)) if (typeof v === 'number') expect(birchwood[k]).toBe(String(v));
    expect(r.text).not.toMatch(/[a-z0-9.]+@[a-z0-9.]+\.example/);
    expect(r.text).not.toContain('Solway'); // another area's
    for (const s of SECRETS) expect(r.text).not.toContain(s);
    expect(Object.keys(birchwood)).not.toContain('concern');
  });

  it('neutralises a cell a spreadsheet would run as a formula', async () => {
    const rows = csvOf((await get(q('huddles', 'pkc', DAY1, DAY1))).text);
    const balhousie = rows.find((x) => x.homeId === 'pkc-balhousie')!;
    expect(balhousie.home).toBe(`'=HYPERLINK("http://x.example","Balhousie")`);
    expect(balhousie.answeredBy).toBe("'@Fiona Lamb");
  });

  it('exports escalations: one row per escalation live in the range, its history summarised with names, no free text', async () => {
    const r = await get(q('escalations'));
    expect(r.status).toBe(200);
    expect(r.text.startsWith(BOM)).toBe(true);
    const rows = csvOf(r.text);
    expect(rows.map((x) => x.escalationId).sort()).toEqual([craigieEscalation, tayviewEscalation].sort());
    const craigie = rows.find((x) => x.escalationId === craigieEscalation)!;
    const stored = (await t.host.ctx.escalations.get('pkc', craigieEscalation))!;
    expect(craigie).toMatchObject({
      area: 'pkc', homeId: 'pkc-craigie', home: 'Craigie Brae', state: 'Escalated', trigger: 'huddle', openedFor: DAY1, openedAt: stored.openedAt,
      openedBy: 'Sandeep Kaur', owner: 'Iain Shaw', pathway: 'Care Inspectorate', escalatedAt: stored.escalatedAt, version: String(stored.version), changes: '4',
    });
    expect(craigie.reasons).toContain('PPE');
    expect(craigie.history).toContain('request: Local support → Awaiting approval (Iain Shaw)');
    expect(craigie.history).toContain('approve: Awaiting approval → Escalated (Helen Bruce)');
    const tayview = rows.find((x) => x.escalationId === tayviewEscalation)!;
    expect(tayview).toMatchObject({ home: 'Tayview Lodge', state: 'Open', trigger: 'person', openedBy: 'Alex Wilber' });
    for (const s of SECRETS) expect(r.text).not.toContain(s);
    expect(r.text).not.toMatch(/[a-z0-9.]+@[a-z0-9.]+\.example/);
    for (const c of ['concern', 'rationale', 'outcome', 'externalRef', 'keyWorker', 'notes']) expect(Object.keys(craigie)).not.toContain(c);
    // outside the range: nothing
    expect(csvOf((await get(q('escalations', 'pkc', '2026-11-01', '2026-11-22'))).text)).toEqual([]);
  });

  it('exports actions: one row per action, responsible by name, RAG in words, no description, outcome or comments', async () => {
    const r = await get(q('actions', 'pkc', DAY1, '2026-12-31'));
    expect(r.status).toBe(200);
    const rows = csvOf(r.text);
    expect(rows.map((x) => `${x.homeId} ${x.no}`)).toEqual(['pkc-birchwood 3.1', 'pkc-birchwood 6.1']);
    expect(rows[0]).toMatchObject({ home: 'Birchwood House', theme: '3', themeName: 'Staff Team (Education, Training, etc)', responsible: 'Morag Reid', due: '2026-12-10', status: 'open', onTarget: 'no', rag: 'Red', overdue: 'no', createdBy: 'Iain Shaw', progressEntries: '1' });
    expect(rows[1]).toMatchObject({ no: '6.1', responsible: 'Agency Coordinator', due: '2026-12-01', onTarget: 'yes', rag: 'Amber' });
    for (const s of SECRETS) expect(r.text).not.toContain(s);
    expect(r.text).not.toMatch(/[a-z0-9.]+@[a-z0-9.]+\.example/);
  });

  it('answers a header row and no rows when there is nothing in the range', async () => {
    const r = await get(q('huddles', 'dg', '2026-01-01', '2026-01-31'));
    expect(r.status).toBe(200);
    expect(r.text.startsWith(`${BOM}area,areaName,homeId`)).toBe(true);
    expect(csvOf(r.text)).toEqual([]);
  });

  it.each([
    ['an unknown export', '/api/exports/people.csv?area=pkc&from=2026-11-01&to=2026-11-30', ['what: "people" is not one of huddles, escalations, actions']],
    ['a name without .csv', '/api/exports/huddles?area=pkc&from=2026-11-01&to=2026-11-30', ['what: ']],
    ['an unknown area', '/api/exports/huddles.csv?area=nowhere&from=2026-11-01&to=2026-11-30', ['area: "nowhere" is not an area in the directory']],
    ['a missing area and dates', '/api/exports/huddles.csv', ['area: is needed', 'from: is needed', 'to: is needed']],
    ['a bad date', '/api/exports/huddles.csv?area=pkc&from=2026-02-30&to=yesterday', ['from: "2026-02-30" is not a date as YYYY-MM-DD', 'to: "yesterday" is not a date as YYYY-MM-DD']],
    ['reversed dates', '/api/exports/huddles.csv?area=pkc&from=2026-11-30&to=2026-11-01', ['to: 2026-11-01 is before from (2026-11-30)']],
    ['a range too long', '/api/exports/huddles.csv?area=pkc&from=2025-01-01&to=2026-01-02', ['to: 2025-01-01 to 2026-01-02 is 367 days; one export covers at most 366']],
    ['an area given twice', '/api/exports/huddles.csv?area=pkc&area=dg&from=2026-11-01&to=2026-11-30', ['area: give it once']],
    ['everything wrong at once', '/api/exports/x.csv?area=zz&from=nope&to=2026-13-01', ['what: "x" is not one of', 'area: "zz" is not an area', 'from: "nope"', 'to: "2026-13-01"']],
  ])('refuses %s with 400 and every problem listed', async (_name, url, problems) => {
    const r = await get(url);
    expect(r.status).toBe(400);
    const body = JSON.parse(r.text);
    expect(body.code).toBe('EXPORT.BAD_INPUT');
    expect(body.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(body.problems[i]).toContain(p));
  });

  it('takes a full year (366 days)', async () => {
    const r = await get(q('huddles', 'pkc', '2025-11-25', DAY2));
    expect(r.status).toBe(200);
    expect(csvOf(r.text)).toHaveLength(4);
  });
});

describe('the use case: the free-text columns (for the 1:1-chat export to come)', () => {
  const read = async (s: NodeJS.ReadableStream) => {
    const parts: Buffer[] = [];
    for await (const c of s) parts.push(Buffer.from(c as Buffer));
    return Buffer.concat(parts).toString('utf8');
  };
  const input = { what: 'escalations', area: 'pkc', from: DAY1, to: DAY2, includeFreeText: true };

  it("adds them for the area's support team and approvers", async () => {
    const out = await exportCsv(t.host.ctx, { person: t.person('iain.shaw@nhs.example') }, input);
    if (!out.ok) throw new Error(out.message);
    const rows = csvOf(await read(out.value.stream()));
    const craigie = rows.find((x) => x.escalationId === craigieEscalation)!;
    expect(craigie).toMatchObject({ rationale: 'RATIONALE-SECRET', externalRef: 'EXTREF-SECRET', keyWorker: 'KEYWORKER-SECRET' });
    expect(craigie.notes).toContain('NOTE-SECRET visited');
    expect(rows.find((x) => x.escalationId === tayviewEscalation)!.concern).toContain('CONCERN-SECRET-raised two residents');
    const huddles = await exportCsv(t.host.ctx, { person: t.person('helen.bruce@nhs.example') }, { ...input, what: 'huddles' });
    if (!huddles.ok) throw new Error(huddles.message);
    expect(csvOf(await read(huddles.value.stream())).find((x) => x.homeId === 'pkc-birchwood')!.concern).toBe('CONCERN-SECRET-lift is broken');
  });

  it('refuses them to operators and chief officers, and refuses people of another area', async () => {
    expect(await exportCsv(t.host.ctx, { operator: 'jobs-key' }, input)).toMatchObject({ ok: false, code: 'EXPORT.NOT_ALLOWED' });
    expect(await exportCsv(t.host.ctx, { person: t.person('ann.ross@council.example') }, input)).toMatchObject({ ok: false, code: 'EXPORT.NOT_ALLOWED' });
    expect(await exportCsv(t.host.ctx, { person: t.person('ann.ross@council.example') }, { ...input, includeFreeText: false })).toMatchObject({ ok: true });
    expect(await exportCsv(t.host.ctx, { person: t.person('moira.hendry@dg.example') }, { ...input, includeFreeText: false })).toMatchObject({ ok: false, code: 'EXPORT.NOT_ALLOWED' });
  });
});

describe('npm run export', () => {
  const run = promisify(execFile);
  const tsx = path.join(__dirname, '../node_modules/.bin/tsx');
  const cli = path.join(__dirname, '../src/cli/export.ts');
  const exec = async (...args: string[]) => {
    const env = { ...process.env, STORAGE_CONNECTION_STRING: process.env.TEST_STORAGE_CONNECTION_STRING, TABLE_PREFIX: t.host.ctx.config.TABLE_PREFIX, LOG_LEVEL: 'silent' };
    try {
      const r = await run(tsx, [cli, ...args], { env });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('writes the same CSV as the endpoint, to stdout and to --out FILE with progress', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'huddle-export-')), 'huddles.csv');
    const [viaHttp, toStdout, toFile, escHttp, escCli] = await Promise.all([
      get(q('huddles')),
      exec('huddles', '--area', 'pkc', '--from', DAY1, '--to', DAY2),
      exec('huddles', '--area', 'pkc', '--from', DAY1, '--to', DAY2, '--out', out),
      get(q('escalations')),
      exec('escalations', '--area', 'pkc', '--from', DAY1, '--to', DAY2),
    ]);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(viaHttp.text);
    expect(toFile.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(viaHttp.text);
    expect(toFile.stderr).toContain('huddles: 4 rows');
    expect(toFile.stderr).toContain(`Written to ${out}`);
    expect(escCli.stdout).toBe(escHttp.text);
  }, 180000);

  it('lists every problem and exits 2, writing nothing to stdout', async () => {
    const r = await exec('people', '--area', 'nowhere', '--from', '2026-11-30', '--to', 'tomorrow');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('what: "people" is not one of huddles, escalations, actions');
    expect(r.stderr).toContain('area: "nowhere" is not an area in the directory');
    expect(r.stderr).toContain('to: "tomorrow" is not a date as YYYY-MM-DD');
    expect(r.stderr).toContain('Usage: npm run export');
  }, 180000);
});
