/**
 * Send intents, kept in the table and partition of the change that causes them, so that the change and
 * "tell Teams" are one transaction: a crash can lose neither one without the other. Their row keys start
 * "~out_" ("~" sorts after every data key, so no data range query meets them). The delivery worker scans
 * them, claims each with its ETag, sends it and removes it; an intent rewritten meanwhile (a newer change to
 * the same card) keeps its new ETag, so the removal fails and the newer state is sent next.
 */
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { ExportKind } from '../domain/export';
import { isConflict, isNotFound } from './client';

export const OUTBOX_PREFIX = '~out_';

export type Intent =
  /** post or update an escalation's card in its area's support channel, rendered from the row when sent */
  | { kind: 'escalation-card'; areaId: string; escalationId: string }
  /** a 1:1 text to a directory person (a manager's notice) */
  | { kind: 'notice'; email: string; text: string; about: string }
  /**
   * the area's daily summary of `date` brought up to date in its channel message (a late answer with a concern), rendered
   * from the stored data when sent; nothing when that day's summary is not posted yet. Kept in the answer's partition.
   */
  | { kind: 'daily-summary'; areaId: string; date: string }
  /** "this action is yours", to its responsible person */
  | { kind: 'assigned'; homeId: string; theme: number; seq: number }
  /**
   * an export accepted through Teams' file consent card: the worker builds the CSV from these parameters, uploads it
   * to Teams' URL and sends the FileInfoCard (the file itself is never stored: a row holds at most 1 MB)
   */
  | { kind: 'export-file'; email: string; what: ExportKind; areaId: string; from: string; to: string; upload: UploadTarget };

/** Where Teams asked for the file (fileConsent/invoke's uploadInfo), checked for shape. */
export interface UploadTarget {
  uploadUrl: string;
  contentUrl: string;
  name: string;
  uniqueId: string;
  fileType: string;
}

export interface PendingIntent {
  table: string;
  partitionKey: string;
  rowKey: string;
  intent: Intent;
  attempts: number;
  etag: string;
}

interface OutboxEntity {
  partitionKey: string;
  rowKey: string;
  intent: string;
  createdAt: string;
  /** ms since the epoch: claimed by a sender until then, or waiting for a retry until then */
  notBefore: number;
  attempts: number;
}

/** The transaction action that records an intent (replacing an earlier one with the same key: the newest wins). */
export function recordIntent(partitionKey: string, key: string, intent: Intent, at: Date): TransactionAction {
  const entity: OutboxEntity = { partitionKey, rowKey: `${OUTBOX_PREFIX}${key}`, intent: JSON.stringify(intent), createdAt: at.toISOString(), notBefore: 0, attempts: 0 };
  return ['upsert', entity as unknown as TableEntity, 'Replace'];
}

/**
 * One table's intents. `partitions`, for a large table (the huddles), names the partitions that can hold intents (the
 * areas): each is read as a RowKey range of its own partition instead of a scan of the whole table.
 */
export class Outbox {
  constructor(
    private readonly table: TableClient,
    readonly name: string,
    private readonly partitions?: () => Promise<string[]>,
  ) {}

  private async *rows(extra?: number): AsyncGenerator<OutboxEntity & { etag: string }> {
    const filterOf = (pk?: string) =>
      pk === undefined
        ? extra === undefined
          ? odata`RowKey ge ${OUTBOX_PREFIX} and RowKey lt ${'~out`'}`
          : odata`RowKey ge ${OUTBOX_PREFIX} and RowKey lt ${'~out`'} and notBefore le ${extra}`
        : extra === undefined
          ? odata`PartitionKey eq ${pk} and RowKey ge ${OUTBOX_PREFIX} and RowKey lt ${'~out`'}`
          : odata`PartitionKey eq ${pk} and RowKey ge ${OUTBOX_PREFIX} and RowKey lt ${'~out`'} and notBefore le ${extra}`;
    const keys = this.partitions ? await this.partitions() : [undefined];
    for (const pk of keys) {
      try {
        for await (const e of this.table.listEntities<OutboxEntity>({ queryOptions: { filter: filterOf(pk) } })) yield e as OutboxEntity & { etag: string };
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Intents due now (not claimed, not waiting for a retry), across every partition. */
  async due(nowMs: number, max = 100): Promise<PendingIntent[]> {
    const out: PendingIntent[] = [];
    for await (const e of this.rows(nowMs)) {
      out.push({ table: this.name, partitionKey: e.partitionKey, rowKey: e.rowKey, intent: JSON.parse(e.intent) as Intent, attempts: e.attempts ?? 0, etag: e.etag });
      if (out.length >= max) break;
    }
    return out;
  }

  /** True when no intent is left at all (claimed or waiting ones included). */
  async empty(): Promise<boolean> {
    for await (const _ of this.rows()) return false;
    return true;
  }

  /** Takes an intent until `untilMs`: false when another sender took it or it changed. Answers the new ETag. */
  async claim(p: PendingIntent, untilMs: number): Promise<string | undefined> {
    try {
      const r = await this.table.updateEntity({ partitionKey: p.partitionKey, rowKey: p.rowKey, notBefore: untilMs }, 'Merge', { etag: p.etag });
      return r.etag;
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Removes a sent intent, unless it was rewritten since it was claimed (then the newer one is sent next). */
  async done(p: PendingIntent, claimedEtag: string): Promise<void> {
    try {
      await this.table.deleteEntity(p.partitionKey, p.rowKey, { etag: claimedEtag });
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return;
      throw e;
    }
  }

  /** Puts an intent back, to be tried again from `atMs`, having been tried `attempts` times. */
  async retryAt(p: PendingIntent, claimedEtag: string, atMs: number, attempts: number): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey: p.partitionKey, rowKey: p.rowKey, notBefore: atMs, attempts }, 'Merge', { etag: claimedEtag });
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return;
      throw e;
    }
  }
}
