/**
 * The Storage queues of the delivery path: one queue per job occurrence (and its poison queue), named
 * from the occurrence key. Queue names are 3–63 lower-case letters, digits and single hyphens.
 */
import { createHash } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { Storage } from './client';
import { occurrenceKey, type Occurrence } from './deliveries.table';

export class DeliveryQueues {
  constructor(private readonly storage: Storage) {}

  nameOf(occ: Occurrence): string {
    const prefix = (this.storage.prefix || 'app').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20) || 'app';
    return `${prefix}-dlv-${createHash('sha256').update(occurrenceKey(occ)).digest('hex').slice(0, 32)}`;
  }

  of(occ: Occurrence): QueueClient {
    return this.storage.queue(this.nameOf(occ));
  }

  poisonOf(occ: Occurrence): QueueClient {
    return this.storage.queue(`${this.nameOf(occ)}-poison`);
  }

  /** Removes both queues of an occurrence (retention). */
  async remove(occ: Occurrence): Promise<void> {
    await this.of(occ).deleteIfExists();
    await this.poisonOf(occ).deleteIfExists();
  }
}
