/** Table `arealinks`: PK "area", RK area id → the support channel bound with `link area`. */
import type { TableClient } from '@azure/data-tables';
import { isNotFound } from './client';
import type { ConversationRef } from '../messaging';

export interface AreaLink {
  areaId: string;
  conversationId: string;
  reference: ConversationRef;
  linkedBy: string;
  linkedAt: string;
}

interface AreaLinkEntity {
  partitionKey: 'area';
  rowKey: string;
  conversationId: string;
  reference: string;
  linkedBy: string;
  linkedAt: string;
}

export class AreaLinksTable {
  constructor(private readonly table: TableClient) {}

  async link(link: AreaLink): Promise<void> {
    const entity: AreaLinkEntity = {
      partitionKey: 'area',
      rowKey: link.areaId,
      conversationId: link.conversationId,
      reference: JSON.stringify(link.reference),
      linkedBy: link.linkedBy,
      linkedAt: link.linkedAt,
    };
    await this.table.upsertEntity(entity, 'Replace');
  }

  async get(areaId: string): Promise<AreaLink | undefined> {
    try {
      const e = await this.table.getEntity<AreaLinkEntity>('area', areaId);
      return { areaId: e.rowKey, conversationId: e.conversationId, reference: JSON.parse(e.reference), linkedBy: e.linkedBy, linkedAt: e.linkedAt };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}
