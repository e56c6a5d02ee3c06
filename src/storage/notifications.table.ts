/**
 * Table `notifications`: that a home recorded telling the Care Inspectorate of a notifiable event of a huddle
 * (§3). PK area id, RK `<date>_<homeId>_<kind>`. Kept apart from the answer row, whose ETag the Amend card relies
 * on: recording "notified" never changes the answer or its RAG. Insert-only: the first record stands.
 */
import { odata, type TableClient } from '@azure/data-tables';
import type { NotifiableKind } from '../domain/notifiable';
import { isConflict, isNotFound } from './client';

export interface NotificationRecord {
  areaId: string;
  homeId: string;
  date: string;
  kind: NotifiableKind;
  /** e-mail of who recorded it */
  by: string;
  at: string;
  /** 'answer': the outbreak question answered yes; 'card': recorded from the manager's card */
  via: 'answer' | 'card';
}

interface Entity {
  partitionKey: string;
  rowKey: string;
  homeId: string;
  date: string;
  kind: string;
  by: string;
  at: string;
  via: string;
}

const key = (date: string, homeId: string, kind: string) => `${date}_${homeId}_${kind}`;
const fromEntity = (e: Entity): NotificationRecord => ({ areaId: e.partitionKey, homeId: e.homeId, date: e.date, kind: e.kind as NotifiableKind, by: e.by, at: e.at, via: e.via === 'answer' ? 'answer' : 'card' });

export class NotificationsTable {
  constructor(private readonly table: TableClient) {}

  /** Records a notification; false when one was already recorded (the first stands). */
  async record(r: NotificationRecord): Promise<boolean> {
    const entity: Entity = { partitionKey: r.areaId, rowKey: key(r.date, r.homeId, r.kind), homeId: r.homeId, date: r.date, kind: r.kind, by: r.by, at: r.at, via: r.via };
    try {
      await this.table.createEntity(entity);
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /** What was recorded for an area's huddles from `from` to `to` (YYYY-MM-DD, inclusive). */
  async listForArea(areaId: string, from: string, to: string): Promise<NotificationRecord[]> {
    const out: NotificationRecord[] = [];
    const filter = odata`PartitionKey eq ${areaId} and RowKey ge ${from} and RowKey lt ${`${to}~`}`;
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter } })) out.push(fromEntity(e));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    return out;
  }
}
