/**
 * Table `escalations`: PK area id, RK escalation id. One open escalation per home is kept by a marker
 * row (RK "open_<homeId>") created with insert-only semantics, so two red answers at once cannot open two.
 */
import { randomUUID } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { isConflict, isNotFound } from './client';

export type EscalationState = 'open' | 'local-support' | 'awaiting-approval' | 'escalated' | 'closed';

export interface EscalationEntity {
  partitionKey: string;
  rowKey: string;
  homeId: string;
  state: EscalationState;
  /** huddle (a red answer) or person (raise concern) */
  trigger: 'huddle' | 'person';
  openedAt: string;
  openedBy: string;
  /** the huddle date that opened it (YYYY-MM-DD) */
  openedFor: string;
  /** people-worded reasons of the latest red answer, JSON array */
  reasons: string;
  /** consecutive red huddle days, and the last one */
  daysRed: number;
  lastRedDate: string;
  version: number;
  owner?: string;
  keyWorker?: string;
  pathway?: string;
  rationale?: string;
  externalRef?: string;
  outcome?: string;
  referredBy?: string;
  referredAt?: string;
  /** the concern text of a person's escalation (support team only; never logged) */
  concern?: string;
  /** JSON array of {at, by, action, from, to, note?} */
  history?: string;
  /** the card in the area's support channel, updated in place */
  channelActivityId?: string;
  updatedAt?: string;
  escalatedAt?: string;
  rejectedAt?: string;
  closedAt?: string;
  etag?: string;
}

const openMarker = (homeId: string) => `open_${homeId}`;
/** The escalation rows of an area: ids start "esc-" ("." sorts just after "-"), so the markers are left out. */
const escalationRows = (areaId: string) => odata`PartitionKey eq ${areaId} and RowKey ge 'esc-' and RowKey lt 'esc.'`;

export class EscalationsTable {
  constructor(private readonly table: TableClient) {}

  async get(areaId: string, id: string): Promise<EscalationEntity | undefined> {
    try {
      const e = await this.table.getEntity<EscalationEntity>(areaId, id);
      return { ...e, etag: e.etag };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The open escalation of a home, if any. */
  async openFor(areaId: string, homeId: string): Promise<EscalationEntity | undefined> {
    try {
      const marker = await this.table.getEntity<{ escalationId: string }>(areaId, openMarker(homeId));
      return this.get(areaId, marker.escalationId);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Opens an escalation for a home unless one is open: answers the new one, or undefined when the
   * marker already exists (the caller then adds to the open one).
   */
  async openIfNone(areaId: string, fields: Omit<EscalationEntity, 'partitionKey' | 'rowKey' | 'version' | 'etag' | 'state'>): Promise<EscalationEntity | undefined> {
    const id = `esc-${randomUUID()}`;
    try {
      await this.table.createEntity({ partitionKey: areaId, rowKey: openMarker(fields.homeId), escalationId: id });
    } catch (e) {
      if (isConflict(e)) return undefined;
      throw e;
    }
    const entity: EscalationEntity = { partitionKey: areaId, rowKey: id, state: 'open', version: 1, ...fields };
    await this.table.createEntity(entity);
    return entity;
  }

  /** Writes a new version only if nobody else wrote since `etag` was read (412 otherwise). */
  async replace(entity: EscalationEntity, etag: string): Promise<string | undefined> {
    const { etag: _ignored, ...fields } = entity;
    const r = await this.table.updateEntity(fields, 'Replace', { etag });
    return r.etag;
  }

  async clearOpenMarker(areaId: string, homeId: string): Promise<void> {
    try {
      await this.table.deleteEntity(areaId, openMarker(homeId));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Every escalation of an area (markers excluded). */
  async listForArea(areaId: string): Promise<EscalationEntity[]> {
    const out: EscalationEntity[] = [];
    for await (const e of this.table.listEntities<EscalationEntity>({ queryOptions: { filter: escalationRows(areaId) } })) out.push(e);
    return out;
  }

  /** Every escalation of an area, only the columns named (and the RowKey), as stored: the digest never reads `concern`. */
  async columnsForArea(areaId: string, columns: readonly string[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: escalationRows(areaId), select: ['RowKey', ...columns] } })) out.push(e);
    return out;
  }
}
