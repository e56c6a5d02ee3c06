/**
 * Table `exports`: the send intents of the exports asked for in 1:1 chat (§6a), in one small partition of their own
 * ("outbox"), so that accepting a file consent card is one write and the invoke is answered at once. A row holds
 * the export's parameters and Teams' upload target, never the file; it is removed once sent.
 */
import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { encodeKey } from './client';
import { Outbox, recordIntent, type Intent } from './outbox';

export const EXPORTS_PARTITION = 'outbox';

export class ExportsTable {
  readonly outbox: Outbox;

  constructor(private readonly table: TableClient) {
    this.outbox = new Outbox(table, 'exports');
  }

  /**
   * Records an intent. `key`: the same key replaces the earlier intent (a consent accepted twice, Teams' retry of
   * the invoke, is one upload); without one, a fresh key.
   */
  async record(intent: Intent, at: Date, key?: string): Promise<void> {
    await this.table.submitTransaction([recordIntent(EXPORTS_PARTITION, encodeKey(key ?? randomUUID()).slice(0, 200), intent, at)]);
  }
}
