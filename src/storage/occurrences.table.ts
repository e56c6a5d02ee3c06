/**
 * Table `occurrences`: one row per scheduled occurrence (job, area, date) saying whether it was done, and
 * one `%since` row per area saying from when the schedule is kept (the first start, or the last change of
 * the area's times). The row is also the occurrence's lease: an instance claims it with the ETag before it
 * runs it, so two instances with the scheduler on run each occurrence once.
 * PK area id, RK `${date}_${job}` (or `%since`).
 */
import { odata, type TableClient } from '@azure/data-tables';
import { recordKey, type OccurrenceRecord, type OccurrenceState } from '../domain/schedule';
import { isConflict, isNotFound } from './client';

/** "%since" sorts before every date and is never an occurrence's key. */
const SINCE = '%since';

export interface ScheduleMarker {
  since: Date;
  /** the area's times the schedule follows (domain scheduleTimes) */
  times: string;
  etag: string;
}

export interface StoredOccurrence extends OccurrenceRecord {
  job: string;
  date: string;
  holder?: string;
  attempts: number;
  etag: string;
}

/** The counts and reasons kept with a finished occurrence: numbers and fixed words only. */
export interface OccurrenceOutcome {
  state: Exclude<OccurrenceState, 'running'>;
  why?: string;
  sent?: number;
  skipped?: number;
  failed?: number;
}

type Row = Record<string, unknown> & { rowKey?: string; etag?: string };

const toStored = (e: Row): StoredOccurrence => ({
  job: String(e.job),
  date: String(e.date),
  state: e.state as OccurrenceState,
  ...(e.doneAt ? { doneAt: new Date(String(e.doneAt)) } : {}),
  ...(e.leaseUntil !== undefined ? { leaseUntil: Number(e.leaseUntil) } : {}),
  ...(e.holder ? { holder: String(e.holder) } : {}),
  attempts: Number(e.attempts ?? 0),
  etag: String(e.etag),
});

export class OccurrencesTable {
  constructor(private readonly table: TableClient) {}

  async marker(area: string): Promise<ScheduleMarker | undefined> {
    try {
      const e = (await this.table.getEntity(area, SINCE)) as Row;
      return { since: new Date(String(e.since)), times: String(e.times), etag: String(e.etag) };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Starts (no marker yet) or restarts (times changed: `etag` of the marker read) the area's schedule at `since`; false when another instance did first. */
  async setMarker(area: string, since: Date, times: string, etag?: string): Promise<boolean> {
    const entity = { partitionKey: area, rowKey: SINCE, since: since.toISOString(), times };
    try {
      if (etag) await this.table.updateEntity(entity, 'Replace', { etag });
      else await this.table.createEntity(entity);
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /** The area's occurrence rows from a date on. */
  async list(area: string, fromDate: string): Promise<StoredOccurrence[]> {
    const out: StoredOccurrence[] = [];
    const filter = odata`PartitionKey eq ${area} and RowKey ge ${fromDate}`;
    for await (const e of this.table.listEntities({ queryOptions: { filter } })) out.push(toStored(e as Row));
    return out;
  }

  async get(area: string, job: string, date: string): Promise<StoredOccurrence | undefined> {
    try {
      return toStored((await this.table.getEntity(area, recordKey(job, date))) as Row);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Claims the occurrence for `holder` until `until` (ms): creates its row, or takes the row read as `current`
   * with its ETag. Answers the new ETag, or undefined when another instance wrote first.
   */
  async claim(area: string, job: string, date: string, current: StoredOccurrence | undefined, holder: string, until: number, at: Date): Promise<string | undefined> {
    const entity = { partitionKey: area, rowKey: recordKey(job, date), job, date, state: 'running', holder, leaseUntil: until, startedAt: at.toISOString(), attempts: (current?.attempts ?? 0) + 1 };
    try {
      const r = current ? await this.table.updateEntity(entity, 'Merge', { etag: current.etag }) : await this.table.createEntity(entity);
      return r.etag;
    } catch (e) {
      if (isConflict(e)) return undefined;
      throw e;
    }
  }

  /** Extends a claim; the new ETag, or undefined when the row changed (the lease ran out and was taken). */
  async renew(area: string, job: string, date: string, etag: string, until: number): Promise<string | undefined> {
    try {
      return (await this.table.updateEntity({ partitionKey: area, rowKey: recordKey(job, date), leaseUntil: until }, 'Merge', { etag })).etag;
    } catch (e) {
      if (isConflict(e)) return undefined;
      throw e;
    }
  }

  /** Records how the claimed occurrence ended; false when the claim was lost meanwhile. */
  async finish(area: string, job: string, date: string, etag: string, outcome: OccurrenceOutcome, at: Date): Promise<boolean> {
    const entity = {
      partitionKey: area,
      rowKey: recordKey(job, date),
      state: outcome.state,
      why: outcome.why ?? '',
      sent: outcome.sent ?? 0,
      skipped: outcome.skipped ?? 0,
      failed: outcome.failed ?? 0,
      leaseUntil: 0,
      holder: '',
      ...(outcome.state === 'failed' ? { failedAt: at.toISOString() } : { doneAt: at.toISOString() }),
    };
    try {
      await this.table.updateEntity(entity, 'Merge', { etag });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }
}
