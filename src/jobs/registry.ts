/** The jobs of §7, by name: each runs for an optional area and date and reports what it sent. */
import type { AppContext } from '../context';
import type { Area, DirectoryView } from '../domain/directory';
import { JOB_NAMES, type JobName } from '../domain/schedule';
import type { DeliveryReport, Progress } from '../delivery/types';

export type { Progress };

export { JOB_NAMES, type JobName };

export interface JobParams {
  /** one area, or every area when absent */
  area?: string;
  /** YYYY-MM-DD in the area's time zone; today there when absent */
  date?: string;
  /** set by the scheduler only: said beside the card when it goes late, or its prompts never went (domain scheduleNote) */
  note?: string;
}

export interface JobResult {
  job: string;
  sent: number;
  skipped: number;
  failed: number;
  stale?: number;
  details: unknown[];
}

/** The areas a job runs for: the one asked for (none when it is not in the directory), else every area. */
export const jobAreas = (dir: DirectoryView, params: JobParams): Area[] =>
  params.area ? [dir.areas.get(params.area)].filter((a): a is Area => a !== undefined) : dir.directory.areas;


export type Job = (ctx: AppContext, params: JobParams, progress: Progress) => Promise<JobResult>;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  register(name: JobName, job: Job): this {
    this.jobs.set(name, job);
    return this;
  }

  get(name: string): Job | undefined {
    return this.jobs.get(name);
  }

  /** Why a name cannot run: unknown, or a job of the spec that this build does not have yet. */
  whyNot(name: string): string | undefined {
    if (this.jobs.has(name)) return undefined;
    if ((JOB_NAMES as readonly string[]).includes(name)) return `The job "${name}" is not available in this version yet.`;
    return `There is no job "${name}". Jobs: ${JOB_NAMES.join(', ')}.`;
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }
}

/** Adds a delivery report to a job's result. */
export function addReport(result: JobResult, report: DeliveryReport): JobResult {
  result.sent += report.sent;
  result.skipped += report.skipped;
  result.failed += report.failed;
  result.stale = (result.stale ?? 0) + report.stale;
  return result;
}
