/**
 * Table `escalations`: PK area id, RK escalation id. One open escalation per home is kept by a marker
 * row (RK "open_<homeId>") created with insert-only semantics, so two red answers at once cannot open two.
 */
import { randomUUID } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import type { Escalation, EscalationFile, EscalationState as State, HistoryEntry, Pathway } from '../domain/escalation';
import { isConflict, isNotFound } from './client';

export type EscalationState = State;

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

  /** Remembers the card posted in the area's support channel, so that later changes update it in place. */
  async setChannelActivity(areaId: string, id: string, channelActivityId: string): Promise<void> {
    await this.table.updateEntity({ partitionKey: areaId, rowKey: id, channelActivityId }, 'Merge');
  }

  /** Every escalation of an area (markers excluded). */
  async listForArea(areaId: string): Promise<EscalationEntity[]> {
    const out: EscalationEntity[] = [];
    for await (const e of this.table.listEntities<EscalationEntity>({ queryOptions: { filter: escalationRows(areaId) } })) out.push(e);
    return out;
  }

  /** Every escalation of an area (markers excluded), page by page, one at a time: the exports never hold an area's in memory. */
  async *eachForArea(areaId: string): AsyncGenerator<EscalationEntity> {
    for await (const e of this.table.listEntities<EscalationEntity>({ queryOptions: { filter: escalationRows(areaId) } })) yield e;
  }

  /** Every escalation of an area, only the columns named (and the RowKey), as stored: the digest never reads `concern`. */
  async columnsForArea(areaId: string, columns: readonly string[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: escalationRows(areaId), select: ['RowKey', ...columns] } })) out.push(e);
    return out;
  }
}

/** A row as the domain's escalation, with what a card shows of its opening. */
export function toEscalation(e: EscalationEntity): EscalationFile {
  return {
    id: e.rowKey,
    areaId: e.partitionKey,
    homeId: e.homeId,
    state: e.state,
    version: e.version,
    ...(e.owner ? { owner: e.owner } : {}),
    ...(e.keyWorker ? { keyWorker: e.keyWorker } : {}),
    ...(e.pathway ? { pathway: e.pathway as Pathway } : {}),
    ...(e.rationale ? { rationale: e.rationale } : {}),
    ...(e.externalRef ? { externalRef: e.externalRef } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(e.referredBy ? { referredBy: e.referredBy, referredAt: e.referredAt } : {}),
    history: e.history ? (JSON.parse(e.history) as HistoryEntry[]) : [],
    trigger: e.trigger,
    openedAt: e.openedAt,
    openedBy: e.openedBy,
    openedFor: e.openedFor,
    reasons: e.reasons ? (JSON.parse(e.reasons) as string[]) : [],
    daysRed: e.daysRed,
    ...(e.concern ? { concern: e.concern } : {}),
  };
}

/** The row for a new version: the domain's fields, plus the decision times the digest reads. */
export function toEntity(before: EscalationEntity, next: Escalation, at: Date): EscalationEntity {
  const iso = at.toISOString();
  const last = next.history[next.history.length - 1];
  return {
    ...before,
    state: next.state,
    version: next.version,
    owner: next.owner,
    keyWorker: next.keyWorker,
    pathway: next.pathway,
    rationale: next.rationale,
    externalRef: next.externalRef,
    outcome: next.outcome,
    referredBy: next.referredBy,
    referredAt: next.referredAt,
    history: JSON.stringify(next.history),
    updatedAt: iso,
    ...(next.state === 'escalated' && before.state !== 'escalated' ? { escalatedAt: iso } : {}),
    ...(last?.action === 'reject' ? { rejectedAt: iso } : {}),
    ...(next.state === 'closed' ? { closedAt: iso } : {}),
  };
}
