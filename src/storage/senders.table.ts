/**
 * The instances sending proactive messages, one row each in the `deliveries` table's "%senders" partition
 * (no encoded occurrence key starts "%s": encodeURIComponent follows % with two hex digits). Each row says when
 * the instance last sent (Table storage's own Timestamp, so instances' clocks need not agree) and how long it is
 * paused by a 429 from that moment.
 */
import { odata, type TableClient } from '@azure/data-tables';
import type { Storage } from './client';

const PARTITION = '%senders';

export interface SenderRow {
  instance: string;
  /** when the row was written, by Table storage's clock (ms) */
  writtenAt: number;
  /** a 429's Retry-After still to run at `writtenAt` (ms) */
  pauseMs: number;
}

export class SendersTable {
  constructor(private readonly storage: Storage) {}

  private get table(): TableClient {
    return this.storage.table('deliveries');
  }

  async beat(instance: string, pauseMs: number): Promise<void> {
    await this.table.upsertEntity({ partitionKey: PARTITION, rowKey: instance, pauseMs: Math.max(0, Math.round(pauseMs)) }, 'Replace');
  }

  async list(): Promise<SenderRow[]> {
    const out: SenderRow[] = [];
    const filter = odata`PartitionKey eq ${PARTITION}`;
    for await (const e of this.table.listEntities<{ pauseMs?: number }>({ queryOptions: { filter } })) {
      out.push({ instance: e.rowKey!, writtenAt: Date.parse(e.timestamp ?? '') || 0, pauseMs: Number(e.pauseMs ?? 0) });
    }
    return out;
  }

  async leave(instance: string): Promise<void> {
    await this.table.deleteEntity(PARTITION, instance).catch(() => undefined);
  }
}
