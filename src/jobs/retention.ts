/**
 * Job `retention` (daily, 02:30 in each area). First the nightly backup of every table to the backup account
 * (when one is configured; once a UTC day, whichever area's run comes first: src/storage/backup.ts). Then it removes what was kept only to deliver a job's messages once — the `deliveries` rows (each a
 * copy of a message sent, with its recipient) and the occurrence's queues — when the occurrence is older than
 * DELIVERY_RETENTION_DAYS. The records are kept: answers and their versions, escalations, plans and actions, digests
 * and the audit log are never removed by that rule. A job run again by hand for a date older than that sends again.
 * Last, RECORDS_RETENTION: each records table it names loses its finished records older than its days (the owner's
 * decision, docs/data-model.md); a table it does not name keeps everything.
 */
import type { AppContext } from '../context';
import { addDays, localDate } from '../domain/calendar';
import { occurrenceKey } from '../storage/deliveries.table';
import type { RecordTableName } from '../storage/table-names';
import { jobAreas, type Job, type JobResult } from './registry';

/** Long enough to look into a month's sends, and to re-run any occurrence of the past weeks. */
export const DELIVERY_RETENTION_DAYS = 35;

export const retention: Job = async (ctx: AppContext, params, progress) => {
  const dir = await ctx.directory.view();
  const result: JobResult = { job: 'retention', sent: 0, skipped: 0, failed: 0, details: [] };
  const now = ctx.clock();
  const { BACKUP_CONNECTION_STRING: connectionString, BACKUP_STORAGE_URL: accountUrl, BACKUP_CONTAINER: container } = ctx.config;
  try {
    const backup = await ctx.backups.nightly({ connectionString, accountUrl, container }, now.toISOString().slice(0, 10), now);
    if (backup) result.details.push({ backup: now.toISOString().slice(0, 10), taken: backup.taken, ...(backup.manifest ? { tables: backup.manifest.tables } : {}) });
  } catch (e) {
    // reported (failed, BACKUP.FAILED: the alert on failed jobs), and the removals still run: earlier backups hold 35 days
    result.failed++;
    ctx.log.error({ job: 'retention', code: 'BACKUP.FAILED', status: (e as { statusCode?: number }).statusCode }, 'nightly backup not taken');
    result.details.push({ backup: now.toISOString().slice(0, 10), taken: false, failed: true });
  }
  const areas = jobAreas(dir, params);
  const table = ctx.deliveries;
  const occurrences = await table.occurrences();
  for (const area of areas) {
    const today = params.date ?? localDate(ctx.clock(), area.timezone);
    const before = addDays(today, -DELIVERY_RETENTION_DAYS);
    const old = occurrences.filter((o) => o.area === area.id && o.date < before);
    let rows = 0;
    let removed = 0;
    for (const [i, occ] of old.entries()) {
      try {
        // Queues first, rows after with the lease last: a removal cut short is listed, and finished, next time.
        await ctx.queues.remove(occ);
        rows += await table.remove(occurrenceKey(occ));
        removed++;
      } catch (e) {
        result.failed++;
        ctx.log.warn({ job: 'retention', area: area.id, occurrence: occ.job, date: occ.date, status: (e as { statusCode?: number }).statusCode }, 'occurrence not removed');
      }
      progress({ done: i + 1, total: old.length });
    }
    result.details.push({ area: area.id, before, occurrencesRemoved: removed, rowsRemoved: rows });
  }
  for (const [table, days] of Object.entries(ctx.config.recordsRetention) as [RecordTableName, number][]) {
    const before = new Date(now.getTime() - days * 86_400_000);
    try {
      result.details.push({ records: table, keepDays: days, before: before.toISOString(), rowsRemoved: await ctx.records.removeBefore(table, before) });
    } catch (e) {
      result.failed++;
      ctx.log.warn({ job: 'retention', table, status: (e as { statusCode?: number }).statusCode }, 'records not removed');
    }
  }
  return result;
};
