/**
 * Improvement plans (§5, seed 002): the six themes of the Dumfries & Galloway template, action
 * numbering (theme.n, never reused), due-date rules, RAG, and the append-only progress log.
 */
import { addDays, isIsoDate, localDate } from './calendar';
import { hasAreaRole, isManagerOf, type Home, type Person } from './directory';
import { actionRag, type Rag } from './rag';
import { fail, ok, type Result } from './result';

export interface Theme {
  n: number;
  name: string;
}

/** As headed in the template (Appendix 1 of seed 002). */
export const THEMES: readonly Theme[] = [
  { n: 1, name: "Supporting People's Well-being" },
  { n: 2, name: 'Leadership and Management' },
  { n: 3, name: 'Staff Team (Education, Training, etc)' },
  { n: 4, name: 'Environment' },
  { n: 5, name: 'Care Planning & Support' },
  { n: 6, name: 'Infection Prevention, Control & Safety' },
];

/** The template's prompt for each theme's context line. */
export const CONTEXT_PROMPT =
  'Context (e.g. Self-Assessment, Care Inspectorate Inspection Report / Contract Monitoring / Assurance Visits / Complaints / Large Scale Investigations (LSI))';

export type PlanCode =
  | 'PLAN.UNKNOWN_THEME'
  | 'PLAN.BAD_ACTION_NO'
  | 'PLAN.NO_SUCH_ACTION'
  | 'PLAN.NOT_ALLOWED'
  | 'PLAN.ALREADY_COMPLETED'
  | 'PLAN.BAD_INPUT'
  | 'PLAN.UNKNOWN_PERSON'
  | 'PLAN.LOG_FULL'
  | 'PLAN.STALE'
  | 'DUE.ONGOING'
  | 'DUE.INVALID'
  | 'DUE.PAST'
  | 'DUE.REASON_NEEDED';

export interface PlanHeader {
  partnershipLead: string;
  registeredManager: string;
  serviceName: string;
  serviceType: string;
  commencementDate: string;
  reviewDate: string;
}

export interface Plan {
  homeId: string;
  areaId: string;
  header: PlanHeader;
  /** theme number → context line */
  contexts: Record<number, string>;
  /** theme number → the last number given in it (never goes down) */
  lastNo: Record<number, number>;
}

export interface Responsible {
  email?: string;
  name: string;
}

export type LogKind = 'created' | 'progress' | 'due-moved' | 'completed';

export interface LogEntry {
  at: string;
  by: string;
  kind: LogKind;
  comment?: string;
  onTarget?: boolean;
  from?: string;
  to?: string;
  reason?: string;
}

export interface Action {
  homeId: string;
  theme: number;
  seq: number;
  description: string;
  outcome: string;
  responsible: Responsible;
  due: string;
  status: 'open' | 'completed';
  onTarget: boolean;
  createdAt: string;
  createdBy: string;
  log: LogEntry[];
}

export const LIMITS = { description: 1000, outcome: 1000, name: 100, comment: 500, reason: 300, logChars: 30_000 } as const;

export const actionNo = (a: Pick<Action, 'theme' | 'seq'>): string => `${a.theme}.${a.seq}`;

export function themeOf(value: unknown): Result<Theme, PlanCode> {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  const theme = THEMES.find((t) => t.n === n);
  return theme ? ok(theme) : fail('PLAN.UNKNOWN_THEME', 'Choose one of the six themes of the plan.', { theme: 'unknown theme' });
}

export function parseActionNo(value: unknown): Result<{ theme: number; seq: number }, PlanCode> {
  const m = typeof value === 'string' ? /^([1-6])\.([1-9]\d{0,3})$/.exec(value.trim()) : null;
  if (!m) return fail('PLAN.BAD_ACTION_NO', 'That is not an action number of this plan (such as 2.1).');
  return ok({ theme: Number(m[1]), seq: Number(m[2]) });
}

/** The next number in a theme: one more than the last ever given, so a number is never reused. */
export function nextNumber(plan: Pick<Plan, 'lastNo'>, theme: number): number {
  return (plan.lastNo[theme] ?? 0) + 1;
}

/** A due date must be a real date, today or later: the template asks that "ongoing" be avoided. */
export function parseDue(value: unknown, today: string): Result<string, PlanCode> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (/ongoing/i.test(text)) return fail('DUE.ONGOING', '"Ongoing" is not a timescale: give the date by which the action should be done.', { due: 'ongoing' });
  if (!text) return fail('DUE.INVALID', 'Give the date by which the action should be done.', { due: 'missing' });
  if (!isIsoDate(text)) return fail('DUE.INVALID', 'Give the due date as a date (YYYY-MM-DD).', { due: 'not a date' });
  if (text < today) return fail('DUE.PAST', `The due date ${text} has passed: give today or a later date.`, { due: 'in the past' });
  return ok(text);
}

export const isOverdue = (a: Pick<Action, 'status' | 'due'>, today: string): boolean => a.status === 'open' && a.due < today;

/** Green completed; red when outstanding and not on target (every open action past its due date); amber otherwise. */
export function ragOf(a: Pick<Action, 'status' | 'due' | 'onTarget'>, today: string): Rag {
  return actionRag({ completed: a.status === 'completed', overdue: isOverdue(a, today), onTarget: a.onTarget });
}

/** Open actions in the card's order: overdue first (oldest due first), then by number. */
export function orderOpen(actions: Action[], today: string): Action[] {
  return actions
    .filter((a) => a.status === 'open')
    .sort((x, y) => {
      const ox = isOverdue(x, today) ? 0 : 1;
      const oy = isOverdue(y, today) ? 0 : 1;
      if (ox !== oy) return ox - oy;
      if (ox === 0 && x.due !== y.due) return x.due < y.due ? -1 : 1;
      return x.theme - y.theme || x.seq - y.seq;
    });
}

/** Who may change a home's plan: the home's managers and the support members of its area. */
export function mayEditPlan(person: Person, home: Home): boolean {
  return isManagerOf(person, home.id) || hasAreaRole(person, 'support', home.area);
}

/** Who may see it: editors, and the area's approvers, chiefs and admins. */
export function mayViewPlan(person: Person, home: Home): boolean {
  return mayEditPlan(person, home) || (['approver', 'chief', 'admin'] as const).some((r) => hasAreaRole(person, r, home.area));
}

export interface NewAction {
  theme: number;
  description: string;
  outcome: string;
  responsible: Responsible;
  due: string;
}

export function createAction(plan: Pick<Plan, 'homeId' | 'lastNo'>, input: NewAction, by: string, at: Date): Action {
  return {
    homeId: plan.homeId,
    theme: input.theme,
    seq: nextNumber(plan, input.theme),
    description: input.description,
    outcome: input.outcome,
    responsible: input.responsible,
    due: input.due,
    status: 'open',
    onTarget: true,
    createdAt: at.toISOString(),
    createdBy: by,
    log: [{ at: at.toISOString(), by, kind: 'created', to: input.due }],
  };
}

export interface ActionUpdate {
  comment?: string;
  onTarget?: boolean;
  /** already checked by parseDue */
  due?: string;
  reason?: string;
}

const logFits = (log: LogEntry[]) => JSON.stringify(log).length <= LIMITS.logChars;

/** Applies an update: the log only grows; moving the due date needs a reason, kept in the log. */
export function updateAction(a: Action, u: ActionUpdate, by: string, at: Date): Result<Action, PlanCode> {
  if (a.status === 'completed') return fail('PLAN.ALREADY_COMPLETED', `Action ${actionNo(a)} is already completed.`);
  const moving = u.due !== undefined && u.due !== a.due;
  const reason = u.reason?.trim();
  if (moving && !reason) return fail('DUE.REASON_NEEDED', 'Say why the due date moves: the reason is kept in the progress log.', { reason: 'required' });
  const comment = u.comment?.trim();
  if (!moving && !comment && (u.onTarget === undefined || u.onTarget === a.onTarget)) {
    return fail('PLAN.BAD_INPUT', 'Nothing to record: add a progress comment, change on target, or move the due date.');
  }
  const when = at.toISOString();
  const entries: LogEntry[] = [];
  if (comment || u.onTarget !== undefined) {
    entries.push({ at: when, by, kind: 'progress', ...(comment ? { comment } : {}), ...(u.onTarget !== undefined ? { onTarget: u.onTarget } : {}) });
  }
  if (moving) entries.push({ at: when, by, kind: 'due-moved', from: a.due, to: u.due, reason });
  const log = [...a.log, ...entries];
  if (!logFits(log)) return fail('PLAN.LOG_FULL', `The progress log of ${actionNo(a)} is full: complete it and add a follow-up action.`);
  return ok({ ...a, onTarget: u.onTarget ?? a.onTarget, due: moving ? u.due! : a.due, log });
}

export function completeAction(a: Action, comment: string | undefined, by: string, at: Date): Result<Action, PlanCode> {
  if (a.status === 'completed') return fail('PLAN.ALREADY_COMPLETED', `Action ${actionNo(a)} is already completed.`);
  const text = comment?.trim();
  // The card asks what was achieved before completing: a one-click completion with nothing logged is refused.
  if (!text) return fail('PLAN.BAD_INPUT', `Say what was achieved before completing action ${actionNo(a)}: it is kept in the progress log.`, { achieved: 'required' });
  if (text.length > LIMITS.comment) return fail('PLAN.BAD_INPUT', `Keep what was achieved under ${LIMITS.comment} characters.`, { achieved: 'too long' });
  const log = [...a.log, { at: at.toISOString(), by, kind: 'completed' as const, comment: text }];
  if (!logFits(log)) return fail('PLAN.LOG_FULL', `The progress log of ${actionNo(a)} is full.`);
  return ok({ ...a, status: 'completed', log });
}

/** The log entries written between two instants (a meeting's changes). */
export function changesBetween(actions: Action[], from: Date, to: Date): { action: Action; entry: LogEntry }[] {
  const lo = from.toISOString();
  const hi = to.toISOString();
  return actions
    .flatMap((action) => action.log.filter((e) => e.at >= lo && e.at <= hi).map((entry) => ({ action, entry })))
    .sort((x, y) => (x.entry.at < y.entry.at ? -1 : x.entry.at > y.entry.at ? 1 : 0));
}

export type ReminderKind = 'assigned' | 'before' | 'after';

/**
 * Which reminder (if any) is due for an action on a local date: "assigned" until sent; three days
 * before the due date (or later that week, if the job missed the day); the day after it passes.
 */
export function reminderDue(
  a: Pick<Action, 'status' | 'due' | 'createdAt'>,
  sent: Partial<Record<ReminderKind, string>>,
  today: string,
  timezone: string,
): ReminderKind[] {
  if (a.status !== 'open') return [];
  const out: ReminderKind[] = [];
  if (!sent.assigned) out.push('assigned');
  const created = localDate(new Date(a.createdAt), timezone);
  const before = addDays(a.due, -3);
  if (!sent.before && today >= before && today < a.due && created < before) out.push('before');
  if (!sent.after && today > a.due) out.push('after');
  return out;
}
