/**
 * One row per recipient of a job occurrence (PK occurrence key, RK recipient key) holding the message
 * and its outcome, plus one lease row per occurrence so that only one instance prepares it.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { OutgoingMessage } from '../messaging';
import { decodeKey, encodeKey, isConflict, isNotFound, type Storage } from './client';
import type { ConversationKind, ConversationRef } from '../messaging';

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'stale' | 'failed';
export const FINAL: DeliveryState[] = ['sent', 'stale', 'failed'];

export interface DeliveryItem {
  key: string;
  kind: ConversationKind;
  conversationKey: string;
  reference: ConversationRef;
  message: OutgoingMessage;
  state: DeliveryState;
  activityId?: string;
  status?: number;
  tries?: number;
  claimUntil?: number;
  etag?: string;
}

/** "%lease" can never be an encoded recipient key: encodeURIComponent always follows % with two hex digits. */
const LEASE = '%lease';
/** A string property holds at most 64 KiB (32 K UTF-16 characters): the message JSON is split across m0, m1, … */
const PART = 30_000;

/** One run of a job for one area and date. */
export type Occurrence = { job: string; area: string; date: string };

export const occurrenceKey = (o: Occurrence) => `${o.job}|${o.area}|${o.date}`;
const occurrenceOf = (key: string): Occurrence => {
  const [job, area, date] = key.split('|');
  return { job, area, date };
};

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string; etag?: string };

function toItem(e: Row): DeliveryItem {
  const parts = Number(e.parts ?? 0);
  const json = Array.from({ length: parts }, (_, i) => String(e[`m${i}`] ?? '')).join('');
  return {
    key: String(e.key),
    kind: e.kind as ConversationKind,
    conversationKey: String(e.conversationKey),
    reference: JSON.parse(String(e.reference)) as ConversationRef,
    message: JSON.parse(json) as OutgoingMessage,
    state: e.state as DeliveryState,
    ...(e.activityId ? { activityId: String(e.activityId) } : {}),
    ...(e.status !== undefined ? { status: Number(e.status) } : {}),
    ...(e.tries !== undefined ? { tries: Number(e.tries) } : {}),
    ...(e.claimUntil !== undefined ? { claimUntil: Number(e.claimUntil) } : {}),
    ...(e.etag ? { etag: e.etag } : {}),
  };
}

export interface Lease {
  holder: string;
  until: number;
  prepared: boolean;
  etag: string;
}

export class DeliveriesTable {
  constructor(private readonly storage: Storage) {}

  private get table(): TableClient {
    return this.storage.table('deliveries');
  }

  private entity(occ: string, item: Omit<DeliveryItem, 'state'>) {
    const json = JSON.stringify(item.message);
    const parts: Record<string, string> = {};
    for (let i = 0; i * PART < json.length || i === 0; i++) parts[`m${i}`] = json.slice(i * PART, (i + 1) * PART);
    return {
      partitionKey: encodeKey(occ),
      rowKey: encodeKey(item.key),
      key: item.key,
      kind: item.kind,
      conversationKey: item.conversationKey,
      reference: JSON.stringify(item.reference),
      parts: Object.keys(parts).length,
      ...parts,
      state: 'pending',
    };
  }

  /** Writes a recipient's row unless it exists (a re-run keeps what was already sent). */
  async add(occ: string, item: Omit<DeliveryItem, 'state'>): Promise<void> {
    try {
      await this.table.createEntity(this.entity(occ, item));
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }

  /** Writes many rows in batches of 100 (one partition); a batch holding an existing row falls back to one by one. */
  async addAll(occ: string, items: Omit<DeliveryItem, 'state'>[]): Promise<void> {
    for (let i = 0; i < items.length; i += 100) {
      const batch = items.slice(i, i + 100);
      const entities = batch.map((x) => this.entity(occ, x));
      const size = entities.reduce((n, e) => n + JSON.stringify(e).length, 0);
      try {
        // a batch carries at most 4 MiB: big cards go one by one
        if (size > 3_000_000 || new Set(entities.map((e) => e.rowKey)).size < entities.length) throw Object.assign(new Error('one by one'), { statusCode: 409 });
        await this.table.submitTransaction(entities.map((e) => ['create', e]));
      } catch (e) {
        if (!isConflict(e)) throw e;
        for (const x of batch) await this.add(occ, x);
      }
    }
  }

  /** Extends the preparing lease (ETag); false when another instance took it meanwhile. */
  async renewLease(occ: string, holder: string, until: number): Promise<boolean> {
    const current = await this.lease(occ);
    if (!current || current.holder !== holder) return false;
    try {
      await this.table.updateEntity({ partitionKey: encodeKey(occ), rowKey: LEASE, holder, until, prepared: current.prepared }, 'Replace', { etag: current.etag });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  async get(occ: string, key: string): Promise<DeliveryItem | undefined> {
    try {
      return toItem((await this.table.getEntity(encodeKey(occ), encodeKey(key))) as Row);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async all(occ: string): Promise<DeliveryItem[]> {
    const rows: DeliveryItem[] = [];
    const pk = encodeKey(occ);
    for await (const e of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${pk}'` } })) {
      if ((e as Row).rowKey !== LEASE) rows.push(toItem(e as Row));
    }
    return rows;
  }

  /** Marks a row as being sent until `until`, only if nobody changed it since it was read (ETag). */
  async claim(occ: string, item: DeliveryItem, until: number): Promise<boolean> {
    try {
      await this.table.updateEntity({ partitionKey: encodeKey(occ), rowKey: encodeKey(item.key), state: 'sending', claimUntil: until }, 'Merge', { etag: item.etag });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  async record(occ: string, key: string, outcome: { state: DeliveryState; activityId?: string; status?: number; tries?: number; at: Date }): Promise<void> {
    await this.table.updateEntity(
      {
        partitionKey: encodeKey(occ),
        rowKey: encodeKey(key),
        state: outcome.state,
        activityId: outcome.activityId ?? '',
        status: outcome.status ?? 0,
        tries: outcome.tries ?? 0,
        doneAt: outcome.at.toISOString(),
      },
      'Merge',
    );
  }

  /** Gives a failed or stale row back for another run (with the reference as it is now); false when someone else changed it first. */
  async reopen(occ: string, item: DeliveryItem, reference: ConversationRef): Promise<boolean> {
    try {
      await this.table.updateEntity({ partitionKey: encodeKey(occ), rowKey: encodeKey(item.key), state: 'pending', reference: JSON.stringify(reference) }, 'Merge', { etag: item.etag });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  async lease(occ: string): Promise<Lease | undefined> {
    try {
      const e = (await this.table.getEntity(encodeKey(occ), LEASE)) as Row;
      return { holder: String(e.holder), until: Number(e.until), prepared: e.prepared === true, etag: String(e.etag) };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Takes the preparing lease when there is none or it has run out; false when another holds it or it is prepared. */
  async acquireLease(occ: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    const current = await this.lease(occ);
    const entity = { partitionKey: encodeKey(occ), rowKey: LEASE, holder, until: now + ttlMs, prepared: false };
    try {
      if (!current) await this.table.createEntity(entity);
      else if (current.prepared || (current.until > now && current.holder !== holder)) return false;
      else await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /** Every occurrence prepared here (one lease row each). */
  async occurrences(): Promise<Occurrence[]> {
    const out: Occurrence[] = [];
    const filter = odata`RowKey eq ${LEASE}`;
    for await (const e of this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey'] } })) out.push(occurrenceOf(decodeKey(e.partitionKey!)));
    return out;
  }

  /** Removes an occurrence's rows, lease last (so that a removal cut short is found and finished next time); the count removed. */
  async remove(occ: string): Promise<number> {
    const keys: string[] = [];
    const filter = odata`PartitionKey eq ${encodeKey(occ)}`;
    for await (const e of this.table.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) if (e.rowKey !== LEASE) keys.push(e.rowKey!);
    for (let i = 0; i < keys.length; i += 100) {
      await this.table.submitTransaction(keys.slice(i, i + 100).map((rowKey): TransactionAction => ['delete', { partitionKey: encodeKey(occ), rowKey }]));
    }
    await this.table.deleteEntity(encodeKey(occ), LEASE).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
    return keys.length + 1;
  }

  async markPrepared(occ: string, holder: string, total: number): Promise<void> {
    await this.table.updateEntity({ partitionKey: encodeKey(occ), rowKey: LEASE, holder, prepared: true, total }, 'Merge');
  }
}
