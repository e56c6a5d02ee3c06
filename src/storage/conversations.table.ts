/**
 * Table `conversations`: where the bot can reach people and channels.
 * PK "user" + RK the Entra object id (a person's 1:1 chat), PK "channel" + RK the channel's conversation id (one row
 * a channel, whatever thread the bot was mentioned in), or PK "chat" + RK the chat's conversation id.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
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

/** The channel a Teams conversation id names: "19:…@thread.tacv2;messageid=…" is a thread of "19:…@thread.tacv2". */
export const channelOf = (conversationId: string): string => conversationId.split(';')[0];

/** A reference to the channel itself (new posts, not replies in a thread). */
function channelReference(reference: ConversationRef): ConversationRef {
  const { activityId: _thread, ...rest } = reference;
  return { ...rest, conversation: { ...rest.conversation, id: channelOf(rest.conversation.id) } };
}

export interface ReferenceToSave {
  kind: ConversationKind;
  key: string;
  reference: ConversationRef;
  at: Date;
  teamId?: string;
}

function entityOf({ kind, key, reference, at, teamId }: ReferenceToSave): ConversationEntity {
  if (kind === 'channel') {
    key = channelOf(key);
    reference = channelReference(reference);
  }
  return {
    partitionKey: kind,
    rowKey: encodeKey(key.toLowerCase()),
    reference: JSON.stringify(reference),
    conversationId: reference.conversation.id,
    ...(teamId ? { teamId } : {}),
    updatedAt: at.toISOString(),
    stale: false,
  };
}

export class ConversationsTable {
  constructor(private readonly table: TableClient) {}

  /** Saves or refreshes a reference (the service URL can change); a fresh activity clears "stale". */
  async save(kind: ConversationKind, key: string, reference: ConversationRef, at: Date, teamId?: string): Promise<void> {
    await this.table.upsertEntity(entityOf({ kind, key, reference, at, teamId }), 'Merge');
  }

  /**
   * Saves several references at once, as `save` would each: one transaction a kind (a partition) and 100 rows (Table
   * storage's limit), a later one of the same row winning.
   */
  async saveMany(refs: ReferenceToSave[]): Promise<void> {
    const byKind = new Map<ConversationKind, Map<string, ConversationEntity>>();
    for (const ref of refs) {
      const entity = entityOf(ref);
      const rows = byKind.get(entity.partitionKey) ?? new Map<string, ConversationEntity>();
      rows.set(entity.rowKey, entity);
      byKind.set(entity.partitionKey, rows);
    }
    for (const rows of byKind.values()) {
      const entities = [...rows.values()];
      for (let i = 0; i < entities.length; i += 100) {
        await this.table.submitTransaction(entities.slice(i, i + 100).map((e): TransactionAction => ['upsert', { ...e }, 'Merge']));
      }
    }
  }

  /**
   * Folds the rows stored per channel thread (before one row a channel) into their channel's row, then removes
   * them; run at start. The newest thread's reference wins unless the channel's own row is newer. Safe to run
   * again, and on two instances at once. Answers how many thread rows were folded.
   */
  async foldThreadRows(): Promise<number> {
    const newest = new Map<string, ConversationEntity>();
    const threads: ConversationEntity[] = [];
    for await (const e of this.table.listEntities<ConversationEntity>({ queryOptions: { filter: odata`PartitionKey eq ${'channel'}` } })) {
      if (!e.conversationId?.includes(';')) continue;
      threads.push(e);
      const channel = channelOf(e.conversationId);
      const best = newest.get(channel);
      if (!best || best.updatedAt < e.updatedAt) newest.set(channel, e);
    }
    for (const [channel, e] of newest) {
      const own = await this.get('channel', channel);
      if (own && own.updatedAt >= e.updatedAt) continue;
      const entity: ConversationEntity = {
        partitionKey: 'channel',
        rowKey: encodeKey(channel.toLowerCase()),
        reference: JSON.stringify(channelReference(JSON.parse(e.reference) as ConversationRef)),
        conversationId: channel,
        ...(e.teamId ? { teamId: e.teamId } : {}),
        updatedAt: e.updatedAt,
        stale: e.stale === true,
        ...(e.stale && e.staleReason ? { staleReason: e.staleReason, staleAt: e.staleAt } : {}),
      };
      await this.table.upsertEntity(entity, 'Replace');
    }
    for (const e of threads) {
      try {
        await this.table.deleteEntity(e.partitionKey, e.rowKey);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return threads.length;
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
