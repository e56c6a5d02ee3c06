/**
 * Table `conversations`: where the bot can reach people and channels.
 * PK "user" + RK the Entra object id (a person's 1:1 chat), or PK "channel" + RK the conversation id.
 */
import type { TableClient } from '@azure/data-tables';
import type { ConversationKind, ConversationRef } from '../messaging';
import { encodeKey, isNotFound } from './client';

export type { ConversationKind, ConversationRef } from '../messaging';

export interface ConversationEntity {
  partitionKey: ConversationKind;
  rowKey: string;
  reference: string;
  conversationId: string;
  teamId?: string;
  updatedAt: string;
  stale: boolean;
  staleReason?: string;
  staleAt?: string;
}

export interface StoredConversation {
  kind: ConversationKind;
  key: string;
  reference: ConversationRef;
  teamId?: string;
  updatedAt: string;
  stale: boolean;
  staleReason?: string;
}

const fromEntity = (e: ConversationEntity): StoredConversation => ({
  kind: e.partitionKey,
  key: e.rowKey,
  reference: JSON.parse(e.reference) as ConversationRef,
  ...(e.teamId ? { teamId: e.teamId } : {}),
  updatedAt: e.updatedAt,
  stale: e.stale,
  ...(e.staleReason ? { staleReason: e.staleReason } : {}),
});

export class ConversationsTable {
  constructor(private readonly table: TableClient) {}

  /** Saves or refreshes a reference (the service URL can change); a fresh activity clears "stale". */
  async save(kind: ConversationKind, key: string, reference: ConversationRef, at: Date, teamId?: string): Promise<void> {
    const entity: ConversationEntity = {
      partitionKey: kind,
      rowKey: encodeKey(key.toLowerCase()),
      reference: JSON.stringify(reference),
      conversationId: reference.conversation.id,
      ...(teamId ? { teamId } : {}),
      updatedAt: at.toISOString(),
      stale: false,
    };
    await this.table.upsertEntity(entity, 'Merge');
  }

  async get(kind: ConversationKind, key: string): Promise<StoredConversation | undefined> {
    try {
      return fromEntity(await this.table.getEntity<ConversationEntity>(kind, encodeKey(key.toLowerCase())));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** A person's 1:1 chat with the bot, by Entra object id. */
  forUser(aadObjectId: string): Promise<StoredConversation | undefined> {
    return this.get('user', aadObjectId);
  }

  async markStale(kind: ConversationKind, key: string, reason: string, at: Date): Promise<void> {
    await this.table.updateEntity(
      { partitionKey: kind, rowKey: encodeKey(key.toLowerCase()), stale: true, staleReason: reason, staleAt: at.toISOString() },
      'Merge',
    );
  }
}
