/**
 * Table `escalations`: PK area id, RK escalation id. One open escalation per home is kept by a marker
 * row (RK "open_<homeId>") created with insert-only semantics, so two red answers at once cannot open two.
 */
import { randomUUID } from 'node:crypto';
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { Escalation, EscalationFile, EscalationState as State, HistoryEntry, Pathway } from '../domain/escalation';
import { isConflict, isNotFound } from './client';
import { Outbox, recordIntent, type Intent } from './outbox';

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
  /** who asked for approval (four eyes: they may not decide it), and when */
  requestedBy?: string;
  requestedAt?: string;
  /** an adult-protection concern: a referral is required at once; who raised it, when */
  referralRequiredBy?: string;
  referralRequiredAt?: string;
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
const messageKey = (id: string) => `msg_${id}`;

/** A concern as raised (free text: the support team and approvers only; never logged). */
export interface NewConcern {
  by: string;
  text: string;
}
export interface StoredConcern extends NewConcern {
  at: string;
}
/** One row a concern, keyed by the escalation version it came with (one concern a version), so they read in order. */
const concernRow = (areaId: string, id: string, version: number, c: NewConcern, at: Date): TransactionAction => [
  'create',
  { partitionKey: areaId, rowKey: `concern_${id}_${String(version).padStart(6, '0')}`, by: c.by, at: at.toISOString(), text: c.text },
];

/** Where an escalation's card was posted. */
export interface ChannelMessage {
  conversationId: string;
  activityId: string;
}
/** One intent per escalation card: a newer change replaces it, so only the newest state is sent. */
const cardIntent = (areaId: string, id: string, at: Date) => recordIntent(areaId, `card_${id}`, { kind: 'escalation-card', areaId, escalationId: id }, at);
/** The escalation rows of an area: ids start "esc-" ("." sorts just after "-"), so the markers are left out. */
const escalationRows = (areaId: string) => odata`PartitionKey eq ${areaId} and RowKey ge 'esc-' and RowKey lt 'esc.'`;

export class EscalationsTable {
  readonly outbox: Outbox;

  constructor(private readonly table: TableClient) {
    this.outbox = new Outbox(table, 'escalations');
  }

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
    let marker: { escalationId: string; etag: string };
    try {
      marker = await this.table.getEntity<{ escalationId: string }>(areaId, openMarker(homeId));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const row = await this.get(areaId, marker.escalationId);
    if (row && row.state !== 'closed') return row;
    // A marker pointing at no row, or at a closed one, would block every later concern for the home: mend it.
    await this.table.deleteEntity(areaId, openMarker(homeId), { etag: marker.etag }).catch((e: unknown) => {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    });
    return undefined;
  }

  /**
   * Opens an escalation for a home unless one is open: the marker, the row and the channel card's intent in
   * one transaction. Answers the new one, or undefined when the marker already exists (the caller then adds
   * to the open one).
   */
  async openIfNone(areaId: string, fields: Omit<EscalationEntity, 'partitionKey' | 'rowKey' | 'version' | 'etag' | 'state'>, at = new Date(), concern?: NewConcern): Promise<EscalationEntity | undefined> {
    const id = `esc-${randomUUID()}`;
    const entity: EscalationEntity = { partitionKey: areaId, rowKey: id, state: 'open', version: 1, ...fields };
    try {
      await this.table.submitTransaction([
        ['create', { partitionKey: areaId, rowKey: openMarker(fields.homeId), escalationId: id }],
        ['create', entity as unknown as TableEntity],
        cardIntent(areaId, id, at),
        ...(concern ? [concernRow(areaId, id, 1, concern, at)] : []),
      ]);
    } catch (e) {
      if (isConflict(e)) return undefined;
      throw e;
    }
    return entity;
  }

  /**
   * Writes a new version only if nobody else wrote since `etag` was read (412 otherwise), with the channel
   * card's intent and any notices in the same transaction; a close removes the open marker in it too.
   */
  async replace(entity: EscalationEntity, etag: string, opts: { closing?: boolean; notices?: { key: string; intent: Intent }[]; at?: Date; concern?: NewConcern } = {}): Promise<void> {
    const { etag: _ignored, ...fields } = entity;
    const at = opts.at ?? new Date();
    const batch: TransactionAction[] = [
      ['update', fields as TableEntity, 'Replace', { etag }],
      cardIntent(entity.partitionKey, entity.rowKey, at),
      ...(opts.notices ?? []).map((n) => recordIntent(entity.partitionKey, n.key, n.intent, at)),
      ...(opts.concern ? [concernRow(entity.partitionKey, entity.rowKey, entity.version, opts.concern, at)] : []),
    ];
    const marker: TransactionAction = ['delete', { partitionKey: entity.partitionKey, rowKey: openMarker(entity.homeId) }];
    try {
      await this.table.submitTransaction(opts.closing ? [...batch, marker] : batch);
    } catch (e) {
      // A close whose marker is already gone (mended by hand, say) still closes.
      if (opts.closing && isNotFound(e)) return void (await this.table.submitTransaction(batch));
      throw e;
    }
  }

  async clearOpenMarker(areaId: string, homeId: string): Promise<void> {
    try {
      await this.table.deleteEntity(areaId, openMarker(homeId));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Asks for every open escalation's card to be posted again (a channel was linked, or linked anew). */
  async requestCards(areaId: string, at = new Date()): Promise<number> {
    const open = (await this.listForArea(areaId)).filter((e) => e.state !== 'closed');
    for (const e of open) await this.table.submitTransaction([cardIntent(areaId, e.rowKey, at)]);
    return open.length;
  }

  /** The card posted for an escalation, and in which conversation (a re-linked area gets a new one). */
  async channelMessage(areaId: string, id: string): Promise<ChannelMessage | undefined> {
    try {
      const e = await this.table.getEntity<ChannelMessage & { leaseUntil?: number }>(areaId, messageKey(id));
      return { conversationId: e.conversationId, activityId: e.activityId };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Takes the card's send lease (on its message row, apart from the escalation row, so the row's ETag stays
   * the decision's): one sender at a time posts or updates one card, so a post is never made twice and an
   * update waits for the post's activity id. Undefined while another sender holds it.
   */
  async leaseCard(areaId: string, id: string, nowMs: number, untilMs: number): Promise<{ etag: string; posted?: ChannelMessage } | undefined> {
    let current: (ChannelMessage & { leaseUntil?: number; etag: string }) | undefined;
    try {
      current = await this.table.getEntity<ChannelMessage & { leaseUntil?: number }>(areaId, messageKey(id));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      if (!current) {
        const r = await this.table.createEntity({ partitionKey: areaId, rowKey: messageKey(id), conversationId: '', activityId: '', leaseUntil: untilMs });
        return { etag: r.etag ?? '' };
      }
      if ((current.leaseUntil ?? 0) > nowMs) return undefined;
      const r = await this.table.updateEntity({ partitionKey: areaId, rowKey: messageKey(id), leaseUntil: untilMs }, 'Merge', { etag: current.etag });
      return { etag: r.etag ?? '', ...(current.activityId ? { posted: { conversationId: current.conversationId, activityId: current.activityId } } : {}) };
    } catch (e) {
      if (isConflict(e)) return undefined;
      throw e;
    }
  }

  /** Every concern raised on an escalation, whole, oldest first (each its own row, written with the change that added it). */
  async concerns(areaId: string, id: string): Promise<StoredConcern[]> {
    const out: StoredConcern[] = [];
    const prefix = `concern_${id}_`;
    const filter = odata`PartitionKey eq ${areaId} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    for await (const e of this.table.listEntities<StoredConcern>({ queryOptions: { filter } })) out.push({ by: e.by, at: e.at, text: e.text });
    return out;
  }

  /** The concern that came with this version of the escalation, if that change added one. */
  async concernAt(areaId: string, id: string, version: number): Promise<StoredConcern | undefined> {
    try {
      const e = await this.table.getEntity<StoredConcern>(areaId, `concern_${id}_${String(version).padStart(6, '0')}`);
      return { by: e.by, at: e.at, text: e.text };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The card sent 1:1 to one member of the team while no channel was linked. */
  async directMessage(areaId: string, id: string, objectId: string): Promise<ChannelMessage | undefined> {
    try {
      const e = await this.table.getEntity<ChannelMessage>(areaId, `dm_${id}_${objectId}`);
      return { conversationId: e.conversationId, activityId: e.activityId };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async setDirectMessage(areaId: string, id: string, objectId: string, conversationId: string, activityId: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: areaId, rowKey: `dm_${id}_${objectId}`, conversationId, activityId }, 'Replace');
  }

  /**
   * Records today's reminder of an escalation with its notices, once: a marker row and the intents in one
   * transaction, so a second instance or a second pass the same day sends nothing. `kind` names the reminder
   * (`remind`: nobody has taken it on; `loneremind`: a request only another approver could decide).
   */
  async remindOnce(areaId: string, id: string, date: string, notices: { key: string; intent: Intent }[], at: Date, kind: 'remind' | 'loneremind' = 'remind'): Promise<boolean> {
    try {
      await this.table.submitTransaction([
        ['create', { partitionKey: areaId, rowKey: `${kind}_${id}_${date}`, at: at.toISOString() }],
        ...notices.map((n) => recordIntent(areaId, n.key, n.intent, at)),
      ]);
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /** True the first time this marker row is written (insert-only): what it marks is then told once, by whoever wins. */
  private async firstTime(areaId: string, rowKey: string): Promise<boolean> {
    try {
      await this.table.createEntity({ partitionKey: areaId, rowKey, at: new Date().toISOString() });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /**
   * True the first time the area's channel, as linked at `linkedAt`, refused a card for good (insert-only): the team is
   * told once per link (a new link made after the app was added back may be told again if it too fails).
   */
  async firstChannelRefused(areaId: string, linkedAt: string): Promise<boolean> {
    return this.firstTime(areaId, `refused_${linkedAt}`);
  }

  /** True the first time nobody could be reached for an escalation (insert-only), so the manager is told once. */
  async firstNobodyReached(areaId: string, id: string): Promise<boolean> {
    return this.firstTime(areaId, `nobody_${id}`);
  }

  /** True the first time a version of an escalation's card finally failed to reach the channel (insert-only), so the manager is told once. */
  async firstUndelivered(areaId: string, id: string, version: number): Promise<boolean> {
    return this.firstTime(areaId, `undelivered_${id}_${version}`);
  }

  /** Gives the lease back, with the message now showing the card (unchanged when nothing was posted). */
  async releaseCard(areaId: string, id: string, etag: string, posted?: ChannelMessage): Promise<void> {
    await this.table.updateEntity({ partitionKey: areaId, rowKey: messageKey(id), leaseUntil: 0, ...(posted ?? {}) }, 'Merge', { etag });
  }

  /**
   * Remembers the Teams user id (29:…) of a support member or approver of the area seen anywhere (a channel, say,
   * when they never installed the app 1:1): the channel card refreshes for them. Only ids, never what they wrote.
   */
  async rememberUserId(areaId: string, objectId: string, userId: string, at = new Date()): Promise<void> {
    await this.table.upsertEntity({ partitionKey: areaId, rowKey: `seen_${objectId.toLowerCase()}`, userId, at: at.toISOString() }, 'Replace');
  }

  /** The Teams user ids remembered for an area's people, by Entra object id. */
  async seenUserIds(areaId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const filter = odata`PartitionKey eq ${areaId} and RowKey ge 'seen_' and RowKey lt 'seen~'`;
    for await (const e of this.table.listEntities<{ userId: string }>({ queryOptions: { filter } })) out.set(String(e.rowKey).slice('seen_'.length), e.userId);
    return out;
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
    ...(e.requestedBy ? { requestedBy: e.requestedBy, requestedAt: e.requestedAt } : {}),
    ...(e.referralRequiredAt ? { referralRequiredBy: e.referralRequiredBy, referralRequiredAt: e.referralRequiredAt } : {}),
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
    requestedBy: next.requestedBy,
    requestedAt: next.requestedAt,
    history: JSON.stringify(next.history),
    updatedAt: iso,
    ...(next.state === 'escalated' && before.state !== 'escalated' ? { escalatedAt: iso } : {}),
    ...(last?.action === 'reject' ? { rejectedAt: iso } : {}),
    ...(next.state === 'closed' ? { closedAt: iso } : {}),
  };
}
