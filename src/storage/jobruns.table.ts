/**
 * Table `jobruns`: one row per run of a job started by hand (`POST /api/jobs/{job}`, `npm run job`), so that
 * any instance can answer `GET /api/jobs/runs/{id}` with its progress and, at the end, its counts.
 * PK `run`, RK run id (a UUID).
 */
import type { TableClient } from '@azure/data-tables';
import { isNotFound } from './client';

export type JobRunState = 'running' | 'done' | 'failed';

export interface JobRun {
  id: string;
  job: string;
  area?: string;
  date?: string;
  state: JobRunState;
  startedAt: string;
  /** written with every progress report and on a heartbeat while it runs */
  updatedAt: string;
  finishedAt?: string;
  done: number;
  total: number;
  /** the job's answer (counts and details) once it finished */
  result?: unknown;
}

const PK = 'run';
/** A string property holds at most 64 KiB: a bigger result is split over r0, r1, … */
const PART = 30_000;

type Row = Record<string, unknown>;

export class JobRunsTable {
  constructor(private readonly table: TableClient) {}

  async create(run: Omit<JobRun, 'result' | 'finishedAt'>): Promise<void> {
    const { id, ...rest } = run;
    await this.table.createEntity({ partitionKey: PK, rowKey: id, ...rest });
  }

  async progress(id: string, done: number, total: number, at: Date): Promise<void> {
    await this.table.updateEntity({ partitionKey: PK, rowKey: id, done, total, updatedAt: at.toISOString() }, 'Merge');
  }

  async finish(id: string, state: Exclude<JobRunState, 'running'>, progress: { done: number; total: number }, result: unknown, at: Date): Promise<void> {
    const json = JSON.stringify(result ?? null);
    const parts: Record<string, string> = {};
    for (let i = 0; i * PART < json.length; i++) parts[`r${i}`] = json.slice(i * PART, (i + 1) * PART);
    await this.table.updateEntity({ partitionKey: PK, rowKey: id, state, done: progress.done, total: progress.total, finishedAt: at.toISOString(), updatedAt: at.toISOString(), parts: Object.keys(parts).length, ...parts }, 'Merge');
  }

  async get(id: string): Promise<JobRun | undefined> {
    let e: Row;
    try {
      e = (await this.table.getEntity(PK, id)) as Row;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const parts = Number(e.parts ?? 0);
    const json = Array.from({ length: parts }, (_, i) => String(e[`r${i}`] ?? '')).join('');
    return {
      id,
      job: String(e.job),
      ...(e.area ? { area: String(e.area) } : {}),
      ...(e.date ? { date: String(e.date) } : {}),
      state: e.state as JobRunState,
      startedAt: String(e.startedAt),
      updatedAt: String(e.updatedAt),
      ...(e.finishedAt ? { finishedAt: String(e.finishedAt) } : {}),
      done: Number(e.done ?? 0),
      total: Number(e.total ?? 0),
      ...(parts ? { result: JSON.parse(json) as unknown } : {}),
    };
  }
}
