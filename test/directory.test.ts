import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Storage } from '../src/storage/client';
import { DirectoryStore } from '../src/storage/directory.store';
import { exampleDirectory, uniquePrefix } from './harness/test-host';

const run = promisify(execFile);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'huddle-dir-'));
const tsx = path.join(__dirname, '../node_modules/.bin/tsx');
const cli = path.join(__dirname, '../src/cli/directory.ts');

async function newStore(prefix = uniquePrefix()) {
  const storage = new Storage({ connectionString: process.env.TEST_STORAGE_CONNECTION_STRING, prefix });
  await storage.ensureTables();
  return { store: new DirectoryStore(storage), prefix, storage };
}

describe('directory store', () => {
  it('imports, then changes nothing on the same file, then retires who left', async () => {
    const { store } = await newStore();
    const dir = exampleDirectory();
    const first = await store.importDirectory(dir);
    // D&G has one approver: the import says so (four eyes), and writes the file all the same.
    const warnings = ['area "dg" has a single approver (moira.hendry@dg.example): a request they make cannot be decided by another approver; add a second approver'];
    expect(first).toEqual({ created: 2 + 8 + 16, updated: 0, unchanged: 0, retired: 0, warnings });
    expect(await store.importDirectory(dir)).toEqual({ created: 0, updated: 0, unchanged: 26, retired: 0, warnings });

    const without = { ...dir, people: dir.people.filter((p) => p.email !== 'kirsty.moffat@nhs.example') };
    expect(await store.importDirectory(without)).toMatchObject({ retired: 1, created: 0, updated: 0 });
    const loaded = await store.load();
    expect(loaded.people.map((p) => p.email)).not.toContain('kirsty.moffat@nhs.example');
    expect(loaded.people).toHaveLength(15);

    // back in the file: no longer retired
    expect(await store.importDirectory(dir)).toMatchObject({ updated: 1, retired: 0 });
    expect((await store.load()).people).toHaveLength(16);
  });

  it('keeps an object id learned from Teams across re-imports', async () => {
    const { store } = await newStore();
    const dir = exampleDirectory();
    await store.importDirectory(dir);
    await store.learnObjectId('morag.reid@birchwood.example', 'ABCDEF01-0000-0000-0000-000000000001');
    expect(await store.importDirectory(dir)).toMatchObject({ unchanged: 26 });
    const view = await store.view();
    expect(view.personByObjectId('abcdef01-0000-0000-0000-000000000001')?.email).toBe('morag.reid@birchwood.example');
  });

  it('reads the directory once for many requests, checks its version row rather than reading it again, answers from the copy in hand while it reloads, and sees an import at once', async () => {
    const storage = new Storage({ connectionString: process.env.TEST_STORAGE_CONNECTION_STRING, prefix: uniquePrefix() });
    await storage.ensureTables();
    let clock = 0;
    const store = new DirectoryStore(storage, () => clock);
    const dir = exampleDirectory();
    await store.importDirectory(dir);
    let loads = 0;
    const load = store.loadForView.bind(store);
    store.loadForView = () => (loads++, load());
    const settled = async (until: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await until()); i++) await new Promise((r) => setTimeout(r, 20));
    };

    const first = await Promise.all(Array.from({ length: 50 }, () => store.view()));
    expect(loads).toBe(1);
    expect(new Set(first).size).toBe(1);

    clock += 60_000; // expired, unchanged: the version row says so, and the copy in hand is kept (no second read)
    const during = await Promise.all(Array.from({ length: 50 }, () => store.view()));
    expect(new Set(during)).toEqual(new Set([first[0]]));
    await settled(async () => (store as unknown as { loading?: unknown }).loading === undefined);
    expect(await store.view()).toBe(first[0]);
    expect(loads).toBe(1);

    clock += 11 * 60_000; // read whole every 10 minutes whatever the version says: answered from the copy in hand meanwhile
    const stale = await Promise.all(Array.from({ length: 50 }, () => store.view()));
    expect(new Set(stale)).toEqual(new Set([first[0]]));
    let refreshed = await store.view();
    for (let i = 0; i < 100 && refreshed === first[0]; i++) refreshed = await new Promise((r) => setTimeout(r, 20)).then(() => store.view());
    expect(refreshed).not.toBe(first[0]);
    expect(loads).toBe(2);

    // another instance's import: seen at this one's next check (within 15 s), through the version row
    const other = new DirectoryStore(storage, () => clock);
    await other.importDirectory({ ...dir, people: dir.people.filter((p) => p.email !== 'kirsty.moffat@nhs.example') });
    expect((await store.view()).personByEmail('kirsty.moffat@nhs.example')).toBeDefined();
    clock += 16_000;
    await settled(async () => (await store.view()).personByEmail('kirsty.moffat@nhs.example') === undefined);
    expect((await store.view()).personByEmail('kirsty.moffat@nhs.example')).toBeUndefined();
    expect(loads).toBe(3);

    await store.importDirectory(dir); // this instance's own import: at once
    expect((await store.view()).personByEmail('kirsty.moffat@nhs.example')).toBeDefined();
  });

  it('moves a home to another area without leaving its old row', async () => {
    const { store } = await newStore();
    const dir = exampleDirectory();
    await store.importDirectory(dir);
    const moved = { ...dir, homes: dir.homes.map((h) => (h.id === 'pkc-tayview' ? { ...h, area: 'dg' } : h)) };
    expect(await store.importDirectory(moved)).toMatchObject({ updated: 1 });
    const homes = (await store.load()).homes.filter((h) => h.id === 'pkc-tayview');
    expect(homes).toEqual([expect.objectContaining({ area: 'dg' })]);
  });
});

describe('npm run directory', () => {
  const env = (prefix: string) => ({ ...process.env, STORAGE_CONNECTION_STRING: process.env.TEST_STORAGE_CONNECTION_STRING, TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' });
  const runCli = async (prefix: string, ...args: string[]) => {
    try {
      const r = await run(tsx, [cli, ...args], { env: env(prefix) });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('imports the example twice (the second changes nothing) and exports it', async () => {
    const { prefix } = await newStore();
    const file = path.join(__dirname, '../examples/directory.json');
    expect((await runCli(prefix, 'import', file)).stdout).toContain('"created":26');
    expect((await runCli(prefix, 'import', file)).stdout).toContain('"unchanged":26');
    const exported = JSON.parse((await runCli(prefix, 'export')).stdout);
    expect(exported.homes).toHaveLength(8);
  }, 180000);

  it('lists every problem with its path and writes nothing', async () => {
    const { prefix, store } = await newStore();
    const bad = exampleDirectory() as any;
    bad.homes[0].area = 'nowhere';
    bad.areas[0].timezone = 'Nowhere/Land';
    bad.people[2].roles = [{ role: 'support' }];
    const file = path.join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await runCli(prefix, 'import', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).toContain('homes[0].area: unknown area "nowhere"');
    expect(r.stderr).toContain('areas[0].timezone');
    expect(r.stderr).toContain('people[2].roles[0].area');
    expect(await store.load()).toEqual({ areas: [], homes: [], people: [] });
  }, 180000);

  it('refuses a file that is not JSON, and a CSV of homes in an unknown area', async () => {
    const { prefix, store } = await newStore();
    const notJson = path.join(tmp, 'broken.json');
    writeFileSync(notJson, '{"areas": [');
    const r1 = await runCli(prefix, 'import', notJson);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('not valid JSON');
    const csv = path.join(tmp, 'homes.csv');
    writeFileSync(csv, 'id,area,name,registeredPlaces,nursing\nzz-home,zz,Somewhere,10,no\n');
    const r2 = await runCli(prefix, 'import', csv);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('line 2.area: unknown area "zz"');
    expect((await store.load()).homes).toEqual([]);
  }, 180000);

  it('adds homes from a CSV to an imported directory', async () => {
    const { prefix, store } = await newStore();
    await store.importDirectory(exampleDirectory());
    const csv = path.join(tmp, 'more.csv');
    writeFileSync(csv, 'id,area,name,registeredPlaces,nursing\npkc-new,pkc,New House,12,true\npkc-birchwood,pkc,Birchwood House,40,true\n');
    const r = await runCli(prefix, 'import', csv);
    expect(r.stdout).toContain('"created":1');
    expect(r.stdout).toContain('"unchanged":1');
    store.invalidate();
    expect((await store.load()).homes).toHaveLength(9);
  }, 180000);
});
