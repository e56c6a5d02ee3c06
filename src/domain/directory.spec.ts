import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approverWarnings, DirectoryView, hasAreaRole, mayLinkArea, validateDirectory } from './directory';
import { parseHomesCsv } from './directory-csv';

const example = () => JSON.parse(readFileSync(path.join(__dirname, '../../examples/directory.json'), 'utf8'));

describe('directory validation', () => {
  it('accepts the example directory', () => {
    const v = validateDirectory(example());
    expect(v.ok).toBe(true);
  });

  const problems = (mutate: (d: any) => void) => {
    const d = example();
    mutate(d);
    const v = validateDirectory(d);
    if (v.ok) throw new Error('expected problems');
    return v.problems;
  };

  it.each([
    ['an unknown area on a home', (d: any) => (d.homes[0].area = 'nowhere'), 'homes[0].area', 'unknown area'],
    ['a duplicate home id', (d: any) => (d.homes[1].id = d.homes[0].id), 'homes[1].id', 'duplicate id'],
    ['a duplicate area id', (d: any) => d.areas.push({ ...d.areas[0] }), 'areas[2].id', 'duplicate id'],
    ['a duplicate person (e-mail in another case)', (d: any) => d.people.push({ ...d.people[1], email: d.people[1].email.toUpperCase() }), 'people[16].email', 'duplicate email'],
    ['a bad time zone', (d: any) => (d.areas[0].timezone = 'Europe/Perth'), 'areas[0].timezone', 'time zone'],
    ['a bad time', (d: any) => (d.areas[0].huddleTime = '9.30'), 'areas[0].huddleTime', 'HH:MM'],
    ['a bad huddle day', (d: any) => (d.areas[0].huddleDays = ['MONDAY']), 'areas[0].huddleDays[0]', 'Invalid enum'],
    ['a manager role without its home', (d: any) => (d.people[1].roles = [{ role: 'manager' }]), 'people[1].roles[0].home', 'needs the home'],
    ['a manager of an unknown home', (d: any) => (d.people[1].roles = [{ role: 'manager', home: 'pkc-nowhere' }]), 'people[1].roles[0].home', 'unknown home'],
    ['a support role without its area', (d: any) => (d.people[8].roles = [{ role: 'support' }]), 'people[8].roles[0].area', 'needs the area'],
    ['a chief of an unknown area', (d: any) => (d.people[12].roles = [{ role: 'chief', area: 'zz' }]), 'people[12].roles[0].area', 'unknown area'],
    ['an unknown role', (d: any) => (d.people[12].roles = [{ role: 'boss', area: 'pkc' }]), 'people[12].roles[0].role', 'Invalid enum'],
    ['zero registered places', (d: any) => (d.homes[0].registeredPlaces = 0), 'homes[0].registeredPlaces', ''],
    ['a bad e-mail', (d: any) => (d.people[0].email = 'not-an-email'), 'people[0].email', 'email'],
  ])('refuses %s with its path', (_name, mutate, path, message) => {
    const found = problems(mutate).find((p) => p.path === path);
    expect(found).toBeDefined();
    expect(found!.message).toContain(message);
  });

  it('lists shape problems and reference problems together', () => {
    const list = problems((d) => {
      d.areas[0].timezone = 'Mars/Base';
      d.homes[0].area = 'nowhere';
      d.people[0].roles = [{ role: 'manager' }];
    });
    expect(list.map((p) => p.path)).toEqual(expect.arrayContaining(['areas[0].timezone', 'homes[0].area', 'people[0].roles[0].home']));
  });

  it('refuses a file that is not a directory at all', () => {
    const v = validateDirectory({ homes: 'x' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems.map((p) => p.path).sort()).toEqual(['areas', 'homes', 'people']);
  });
});

describe('roles', () => {
  const v = validateDirectory(example());
  if (!v.ok) throw new Error('example invalid');
  const dir = new DirectoryView(v.directory);
  const byEmail = (e: string) => dir.personByEmail(e)!;

  it('finds the homes a manager manages and the managers of a home', () => {
    expect(dir.homesManagedBy(byEmail('alexw@contoso.example')).map((h) => h.id)).toEqual(['pkc-birchwood', 'pkc-tayview']);
    expect(dir.managersOf('pkc-birchwood').map((p) => p.name)).toEqual(['Alex Wilber', 'Morag Reid']);
  });

  it('scopes area roles to their area; a global admin is admin everywhere', () => {
    expect(hasAreaRole(byEmail('moira.hendry@dg.example'), 'support', 'pkc')).toBe(false);
    expect(mayLinkArea(byEmail('iain.shaw@nhs.example'), 'pkc')).toBe(true);
    expect(mayLinkArea(byEmail('morag.reid@birchwood.example'), 'pkc')).toBe(false);
    expect(mayLinkArea(byEmail('it.admin@council.example'), 'dg')).toBe(true);
  });

  it("names an area's support team and approvers once each, and its administrators", () => {
    expect(dir.teamOf('pkc').map((p) => p.name)).toEqual(['Iain Shaw', 'Kirsty Moffat', 'David Ogilvie', 'Helen Bruce']);
    expect(dir.teamOf('dg').map((p) => p.name)).toEqual(['Moira Hendry']);
    const withAreaAdmin = new DirectoryView({ ...v.directory, people: [...v.directory.people, { email: 'pkc.admin@council.example', name: 'Pat Admin', roles: [{ role: 'admin', area: 'pkc' }] }] });
    expect(withAreaAdmin.admins('pkc').map((p) => p.name)).toEqual(['Sam Paterson', 'Pat Admin']);
    expect(withAreaAdmin.admins('dg').map((p) => p.name)).toEqual(['Sam Paterson']);
    expect(withAreaAdmin.admins().map((p) => p.name)).toEqual(['Sam Paterson', 'Pat Admin']);
  });

  it('finds people by object id case-insensitively', () => {
    expect(dir.personByObjectId('00000000-0000-0000-0000-0000000000020')?.name).toBe('Alex Wilber');
    expect(dir.personByEmail(' ALEXW@contoso.example ')?.name).toBe('Alex Wilber');
  });
});

describe('homes CSV', () => {
  it('reads a spreadsheet of homes', () => {
    const r = parseHomesCsv('id,area,name,registeredPlaces,nursing\npkc-new,pkc,"New Home, Perth",20,yes\npkc-two,pkc,Two,8,no\n');
    expect(r).toEqual({
      ok: true,
      homes: [
        { id: 'pkc-new', area: 'pkc', name: 'New Home, Perth', registeredPlaces: 20, nursing: true },
        { id: 'pkc-two', area: 'pkc', name: 'Two', registeredPlaces: 8, nursing: false },
      ],
    });
  });

  it('lists every bad row with its line', () => {
    const r = parseHomesCsv('id,area,name,registeredPlaces,nursing\nBad Id,pkc,X,20,yes\nok-id,pkc,Y,lots,maybe\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['line 2.id', 'line 3.registeredPlaces', 'line 3.nursing']);
  });

  it('refuses an empty file and a broken one', () => {
    expect(parseHomesCsv('id,area,name,registeredPlaces,nursing\n').ok).toBe(false);
    expect(parseHomesCsv('id,area\n"unclosed,pkc\n').ok).toBe(false);
  });
});

describe('approverWarnings', () => {
  it('warns of an area with a single approver, or none, and of nothing else', () => {
    const area = (id: string) => ({ id, name: id, timezone: 'Europe/London' }) as never;
    const approver = (email: string, areaId: string) => ({ email, name: email, roles: [{ role: 'approver', area: areaId }] }) as never;
    const w = approverWarnings({ areas: [area('a'), area('b'), area('c')], homes: [], people: [approver('x@a.example', 'a'), approver('y@a.example', 'a'), approver('z@b.example', 'b')] });
    expect(w).toEqual([
      'area "b" has a single approver (z@b.example): a request they make cannot be decided by another approver; add a second approver',
      'area "c" has no approver: requests to escalate cannot be decided; add two approvers',
    ]);
  });
});
