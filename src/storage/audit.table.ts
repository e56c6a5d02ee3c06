/**
 * Table `audit`: every change, append-only. PK "<entity>_<id>" (one partition per thing audited),
 * RK "<ISO time>_<random>" so that a partition reads in time order.
 */
import { randomUUID } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { encodeKey } from './client';

export interface AuditEntry {
  entity: string;
  entityId: string;
  action: string;
  /** e-mail of the person, or "system" / a job name */
  by: string;
  at: Date;
  from?: string;
  to?: string;
  note?: string;
  /** the version of the thing written, as JSON */
  data?: unknown;
}

export interface AuditRecord extends Omit<AuditEntry, 'at' | 'data'> {
  at: string;
  data?: string;
}

const partition = (entity: string, entityId: string) => `${entity}_${encodeKey(entityId)}`;

export class AuditTable {
  constructor(private readonly table: TableClient) {}

  /** The entity for an entry, for callers that write it in the same batch as the change. */
  static entity(entry: AuditEntry) {
    return {
      partitionKey: partition(entry.entity, entry.entityId),
      rowKey: `${entry.at.toISOString()}_${randomUUID().slice(0, 8)}`,
      entity: entry.entity,
      entityId: entry.entityId,
      action: entry.action,
      by: entry.by,
      at: entry.at.toISOString(),
      ...(entry.from !== undefined ? { from: entry.from } : {}),
      ...(entry.to !== undefined ? { to: entry.to } : {}),
      ...(entry.note !== undefined ? { note: entry.note } : {}),
      ...(entry.data !== undefined ? { data: JSON.stringify(entry.data) } : {}),
    };
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.table.createEntity(AuditTable.entity(entry));
  }

  async history(entity: string, entityId: string): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const filter = odata`PartitionKey eq ${partition(entity, entityId)}`;
    for await (const e of this.table.listEntities<AuditRecord>({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  /** The entries of one thing from an instant on (ISO; the RowKey starts with the time), in time order. */
  async historySince(entity: string, entityId: string, since: string): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const filter = odata`PartitionKey eq ${partition(entity, entityId)} and RowKey ge ${since}`;
    for await (const e of this.table.listEntities<AuditRecord>({ queryOptions: { filter } })) out.push(e);
    return out;
  }
}
