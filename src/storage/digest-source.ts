/**
 * What the weekly digest reads, as plain rows, through the table modules: huddle answers (one range
 * query on an area's partition), escalations (the area's partition, with their audit history when
 * the row keeps no decision times) and plan actions (one query per home partition). Every column is
 * read tolerantly, since the tables are shaped by other features; the free-text `concern` is never read.
 */
import type { ActionRow, EscalationEvent, EscalationRow, HuddleRow, NotificationRow, OutbreakStatus } from '../domain/digest';
import { isRag } from '../domain/rag';
import { ActionsTable } from './actions.table';
import { AuditTable } from './audit.table';
import { isNotFound, type Storage } from './client';
import { EscalationsTable } from './escalations.table';
import { HuddlesTable } from './huddles.table';
import { NotificationsTable } from './notifications.table';

export interface DigestSource {
  huddles: HuddleRow[];
  escalations: EscalationRow[];
  actions: ActionRow[];
  /** Care Inspectorate notifications recorded for the huddles of the range (who recorded them is not read) */
  notifications: NotificationRow[];
}

export interface DigestSourceQuery {
  areaId: string;
  homeIds: string[];
  /** first and last huddle date to read, YYYY-MM-DD */
  from: string;
  to: string;
  /** escalation events before this instant are not needed (ISO) */
  since: string;
  /** parallel partition queries (actions, audit) */
  concurrency?: number;
}

/** The huddle columns the digest uses; `concern` is left out on purpose. */
const HUDDLE_COLUMNS = [
  'homeId', 'date', 'rag', 'reasons', 'residents', 'bedsAvailable', 'bedsClosed', 'bedsClosedReason', 'staffingRag', 'shiftsUnfilled',
  'agencyShifts', 'nurseCoverGap', 'outbreakStatus', 'newCasesResidents', 'newCasesStaff', 'careInspectorateNotified', 'fallsWithHarm',
  'newPressureUlcers', 'deaths', 'unexpectedDeaths', 'protectionConcern',
];
const NUMBER_COLUMNS = ['residents', 'bedsAvailable', 'bedsClosed', 'shiftsUnfilled', 'agencyShifts', 'newCasesResidents', 'newCasesStaff', 'fallsWithHarm', 'newPressureUlcers', 'deaths', 'unexpectedDeaths'] as const;
/** The escalation columns the digest uses; a person's `concern` is left out on purpose. */
const ESCALATION_COLUMNS = ['homeId', 'state', 'openedAt', 'owner', 'pathway', 'escalatedAt', 'decidedAt', 'rejectedAt', 'closedAt', 'updatedAt'];
const OUTBREAK = ['none', 'suspected', 'confirmed', 'closing'];

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);
const strings = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v !== 'string' || !v) return [];
  try {
    return strings(JSON.parse(v));
  } catch {
    return [];
  }
};

export function toHuddleRow(e: Raw): HuddleRow | undefined {
  const rowKey = str(e.rowKey) ?? '';
  const date = str(e.date) ?? rowKey.slice(0, 10);
  const homeId = str(e.homeId) ?? rowKey.slice(11);
  const rag = str(e.rag);
  if (!homeId || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !isRag(rag)) return undefined;
  const row: HuddleRow = { homeId, date, rag, reasons: strings(e.reasons) };
  for (const c of NUMBER_COLUMNS) {
    const n = num(e[c]);
    if (n !== undefined) row[c] = n;
  }
  const staffing = str(e.staffingRag);
  if (isRag(staffing)) row.staffingRag = staffing;
  const outbreak = str(e.outbreakStatus);
  if (outbreak && OUTBREAK.includes(outbreak)) row.outbreakStatus = outbreak as OutbreakStatus;
  const reason = str(e.bedsClosedReason);
  if (reason) row.bedsClosedReason = reason;
  for (const c of ['nurseCoverGap', 'careInspectorateNotified', 'protectionConcern'] as const) {
    const b = bool(e[c]);
    if (b !== undefined) row[c] = b;
  }
  return row;
}

/** Decision times kept on the row itself (whichever the escalation feature writes). */
function eventsFromColumns(e: Raw): EscalationEvent[] {
  const out: EscalationEvent[] = [];
  const state = str(e.state);
  const pathway = str(e.pathway);
  const escalatedAt = str(e.escalatedAt) ?? (state === 'escalated' ? (str(e.decidedAt) ?? str(e.updatedAt)) : undefined);
  if (escalatedAt) out.push({ from: 'awaiting-approval', to: 'escalated', at: escalatedAt, ...(pathway ? { pathway } : {}) });
  const rejectedAt = str(e.rejectedAt);
  if (rejectedAt) out.push({ from: 'awaiting-approval', to: 'local-support', at: rejectedAt });
  const closedAt = str(e.closedAt) ?? (state === 'closed' ? str(e.updatedAt) : undefined);
  if (closedAt) out.push({ to: 'closed', at: closedAt });
  return out;
}

const hasDecisionColumns = (e: Raw) => ['escalatedAt', 'decidedAt', 'rejectedAt', 'closedAt', 'updatedAt'].some((c) => str(e[c]));

export function toEscalationRow(e: Raw, events: EscalationEvent[] = eventsFromColumns(e)): EscalationRow | undefined {
  const id = str(e.rowKey);
  const homeId = str(e.homeId);
  const openedAt = str(e.openedAt);
  if (!id || !homeId || !openedAt) return undefined;
  const owner = str(e.owner);
  const pathway = str(e.pathway);
  return { id, homeId, state: str(e.state) ?? 'open', openedAt, ...(owner ? { owner } : {}), ...(pathway ? { pathway } : {}), events };
}

export function toActionRow(homeId: string, e: Raw): ActionRow | undefined {
  const number = str(e.no) ?? str(e.number) ?? (typeof e.number === 'number' ? String(e.number) : undefined);
  const dueDate = str(e.due) ?? str(e.dueDate);
  if (!number || !dueDate) return undefined; // a plan header or another kind of row in the home's partition
  const completedAt = str(e.completedAt);
  const status = str(e.status) === 'completed' ? 'completed' : 'open';
  return { homeId, theme: num(e.theme) ?? Number(number.split('.')[0]), number, status, onTarget: bool(e.onTarget) ?? true, dueDate, ...(completedAt ? { completedAt } : {}) };
}

/** A table that does not exist (yet) has nothing recorded. */
async function orNone<T>(rows: Promise<T[]>): Promise<T[]> {
  try {
    return await rows;
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

/** Runs `work` over `items` with at most `limit` at once. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return out;
}

export async function loadDigestSource(storage: Storage, q: DigestSourceQuery): Promise<DigestSource> {
  const limit = q.concurrency ?? 16;
  const tables = {
    huddles: new HuddlesTable(storage.table('huddles')),
    escalations: new EscalationsTable(storage.table('escalations')),
    audit: new AuditTable(storage.table('audit')),
    actions: new ActionsTable(storage.table('actions')),
    notifications: new NotificationsTable(storage.table('notifications')),
  };
  const huddlesQuery = orNone(tables.huddles.columnsForArea(q.areaId, q.from, q.to, HUDDLE_COLUMNS));
  const escalationsQuery = orNone(tables.escalations.columnsForArea(q.areaId, ESCALATION_COLUMNS));
  const actionsQuery = mapLimited(q.homeIds, limit, async (homeId) => (await orNone(tables.actions.entitiesOf(homeId))).flatMap((e) => toActionRow(homeId, e) ?? []));
  const notificationsQuery = orNone(tables.notifications.listForArea(q.areaId, q.from, q.to));
  const [huddles, escalationEntities, actions, notifications] = await Promise.all([huddlesQuery, escalationsQuery, actionsQuery, notificationsQuery]);

  // Only escalations without decision times need their audit history, and only if they may have moved since `since`.
  const escalations = await mapLimited(escalationEntities, limit, async (e) => {
    if (hasDecisionColumns(e) || (str(e.state) === 'open' && !str(e.owner))) return toEscalationRow(e);
    const history = (await orNone(tables.audit.historySince('escalation', str(e.rowKey) ?? '', q.since))).map((h): Raw => ({ ...h }));
    const events = history.flatMap((h): EscalationEvent[] => {
      const to = str(h.to);
      const at = str(h.at);
      if (!to || !at || to === 'open') return [];
      const pathway = str(h.pathway) ?? pathwayOf(h.data);
      return [{ ...(str(h.from) ? { from: str(h.from) } : {}), to, at, ...(pathway ? { pathway } : {}) }];
    });
    return toEscalationRow(e, events);
  });

  return {
    huddles: huddles.flatMap((e) => toHuddleRow(e) ?? []),
    escalations: escalations.flatMap((e) => e ?? []),
    actions: actions.flat(),
    notifications: notifications.map(({ homeId, date, kind }) => ({ homeId, date, kind })),
  };
}

function pathwayOf(data: unknown): string | undefined {
  try {
    const parsed = typeof data === 'string' ? (JSON.parse(data) as Raw) : undefined;
    return str(parsed?.pathway);
  } catch {
    return undefined;
  }
}
