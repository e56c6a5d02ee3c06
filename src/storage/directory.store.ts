/** The directory across its three tables: import (diffed, idempotent, retiring what left the file), export and load. */
import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { approverWarnings, DirectoryView, type Directory, type Home } from '../domain/directory';
import { fromAreaEntity, listAreaEntities, toAreaEntity } from './areas.table';
import type { Storage } from './client';
import { untilDeadline, withDeadline } from './deadline';
import { fromHomeEntity, listHomeEntities, toHomeEntity } from './homes.table';
import { fromPersonEntity, listPersonEntities, PERSON_PK, personKey, toPersonEntity, type PersonEntity } from './people.table';

/** What forgetIdentity found: the learned id removed, none to remove, an id from the directory file, or nobody by that e-mail. */
export type ForgetResult = 'cleared' | 'none' | 'in-file' | 'unknown';

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode;

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  /** said at import, the file written all the same: an area with a single approver, or none (four eyes) */
  warnings?: string[];
}

type Row = { partitionKey: string; rowKey: string; retired: boolean };

const sameFields = (want: Row, have: Row | undefined): boolean =>
  !!have && Object.entries(want).every(([k, v]) => (have as unknown as Record<string, unknown>)[k] === v);

/** How long a loaded directory is reused before its version row is checked again (imports in this process clear it at once). */
const CACHE_MS = 15_000;
/** Read whole at least this often, whatever the version row says (rows edited by hand in Storage Explorer). */
const FULL_RELOAD_MS = 10 * 60_000;
/**
 * The directory's version row, in the `areas` table beside the areas: a new token on every change (an import, an
 * identity forgotten), so that a copy is checked with one point read every 15 s and read whole (thousands of
 * rows at 1,000 homes) only when it changed. Learned object ids do not change it: each instance learns its own.
 */
const VERSION_PK = '~directory';
const VERSION_RK = 'version';
/** The shared load's own deadline (not a request's): stalled storage cannot hold it for ever. */
const SHARED_LOAD_MS = 10_000;

export class DirectoryStore {
  /** `at`: when the copy was last known current; `loadedAt`: when it was read whole; `version`: the token it was read under */
  private cached?: { view: DirectoryView; at: number; formerNames: Map<string, string>; version: string; loadedAt: number };
  /** object ids learned by this process (e-mail → id): put on the copy in hand, and on a load that may predate them */
  private readonly learned = new Map<string, string>();
  private loading?: Promise<DirectoryView>;
  private generation = 0;

  constructor(private readonly storage: Storage, private readonly now: () => number = Date.now) {}

  private get areas(): TableClient {
    return this.storage.table('areas');
  }
  private get homes(): TableClient {
    return this.storage.table('homes');
  }
  private get people(): TableClient {
    return this.storage.table('people');
  }

  /** The current (not retired) directory. */
  async load(): Promise<Directory> {
    return (await this.loadForView()).directory;
  }

  /** The current directory, and the names of retired people (e-mail → name) for showing what they did: what `view()` reads. */
  async loadForView(): Promise<{ directory: Directory; formerNames: Map<string, string> }> {
    const [areas, homes, people] = await Promise.all([listAreaEntities(this.areas), listHomeEntities(this.homes), listPersonEntities(this.people)]);
    return {
      directory: {
        areas: areas.filter((e) => !e.retired).map(fromAreaEntity),
        homes: homes.filter((e) => !e.retired).map(fromHomeEntity),
        people: people.filter((e) => !e.retired).map(fromPersonEntity),
      },
      formerNames: new Map(people.filter((e) => e.retired).map((e) => { const p = fromPersonEntity(e); return [p.email.toLowerCase(), p.name] as const; })),
    };
  }

  /** Everything ever in the directory, retired entries included: the names of records that outlive it (the exports). */
  async loadIncludingRetired(): Promise<Directory> {
    const [areas, homes, people] = await Promise.all([listAreaEntities(this.areas), listHomeEntities(this.homes), listPersonEntities(this.people)]);
    return { areas: areas.map(fromAreaEntity), homes: homes.map(fromHomeEntity), people: people.map(fromPersonEntity) };
  }

  /**
   * The directory for answering a request: read at most every few seconds, by one load at a time. While a
   * newer copy loads, requests are answered from the one in hand (a directory changes a few times a year,
   * and an import in this process clears it at once), so a busy server never waits on, or repeats, the load.
   */
  async view(): Promise<DirectoryView> {
    const cached = this.cached;
    if (cached && this.now() - cached.at <= CACHE_MS) return cached.view;
    if (!this.loading) {
      const generation = this.generation;
      // One load for every request that wants it: it runs under its own deadline, not a request's (one request's time
      // running out must not fail the others'), and each request waits for it only until its own deadline.
      this.loading = withDeadline(SHARED_LOAD_MS, async () => {
        // the version first: a change written while the tables are read shows as a new version at the next check
        const version = await this.readVersion();
        const held = this.cached;
        if (held && held.version === version && this.now() - held.loadedAt < FULL_RELOAD_MS) return { version, kept: held.view };
        return { version, ...(await this.loadForView()) };
      })
        .then((loaded) => {
          if (!('directory' in loaded)) {
            const held = this.cached;
            if (generation === this.generation && held) this.cached = { ...held, at: this.now() };
            return loaded.kept;
          }
          const view = new DirectoryView(this.withLearned(loaded.directory), loaded.formerNames);
          if (generation === this.generation) this.cached = { view, at: this.now(), loadedAt: this.now(), formerNames: loaded.formerNames, version: loaded.version };
          return view;
        })
        .finally(() => {
          if (generation === this.generation) this.loading = undefined;
        });
      // A failed load while a stale copy answers is not an error of its own: the next request tries again.
      this.loading.catch(() => undefined);
    }
    return cached ? cached.view : untilDeadline(this.loading);
  }

  private async readVersion(): Promise<string> {
    try {
      return (await this.areas.getEntity<{ token: string }>(VERSION_PK, VERSION_RK)).token;
    } catch (e) {
      if (statusOf(e) === 404) return 'none';
      throw e;
    }
  }

  /** Every instance's copy is read again within 15 s (and this one's at once). */
  private async changed(at: Date): Promise<void> {
    await this.areas.upsertEntity({ partitionKey: VERSION_PK, rowKey: VERSION_RK, token: randomUUID(), at: at.toISOString() }, 'Replace');
    this.invalidate();
  }

  /** The directory with the object ids learned here put on their people (a load may have read before the write). */
  private withLearned(directory: Directory): Directory {
    if (this.learned.size === 0) return directory;
    return {
      ...directory,
      people: directory.people.map((p) => {
        const oid = this.learned.get(p.email.toLowerCase());
        return oid && !p.aadObjectId ? { ...p, aadObjectId: oid } : p;
      }),
    };
  }

  /** A first contact: the copy in hand gets the person's object id, in place (no reload; its age is kept). */
  private rememberLearned(email: string, objectId: string): void {
    this.learned.set(email.toLowerCase(), objectId);
    const cached = this.cached;
    if (cached) this.cached = { ...cached, view: new DirectoryView(this.withLearned(cached.view.directory), cached.formerNames) };
  }

  /** The next request reads the directory again (a load already under way may predate the change: it is not kept). */
  invalidate(): void {
    this.learned.clear();
    this.cached = undefined;
    this.loading = undefined;
    this.generation++;
  }

  private async personRow(email: string): Promise<(PersonEntity & { etag: string }) | undefined> {
    try {
      return await this.people.getEntity<PersonEntity>(PERSON_PK, personKey(email));
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /**
   * Remembers the Entra object id a directory person turned out to have, only while none is known:
   * true when the person now has this id, false when they already have another (a second account with
   * the same e-mail is not that person). The write is conditional, so two first sightings cannot both win.
   */
  async learnObjectId(email: string, objectId: string): Promise<boolean> {
    const oid = objectId.toLowerCase();
    for (let attempt = 0; attempt < 2; attempt++) {
      const row = await this.personRow(email);
      if (!row || row.retired) return false;
      const known = row.aadObjectId || row.learnedObjectId;
      if (known) {
        // learned by another instance: this one's copy gets it too, rather than asking the roster again
        if (known.toLowerCase() === oid && row.learnedObjectId) this.rememberLearned(email, oid);
        return known.toLowerCase() === oid;
      }
      try {
        await this.people.updateEntity({ partitionKey: PERSON_PK, rowKey: row.rowKey, learnedObjectId: oid }, 'Merge', { etag: row.etag });
        this.rememberLearned(email, oid);
        return true;
      } catch (e) {
        if (statusOf(e) !== 412) throw e;
      }
    }
    return false;
  }

  /** Forgets the object id learned for a person (their account was re-created): the next sighting by e-mail is learned again. */
  async forgetIdentity(email: string): Promise<ForgetResult> {
    this.learned.delete(email.toLowerCase());
    const row = await this.personRow(email);
    if (!row || row.retired) return 'unknown';
    if (row.learnedObjectId) {
      const { etag, timestamp: _timestamp, learnedObjectId: _learned, ...rest } = row as PersonEntity & { etag: string; timestamp?: string; 'odata.metadata'?: string };
      delete (rest as Record<string, unknown>)['odata.metadata'];
      await this.people.updateEntity(rest, 'Replace', { etag });
      await this.changed(new Date());
    }
    if (row.aadObjectId) return 'in-file';
    return row.learnedObjectId ? 'cleared' : 'none';
  }

  /** Writes a validated directory: only what changed is written; what left the file is retired. */
  async importDirectory(dir: Directory, at = new Date()): Promise<ImportReport> {
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, retired: 0 };
    const [areas, homes, people] = await Promise.all([listAreaEntities(this.areas), listHomeEntities(this.homes), listPersonEntities(this.people)]);
    await this.sync(this.areas, dir.areas.map(toAreaEntity), areas, report, at, true);
    await this.sync(this.homes, dir.homes.map(toHomeEntity), homes, report, at, true);
    await this.sync(this.people, dir.people.map(toPersonEntity), people, report, at, true);
    await this.changed(at);
    const warnings = approverWarnings(dir);
    return warnings.length ? { ...report, warnings } : report;
  }

  /** Adds or changes homes from a spreadsheet; retires nothing. */
  async importHomes(list: Home[], at = new Date()): Promise<ImportReport> {
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, retired: 0 };
    const existing = await listHomeEntities(this.homes);
    await this.sync(this.homes, list.map(toHomeEntity), existing, report, at, false);
    await this.changed(at);
    return report;
  }

  private async sync<T extends Row>(table: TableClient, wanted: T[], existing: T[], report: ImportReport, at: Date, retireMissing: boolean): Promise<void> {
    // Rows are matched by row key alone: a home that moved area changes partition, so its old row goes.
    const byRow = new Map(existing.map((e) => [e.rowKey, e]));
    const wantedRows = new Set(wanted.map((w) => w.rowKey));
    for (const want of wanted) {
      const have = byRow.get(want.rowKey);
      if (sameFields(want, have)) {
        report.unchanged++;
        continue;
      }
      if (have && have.partitionKey !== want.partitionKey) await table.deleteEntity(have.partitionKey, have.rowKey);
      await table.upsertEntity(want as T & Record<string, unknown>, 'Merge');
      if (have) report.updated++;
      else report.created++;
    }
    if (!retireMissing) return;
    for (const have of existing) {
      if (wantedRows.has(have.rowKey) || have.retired) continue;
      await table.updateEntity({ partitionKey: have.partitionKey, rowKey: have.rowKey, retired: true, retiredAt: at.toISOString() }, 'Merge');
      report.retired++;
    }
  }
}
