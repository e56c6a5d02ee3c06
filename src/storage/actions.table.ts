/**
 * Table `actions`: a plan's numbered actions. PK home id, RK "action_<theme>.<seq, 3 digits>" so a
 * partition lists in plan order (action_2.001 before action_2.010). The progress log is kept in the
 * row as a JSON array (append-only, at most ~30,000 characters: see LIMITS.logChars), so an action
 * and its log change together under one ETag. Reminder columns record each reminder once.
 */
import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import type { Action, LogEntry, ReminderKind } from '../domain/plan';
import { actionNo } from '../domain/plan';
import { isConflict, isNotFound } from './client';
import { Outbox, recordIntent } from './outbox';

interface ActionEntity {
  partitionKey: string;
  rowKey: string;
  no: string;
  theme: number;
  seq: number;
  description: string;
  outcome: string;
  responsibleEmail?: string;
  responsibleName: string;
  due: string;
  status: 'open' | 'completed';
  onTarget: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  completedAt?: string;
  log: string;
  assignedSentAt?: string;
  beforeSentAt?: string;
  afterSentAt?: string;
}

export interface StoredAction {
  action: Action;
  sent: Partial<Record<ReminderKind, string>>;
  etag: string;
}

/** A home's action rows (its send intents, "~out_…", left out). */
const actionRows = (homeId: string) => odata`PartitionKey eq ${homeId} and RowKey ge ${'action_'} and RowKey lt ${'action`'}`;

export const actionRowKey = (theme: number, seq: number) => `action_${theme}.${String(seq).padStart(3, '0')}`;
const SENT_COLUMN: Record<ReminderKind, 'assignedSentAt' | 'beforeSentAt' | 'afterSentAt'> = {
  assigned: 'assignedSentAt',
  before: 'beforeSentAt',
  after: 'afterSentAt',
};

const fromEntity = (e: ActionEntity & { etag?: string }): StoredAction => ({
  action: {
    homeId: e.partitionKey,
    theme: e.theme,
    seq: e.seq,
    description: e.description,
    outcome: e.outcome,
    responsible: { ...(e.responsibleEmail ? { email: e.responsibleEmail } : {}), name: e.responsibleName },
    due: e.due,
    status: e.status,
    onTarget: e.onTarget,
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    log: JSON.parse(e.log || '[]') as LogEntry[],
  },
  sent: {
    ...(e.assignedSentAt ? { assigned: e.assignedSentAt } : {}),
    ...(e.beforeSentAt ? { before: e.beforeSentAt } : {}),
    ...(e.afterSentAt ? { after: e.afterSentAt } : {}),
  },
  etag: e.etag ?? '',
});

function toEntity(a: Action, at: Date): ActionEntity {
  const completed = a.status === 'completed' ? a.log.filter((l) => l.kind === 'completed').at(-1)?.at : undefined;
  return {
    partitionKey: a.homeId,
    rowKey: actionRowKey(a.theme, a.seq),
    no: actionNo(a),
    theme: a.theme,
    seq: a.seq,
    description: a.description,
    outcome: a.outcome,
    ...(a.responsible.email ? { responsibleEmail: a.responsible.email } : {}),
    responsibleName: a.responsible.name,
    due: a.due,
    status: a.status,
    onTarget: a.onTarget,
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    updatedAt: at.toISOString(),
    ...(completed ? { completedAt: completed } : {}),
    log: JSON.stringify(a.log),
  };
}

export class ActionsTable {
  readonly outbox: Outbox;

  constructor(private readonly table: TableClient) {
    this.outbox = new Outbox(table, 'actions');
  }

  async list(homeId: string): Promise<StoredAction[]> {
    const out: StoredAction[] = [];
    const filter = actionRows(homeId);
    for await (const e of this.table.listEntities<ActionEntity>({ queryOptions: { filter } })) out.push(fromEntity(e));
    return out;
  }

  /** A home's actions in plan order, one at a time (the exports). */
  async *eachOf(homeId: string): AsyncGenerator<StoredAction & { completedAt?: string; updatedAt?: string }> {
    const filter = odata`PartitionKey eq ${homeId} and RowKey ge ${'action_'} and RowKey lt ${'action`'}`; // '`' sorts just after '_'
    for await (const e of this.table.listEntities<ActionEntity>({ queryOptions: { filter } })) {
      yield { ...fromEntity(e), ...(e.completedAt ? { completedAt: e.completedAt } : {}), ...(e.updatedAt ? { updatedAt: e.updatedAt } : {}) };
    }
  }

  /** Every row of a home's partition as stored, for a reader that reads each column tolerantly (the digest). */
  async entitiesOf(homeId: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = actionRows(homeId);
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  async get(homeId: string, theme: number, seq: number): Promise<StoredAction | undefined> {
    try {
      return fromEntity(await this.table.getEntity<ActionEntity>(homeId, actionRowKey(theme, seq)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Stores a new action and, in the same transaction, the intent to tell its responsible person (when in the directory). */
  async insert(a: Action, at: Date): Promise<StoredAction> {
    const entity = toEntity(a, at);
    const tell = a.responsible.email ? [recordIntent(a.homeId, `assigned_${a.theme}.${a.seq}`, { kind: 'assigned', homeId: a.homeId, theme: a.theme, seq: a.seq }, at)] : [];
    await this.table.submitTransaction([['create', entity as unknown as TableEntity], ...tell]);
    const stored = await this.get(a.homeId, a.theme, a.seq);
    return { action: a, sent: {}, etag: stored?.etag ?? '' };
  }

  /**
   * Writes a new version only if nobody wrote since `etag` (412 otherwise). Reminder columns are kept,
   * except those of a due date that moved, so the new date gets its own reminders.
   */
  async replace(a: Action, before: StoredAction, at: Date): Promise<void> {
    const sent = { ...before.sent };
    if (a.due !== before.action.due) {
      delete sent.before;
      delete sent.after;
    }
    const entity: ActionEntity = {
      ...toEntity(a, at),
      ...(sent.assigned ? { assignedSentAt: sent.assigned } : {}),
      ...(sent.before ? { beforeSentAt: sent.before } : {}),
      ...(sent.after ? { afterSentAt: sent.after } : {}),
    };
    await this.table.updateEntity(entity, 'Replace', { etag: before.etag });
  }

  /** Records that a reminder went (or is going): false when already recorded or the row changed meanwhile. */
  async markSent(s: StoredAction, kind: ReminderKind, at: Date): Promise<{ ok: boolean; etag?: string }> {
    if (s.sent[kind]) return { ok: false };
    try {
      const res = await this.table.updateEntity(
        { partitionKey: s.action.homeId, rowKey: actionRowKey(s.action.theme, s.action.seq), [SENT_COLUMN[kind]]: at.toISOString() },
        'Merge',
        { etag: s.etag },
      );
      return { ok: true, etag: res.etag };
    } catch (e) {
      if (isConflict(e)) return { ok: false };
      throw e;
    }
  }

  /** Forgets a reminder claim whose send failed, so the next run tries again. */
  async unmarkSent(s: StoredAction, kind: ReminderKind): Promise<void> {
    await this.table.updateEntity({ partitionKey: s.action.homeId, rowKey: actionRowKey(s.action.theme, s.action.seq), [SENT_COLUMN[kind]]: '' }, 'Merge');
  }
}
