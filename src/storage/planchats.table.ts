/**
 * Table `planchats`: the chats where `plan HOME` was shown, for the meeting events. PK "chat", RK the
 * Teams conversation id (encoded) → the home last shown there, and the start of a meeting in progress.
 */
import type { TableClient } from '@azure/data-tables';
import { encodeKey, isNotFound } from './client';

export interface PlanChat {
  conversationId: string;
  homeId: string;
  shownAt: string;
  shownBy: string;
  meetingId?: string;
  meetingStartedAt?: string;
}

interface PlanChatEntity extends PlanChat {
  partitionKey: 'chat';
  rowKey: string;
}

const key = (conversationId: string) => encodeKey(conversationId);

export class PlanChatsTable {
  constructor(private readonly table: TableClient) {}

  async shown(conversationId: string, homeId: string, by: string, at: Date): Promise<void> {
    const entity = { partitionKey: 'chat' as const, rowKey: key(conversationId), conversationId, homeId, shownBy: by, shownAt: at.toISOString() };
    await this.table.upsertEntity(entity, 'Merge');
  }

  async get(conversationId: string): Promise<PlanChat | undefined> {
    try {
      const e = await this.table.getEntity<PlanChatEntity>('chat', key(conversationId));
      return {
        conversationId: e.conversationId,
        homeId: e.homeId,
        shownAt: e.shownAt,
        shownBy: e.shownBy,
        ...(e.meetingId ? { meetingId: e.meetingId } : {}),
        ...(e.meetingStartedAt ? { meetingStartedAt: e.meetingStartedAt } : {}),
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async meetingStarted(conversationId: string, meetingId: string, at: Date): Promise<void> {
    await this.table.updateEntity({ partitionKey: 'chat', rowKey: key(conversationId), meetingId, meetingStartedAt: at.toISOString() }, 'Merge');
  }

  async meetingEnded(conversationId: string): Promise<void> {
    await this.table.updateEntity({ partitionKey: 'chat', rowKey: key(conversationId), meetingId: '', meetingStartedAt: '' }, 'Merge');
  }
}
