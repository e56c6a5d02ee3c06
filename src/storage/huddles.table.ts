/**
 * Table `huddles`: one answer per home and date. PK area id, RK "<date>_<homeId>", so an area's day
 * or week is one RowKey range. Columns: the answer's fields under their names, rag, reasons, who, when, version.
 * Every version is also kept as a `v_` row (with what was done: submit or amend): the huddle's audit log,
 * written in the same transaction as the answer so that the two are never apart.
 * One `last_<homeId>` row a home holds the latest day's residents and beds (written in that transaction too),
 * so that the next day's card starts from them without a scan.
 * Send intents (`~out_…`, src/storage/outbox.ts) ride in the answer's transaction: `~out_sum_<date>`, the area's daily
 * summary of that date to bring up to date in its channel message (one a day: a newer answer replaces it).
 */
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { HuddleRecord } from '../domain/export-columns';
import type { AnswerBasis, HuddleAnswer, LastAnswer } from '../domain/huddle';

export type { LastAnswer };
import type { Rag } from '../domain/rag';
import { isConflict, isNotFound } from './client';
import { Outbox, recordIntent, type Intent } from './outbox';

/** A send intent to record with the answer, in its transaction (`src/storage/outbox.ts`): the daily summary brought up to date. */
export interface AnswerIntent {
  key: string;
  intent: Intent;
}

/** An answer as stored (`domain/export-columns.ts` HuddleRecord), with the ETag an amendment replaces. */
export interface StoredHuddle extends HuddleRecord {
  etag?: string;
}

/** One version of an answer, as the audit log keeps it (`fromRag`: the version before's). */
export interface HuddleVersion extends StoredHuddle {
  action: 'submit' | 'amend';
  fromRag?: Rag;
}

type HuddleEntity = HuddleAnswer & {
  partitionKey: string;
  rowKey: string;
  homeId: string;
  date: string;
  rag: Rag;
  reasons: string;
  answeredBy: string;
  answeredAt: string;
  version: number;
  action?: 'submit' | 'amend';
  etag?: string;
};

const rowKey = (date: string, homeId: string) => `${date}_${homeId}`;
/** Every version, kept beside the answer: "v_" sorts after the dates, so a date range never reads them. */
const versionKey = (date: string, homeId: string, version: number) => `v_${date}_${homeId}_${String(version).padStart(4, '0')}`;
/** An area's answers from one date to another, both included: "~" sorts after "_", so `${toDate}~` closes the last day. */
/** "last_" sorts after every date and before "v_": a date range never reads it. */
const lastKey = (homeId: string) => `last_${homeId}`;
const LAST_PREFIX = 'last_';
/** "~" sorts after every date, "last_" and "v_": no answer range query meets these rows. */
const PENDING_PREFIX = '~pend_';
const pendingKey = (date: string, homeId: string) => `${PENDING_PREFIX}${date}_${homeId}`;

interface PendingEscalation {
  partitionKey: string;
  rowKey: string;
  homeId: string;
  date: string;
  reasons: string;
  by: string;
  at: string;
}
type LastEntity = LastAnswer & { partitionKey: string; rowKey: string };
const fromLast = (e: LastEntity): LastAnswer => ({ homeId: e.homeId, date: e.date, residents: e.residents, bedsAvailable: e.bedsAvailable, bedsClosed: e.bedsClosed, bedsClosedReason: e.bedsClosedReason ?? '' });
const dateRange = (areaId: string, fromDate: string, toDate: string) => odata`PartitionKey eq ${areaId} and RowKey ge ${fromDate} and RowKey lt ${`${toDate}~`}`;

const ANSWER_KEYS = [
  'residents', 'bedsAvailable', 'bedsClosed', 'bedsClosedReason', 'staffingRag', 'shiftsUnfilled', 'agencyShifts', 'nurseCoverGap',
  'outbreakStatus', 'newCasesResidents', 'newCasesStaff', 'careInspectorateNotified', 'ppeSupply', 'fallsWithHarm', 'newPressureUlcers',
  'deaths', 'unexpectedDeaths', 'hospitalAdmissions', 'hospitalDischarges', 'visiting', 'protectionConcern', 'supportNeeded', 'concern',
] as const satisfies ReadonlyArray<keyof HuddleAnswer>;

const fromEntity = (e: HuddleEntity): StoredHuddle => ({
  areaId: e.partitionKey,
  homeId: e.homeId,
  date: e.date,
  answer: Object.fromEntries(ANSWER_KEYS.map((k) => [k, e[k]])) as unknown as HuddleAnswer,
  rag: e.rag,
  reasons: JSON.parse(e.reasons) as string[],
  answeredBy: e.answeredBy,
  answeredAt: e.answeredAt,
  version: e.version,
  etag: e.etag,
});

/** The same person's same answer (the time it was given aside): a resubmission, not a new version. */
function sameAnswer(stored: StoredHuddle, h: Omit<StoredHuddle, 'version' | 'etag'>): boolean {
  return stored.answeredBy === h.answeredBy && ANSWER_KEYS.every((k) => (stored.answer[k] ?? null) === (h.answer[k] ?? null));
}

export class HuddlesTable {
  /** the intents recorded with answers, read partition by partition (`areas`: the area ids), never by a scan of every answer */
  readonly outbox: Outbox;

  constructor(
    private readonly table: TableClient,
    areas: () => Promise<string[]> = async () => [],
  ) {
    this.outbox = new Outbox(table, 'huddles', areas);
  }

  async get(areaId: string, date: string, homeId: string): Promise<StoredHuddle | undefined> {
    try {
      return fromEntity(await this.table.getEntity<HuddleEntity>(areaId, rowKey(date, homeId)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Stores an answer: the first for its home and date, or a new version of the one stored. A first answer
   * costs one transaction (insert-only); only when one exists is it read, and replaced with its ETag, so
   * an answer written in between makes this throw 409/412 and nothing is written.
   */
  async save(h: Omit<StoredHuddle, 'version' | 'etag'>, intents: AnswerIntent[] = [], today?: string): Promise<StoredHuddle> {
    try {
      await this.write(h, undefined, intents, today);
      return { ...h, version: 1 };
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
    const previous = await this.get(h.areaId, h.date, h.homeId);
    if (!previous?.etag) throw Object.assign(new Error('answer removed while saving'), { statusCode: 409 });
    // The same answer sent again (after "could not confirm"): it is stored already, and answered as saved.
    if (sameAnswer(previous, h)) return previous;
    return this.amend(h, { version: previous.version, etag: previous.etag }, intents, today);
  }

  /**
   * Replaces the version of the answer that the person amended (its version and ETag, as the amend card
   * carries them): one transaction. If the answer changed since, this throws 409/412 and nothing is written —
   * unless what changed it was this very amendment, sent before and not confirmed: then it is answered as saved.
   */
  async amend(h: Omit<StoredHuddle, 'version' | 'etag'>, basis: AnswerBasis, intents: AnswerIntent[] = [], today?: string): Promise<StoredHuddle> {
    try {
      await this.write(h, basis, intents, today);
    } catch (e) {
      if (!isConflict(e)) throw e;
      const now = await this.get(h.areaId, h.date, h.homeId).catch(() => undefined);
      if (now && now.version === basis.version + 1 && sameAnswer(now, h)) return now;
      throw e;
    }
    return { ...h, version: basis.version + 1 };
  }

  /**
   * The answer and its version row in one transaction (same partition): both are written or neither. `today` (the
   * area's date): an answer for today is the home's latest day whatever is stored, so its last row is written unread.
   */
  private async write(h: Omit<StoredHuddle, 'version' | 'etag'>, previous: AnswerBasis | undefined, intents: AnswerIntent[], today?: string): Promise<void> {
    const version = (previous?.version ?? 0) + 1;
    const entity: HuddleEntity = {
      partitionKey: h.areaId,
      rowKey: rowKey(h.date, h.homeId),
      homeId: h.homeId,
      date: h.date,
      ...h.answer,
      rag: h.rag,
      reasons: JSON.stringify(h.reasons),
      answeredBy: h.answeredBy,
      answeredAt: h.answeredAt,
      version,
    };
    const row = entity as unknown as TableEntity;
    const versionRow: TableEntity = { ...row, rowKey: versionKey(h.date, h.homeId, version), action: previous ? 'amend' : 'submit' };
    // The home's last answer moves on only for its latest day: an amendment of an earlier day leaves it.
    const last = today !== undefined && h.date >= today ? undefined : await this.lastAnswer(h.areaId, h.homeId);
    const lastRow: LastEntity | undefined =
      !last || last.date <= h.date
        ? { partitionKey: h.areaId, rowKey: lastKey(h.homeId), homeId: h.homeId, date: h.date, residents: h.answer.residents, bedsAvailable: h.answer.bedsAvailable, bedsClosed: h.answer.bedsClosed, bedsClosedReason: h.answer.bedsClosedReason }
        : undefined;
    // A red answer says, in its own transaction, that its escalation is due: if opening it fails or the process dies, the sweep opens it.
    const pending: PendingEscalation | undefined =
      h.rag === 'red' ? { partitionKey: h.areaId, rowKey: pendingKey(h.date, h.homeId), homeId: h.homeId, date: h.date, reasons: JSON.stringify(h.reasons), by: h.answeredBy, at: h.answeredAt } : undefined;
    await this.table.submitTransaction([
      previous ? ['update', row, 'Replace', { etag: previous.etag }] : ['create', row],
      ['create', versionRow],
      ...(lastRow ? [['upsert', lastRow as unknown as TableEntity, 'Replace'] satisfies TransactionAction] : []),
      ...(pending ? [['upsert', pending as unknown as TableEntity, 'Replace'] satisfies TransactionAction] : []),
      ...intents.map((i) => recordIntent(h.areaId, i.key, i.intent, new Date(h.answeredAt))),
    ]);
  }

  /** An area's red answers whose escalation is not yet recorded as opened, answered before `beforeIso` (a range in its partition). */
  async pendingEscalations(areaId: string, beforeIso: string): Promise<{ areaId: string; homeId: string; date: string; reasons: string[]; by: string }[]> {
    const out: { areaId: string; homeId: string; date: string; reasons: string[]; by: string }[] = [];
    const filter = odata`PartitionKey eq ${areaId} and RowKey ge ${PENDING_PREFIX} and RowKey lt ${`${PENDING_PREFIX}~`} and at lt ${beforeIso}`;
    for await (const e of this.table.listEntities<PendingEscalation>({ queryOptions: { filter } })) {
      out.push({ areaId: e.partitionKey, homeId: e.homeId, date: e.date, reasons: JSON.parse(e.reasons) as string[], by: e.by });
    }
    return out;
  }

  /** The red answer's escalation is open (or added to): nothing is pending for it any more. */
  async escalationDone(areaId: string, date: string, homeId: string): Promise<void> {
    try {
      await this.table.deleteEntity(areaId, pendingKey(date, homeId));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** A home's latest answered day's residents and beds, if it has answered. */
  async lastAnswer(areaId: string, homeId: string): Promise<LastAnswer | undefined> {
    try {
      return fromLast(await this.table.getEntity<LastEntity>(areaId, lastKey(homeId)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Every home's last answer in an area (one small range query), by home id: what the daily cards start from. */
  async lastAnswers(areaId: string): Promise<Map<string, LastAnswer>> {
    const out = new Map<string, LastAnswer>();
    const filter = odata`PartitionKey eq ${areaId} and RowKey ge ${LAST_PREFIX} and RowKey lt ${`${LAST_PREFIX}~`}`;
    for await (const e of this.table.listEntities<LastEntity>({ queryOptions: { filter } })) out.set(e.homeId, fromLast(e));
    return out;
  }

  /** Every version of one home's answer for a date, oldest first: the answer's audit log. */
  async versions(areaId: string, date: string, homeId: string): Promise<HuddleVersion[]> {
    const out: HuddleVersion[] = [];
    const prefix = `v_${date}_${homeId}_`;
    const filter = odata`PartitionKey eq ${areaId} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    for await (const e of this.table.listEntities<HuddleEntity>({ queryOptions: { filter } })) {
      const before = out.at(-1);
      out.push({ ...fromEntity(e), action: e.action ?? (e.version > 1 ? 'amend' : 'submit'), ...(before ? { fromRag: before.rag } : {}) });
    }
    return out;
  }

  /** An area's answers from one date to another, both included: one range query on one partition. */
  async listForArea(areaId: string, fromDate: string, toDate: string): Promise<StoredHuddle[]> {
    const out: StoredHuddle[] = [];
    for await (const e of this.table.listEntities<HuddleEntity>({ queryOptions: { filter: dateRange(areaId, fromDate, toDate) } })) out.push(fromEntity(e));
    return out;
  }

  /**
   * The same range, read page by page (1,000 rows a page) and handed on one at a time, for a reader that must not
   * hold a year of an area in memory (the exports). Without `withConcern` the free-text column is not read (it is '').
   */
  async *eachForArea(areaId: string, fromDate: string, toDate: string, opts: { withConcern?: boolean } = {}): AsyncGenerator<StoredHuddle> {
    const select = opts.withConcern ? undefined : ['PartitionKey', 'RowKey', 'homeId', 'date', 'rag', 'reasons', 'answeredBy', 'answeredAt', 'version', ...ANSWER_KEYS.filter((k) => k !== 'concern')];
    const queryOptions = { filter: dateRange(areaId, fromDate, toDate), ...(select ? { select } : {}) };
    for await (const e of this.table.listEntities<HuddleEntity>({ queryOptions })) yield fromEntity({ ...e, concern: e.concern ?? '' });
  }

  /**
   * The same range, but only the columns named (and the RowKey), as stored: for a reader that must not
   * read the rest (the digest never reads the free-text `concern`) and reads each column tolerantly.
   */
  async columnsForArea(areaId: string, fromDate: string, toDate: string, columns: readonly string[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const queryOptions = { filter: dateRange(areaId, fromDate, toDate), select: ['RowKey', ...columns] };
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions })) out.push(e);
    return out;
  }
}
