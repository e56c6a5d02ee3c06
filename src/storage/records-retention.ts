/**
 * Records retention: how long each records table keeps a record once it is finished, set by the owner
 * (RECORDS_RETENTION; docs/data-model.md). The default is to keep everything. Each table says which column
 * dates a record and which records are finished: an open escalation or an open action is never removed, however
 * old. The directory tables (areas, homes, people, conversations, arealinks, plans) are the current state, kept
 * by the directory import, and `deliveries` has its own rule (DELIVERY_RETENTION_DAYS).
 */
import { odata } from '@azure/data-tables';
import type { Storage } from './client';
import { isNotFound } from './client';
import { RECORD_TABLE_NAMES, type RecordTableName } from './table-names';

interface Rule {
  /** the rows to remove: dated before the cut-off (a date `YYYY-MM-DD` or an ISO instant, as the column holds) */
  filter(beforeDate: string, beforeIso: string): string;
  /** rows that go with a removed one (same partition) */
  with?(rowKey: string): string[];
}

export const RECORD_RULES = {
  /** an answer, its versions and the home's last answer, by the huddle date */
  huddles: { filter: (d) => odata`date lt ${d}` },
  /** an audit entry, by when it was written */
  audit: { filter: (_d, iso) => odata`at lt ${iso}` },
  /** a closed escalation (and its channel message row), by when it was closed */
  escalations: { filter: (_d, iso) => odata`state eq 'closed' and closedAt lt ${iso}`, with: (rk) => [`msg_${rk}`] },
  /** a completed action with its log, by when it was completed */
  actions: { filter: (_d, iso) => odata`status eq 'completed' and completedAt lt ${iso}` },
  /** a weekly digest's claim, by its week */
  digests: { filter: (d) => odata`weekStart lt ${d}` },
  /** a scheduled occurrence's record, by its date (the area's %since marker has none) */
  occurrences: { filter: (d) => odata`date lt ${d}` },
  /** a job run by hand, by its start (a running one is left) */
  jobruns: { filter: (_d, iso) => odata`startedAt lt ${iso} and state ne 'running'` },
  /** a chat where a plan was shown, by when */
  planchats: { filter: (_d, iso) => odata`shownAt lt ${iso}` },
} satisfies Record<RecordTableName, Rule>;

export type RecordTable = RecordTableName;
export const RECORD_TABLES = RECORD_TABLE_NAMES;

/** Removes one table's records dated before `before` (an instant); answers how many rows went. */
export async function removeRecordsBefore(storage: Storage, table: RecordTable, before: Date): Promise<number> {
  const rule: Rule = RECORD_RULES[table];
  const client = storage.table(table);
  const iso = before.toISOString();
  let removed = 0;
  const rows: { partitionKey: string; rowKey: string }[] = [];
  for await (const e of client.listEntities<object>({ queryOptions: { filter: rule.filter(iso.slice(0, 10), iso), select: ['PartitionKey', 'RowKey'] } })) rows.push({ partitionKey: e.partitionKey!, rowKey: e.rowKey! });
  for (const r of rows) {
    for (const rk of [r.rowKey, ...(rule.with?.(r.rowKey) ?? [])]) {
      try {
        await client.deleteEntity(r.partitionKey, rk);
        removed++;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
  return removed;
}

/** A records table's rules over one account, for the retention job (the context holds it). */
export class RecordsRetention {
  constructor(private readonly storage: Storage) {}
  removeBefore(table: RecordTable, before: Date): Promise<number> {
    return removeRecordsBefore(this.storage, table, before);
  }
}
