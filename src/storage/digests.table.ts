/**
 * Table `digests`: one row per area, week and chief officer, created insert-only before the send
 * (a claim), so that a re-run, a restart or a second instance never sends the same digest twice.
 * PK area id, RK `${weekStart}_${officer object id}`.
 */
import type { TableClient } from '@azure/data-tables';
import { encodeKey, isConflict, isNotFound } from './client';

/** claimed: about to send (or crashed while sending: never resent by itself); sent: delivered; unconfirmed: the send's outcome is unknown. */
export type DigestClaimState = 'claimed' | 'sent' | 'unconfirmed';

export interface DigestClaim {
  partitionKey: string;
  rowKey: string;
  weekStart: string;
  weekEnd: string;
  officer: string;
  objectId: string;
  state: DigestClaimState;
  claimedAt: string;
  sentAt?: string;
  activityId?: string;
}

const rowKey = (weekStart: string, objectId: string) => `${weekStart}_${encodeKey(objectId.toLowerCase())}`;

export class DigestsTable {
  constructor(private readonly table: TableClient) {}

  /** True when this caller now owns the send; false when someone already claimed it. */
  async claim(areaId: string, c: Omit<DigestClaim, 'partitionKey' | 'rowKey' | 'state'>): Promise<boolean> {
    try {
      await this.table.createEntity<DigestClaim>({ partitionKey: areaId, rowKey: rowKey(c.weekStart, c.objectId), state: 'claimed', ...c });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  async get(areaId: string, weekStart: string, objectId: string): Promise<DigestClaim | undefined> {
    try {
      return await this.table.getEntity<DigestClaim>(areaId, rowKey(weekStart, objectId));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async mark(areaId: string, weekStart: string, objectId: string, fields: Pick<DigestClaim, 'state'> & Partial<Pick<DigestClaim, 'sentAt' | 'activityId'>>): Promise<void> {
    await this.table.updateEntity({ partitionKey: areaId, rowKey: rowKey(weekStart, objectId), ...fields }, 'Merge');
  }

  /** Gives the claim up: only when the connector refused the send, so nothing reached the officer. */
  async release(areaId: string, weekStart: string, objectId: string): Promise<void> {
    try {
      await this.table.deleteEntity(areaId, rowKey(weekStart, objectId));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
