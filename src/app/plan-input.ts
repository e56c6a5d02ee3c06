/** Strict parsing of the plan card's Action.Execute data: missing, extra, mistyped or oversized data is refused. */
import { z } from 'zod';
import { LIMITS, parseActionNo, parseDue, themeOf, type ActionUpdate, type NewAction, type PlanHeader } from '../domain/plan';
import { fail, ok, type Failure, type Result } from '../domain/result';
import { isIsoDate } from '../domain/calendar';
import { chiProblem } from '../domain/chi';

const id = z.string().min(1).max(63);
const optText = (max: number) => z.string().max(max).optional();

/** Inputs of other actions' Update cards that a client may send along; ignored, not refused. */
const OTHER_ACTION_INPUT = /^(comment|onTarget|due|reason|achieved)_[1-6]_\d{1,4}$/;

const createSchema = z
  .object({
    homeId: id,
    theme: z.string().max(10),
    description: z.string().trim().min(1).max(LIMITS.description),
    outcome: z.string().trim().min(1).max(LIMITS.outcome),
    responsibleEmail: optText(254),
    responsibleName: optText(LIMITS.name),
    due: z.string().max(40),
  })
  .strict();

const refParts = { homeId: id, actionNo: z.string().max(12) };

const describe = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');

const FIELD_NAMES: Record<string, string> = {
  description: 'action', outcome: 'desired outcome', responsibleName: 'responsible person', comment: 'progress comment', reason: 'reason',
  partnershipLead: 'partnership lead', registeredManager: 'registered manager', serviceType: 'service type',
};

/** The first free-text field holding a CHI-like number, refused with why (§8); nothing is stored. */
function chiIn(fields: Record<string, string | undefined>): Failure<'PLAN.BAD_INPUT'> | undefined {
  for (const [field, value] of Object.entries(fields)) {
    const why = chiProblem(value);
    if (why) {
      const name = FIELD_NAMES[field] ?? (field.startsWith('context_') ? `context line of theme ${field.slice(8)}` : field);
      return fail('PLAN.BAD_INPUT', `In the ${name}: ${why}`, { [field]: 'holds a CHI-like number' });
    }
  }
  return undefined;
}

export type CreateInput = Omit<NewAction, 'responsible'> & { homeId: string; responsibleEmail?: string; responsibleName?: string };

export function parseCreate(data: unknown, today: string): Result<CreateInput> {
  const parsed = createSchema.safeParse(data);
  if (!parsed.success) return fail('PLAN.BAD_INPUT', `The action could not be read (${describe(parsed.error).slice(0, 300)}).`);
  const d = parsed.data;
  const chi = chiIn({ description: d.description, outcome: d.outcome, responsibleName: d.responsibleName });
  if (chi) return chi;
  const theme = themeOf(d.theme);
  if (!theme.ok) return theme;
  const due = parseDue(d.due, today);
  if (!due.ok) return due;
  const email = d.responsibleEmail?.trim().toLowerCase();
  const name = d.responsibleName?.trim();
  if (!email && !name) return fail('PLAN.BAD_INPUT', 'Choose the responsible person, or type their name.', { responsible: 'required' });
  return ok({
    homeId: d.homeId,
    theme: theme.value.n,
    description: d.description,
    outcome: d.outcome,
    due: due.value,
    ...(email ? { responsibleEmail: email } : {}),
    ...(name ? { responsibleName: name } : {}),
  });
}

export interface ActionRef {
  homeId: string;
  actionNo: string;
  theme: number;
  seq: number;
}

/** The action an Update or Complete is for, plus that action's own inputs (suffixed with its number). */
export function parseRef(data: unknown): Result<{ ref: ActionRef; inputs: Record<string, string> }> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return fail('PLAN.BAD_INPUT', 'The card sent no data.');
  const record = data as Record<string, unknown>;
  const base = z.object(refParts).safeParse({ homeId: record.homeId, actionNo: record.actionNo });
  if (!base.success) return fail('PLAN.BAD_INPUT', `The card's data could not be read (${describe(base.error).slice(0, 200)}).`);
  const no = parseActionNo(base.data.actionNo);
  if (!no.ok) return no;
  const inputs: Record<string, string> = {};
  const suffix = `_${no.value.theme}_${no.value.seq}`;
  for (const [k, v] of Object.entries(record)) {
    if (k === 'homeId' || k === 'actionNo') continue;
    if (!OTHER_ACTION_INPUT.test(k)) return fail('PLAN.BAD_INPUT', `The card sent an unexpected field "${k.slice(0, 40)}".`);
    if (typeof v !== 'string') return fail('PLAN.BAD_INPUT', `The field "${k}" should be text.`);
    if (k.endsWith(suffix)) inputs[k.slice(0, -suffix.length)] = v;
  }
  // An Update's comment and reason, and a Complete's "what was achieved", are free text.
  const chi = chiIn({ comment: inputs.comment, reason: inputs.reason, achieved: inputs.achieved });
  if (chi) return chi;
  return ok({ ref: { homeId: base.data.homeId, actionNo: base.data.actionNo.trim(), ...no.value }, inputs });
}

/** An Update's inputs: a comment, on target or not, and a due date (checked only when it moves). */
export function parseUpdate(inputs: Record<string, string>, currentDue: string, today: string): Result<ActionUpdate> {
  const comment = inputs.comment?.trim();
  if (comment && comment.length > LIMITS.comment) return fail('PLAN.BAD_INPUT', `Keep the progress comment under ${LIMITS.comment} characters.`, { comment: 'too long' });
  const reason = inputs.reason?.trim();
  if (reason && reason.length > LIMITS.reason) return fail('PLAN.BAD_INPUT', `Keep the reason under ${LIMITS.reason} characters.`, { reason: 'too long' });
  let onTarget: boolean | undefined;
  if (inputs.onTarget !== undefined && inputs.onTarget !== '') {
    if (inputs.onTarget !== 'true' && inputs.onTarget !== 'false') return fail('PLAN.BAD_INPUT', 'On target must be yes or no.');
    onTarget = inputs.onTarget === 'true';
  }
  const dueText = inputs.due?.trim();
  let due: string | undefined;
  if (dueText && dueText !== currentDue) {
    const parsed = parseDue(dueText, today);
    if (!parsed.ok) return parsed;
    due = parsed.value;
  }
  return ok({ ...(comment ? { comment } : {}), ...(onTarget !== undefined ? { onTarget } : {}), ...(due ? { due } : {}), ...(reason ? { reason } : {}) });
}

const editSchema = z
  .object({
    homeId: id,
    partnershipLead: optText(LIMITS.name),
    registeredManager: optText(LIMITS.name),
    serviceType: optText(LIMITS.name),
    commencementDate: z.string().max(40),
    reviewDate: optText(40),
    ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`context_${n}`, optText(500)])),
  })
  .strict();

/** The plan's header and context lines from "Plan details"; a review date must be a real date, not past. */
export function parsePlanEdit(data: unknown, today: string, currentReview: string): Result<{ header: PlanHeaderEdit; contexts: Record<number, string> }> {
  const parsed = editSchema.safeParse(data);
  if (!parsed.success) return fail('PLAN.BAD_INPUT', `The plan details could not be read (${describe(parsed.error).slice(0, 300)}).`);
  const d = parsed.data as Record<string, string | undefined>;
  const { homeId: _home, commencementDate: _c, reviewDate: _r, ...free } = d;
  const chi = chiIn(free);
  if (chi) return chi;
  const commencementDate = d.commencementDate!.trim();
  if (!isIsoDate(commencementDate)) return fail('DUE.INVALID', 'Give the date of commencement as a date (YYYY-MM-DD).', { commencementDate: 'not a date' });
  const reviewText = (d.reviewDate ?? '').trim();
  let reviewDate = '';
  if (reviewText) {
    if (reviewText === currentReview) reviewDate = reviewText;
    else {
      const r = parseDue(reviewText, today);
      if (!r.ok) return fail(r.code, r.message.replace('due date', 'review date'), { reviewDate: 'invalid' });
      reviewDate = r.value;
    }
  }
  const contexts: Record<number, string> = {};
  for (const n of [1, 2, 3, 4, 5, 6]) {
    const c = d[`context_${n}`]?.trim();
    if (c) contexts[n] = c;
  }
  return ok({
    header: {
      partnershipLead: d.partnershipLead?.trim() ?? '',
      registeredManager: d.registeredManager?.trim() ?? '',
      serviceType: d.serviceType?.trim() ?? '',
      commencementDate,
      reviewDate,
    },
    contexts,
  });
}

export type PlanHeaderEdit = Omit<PlanHeader, 'serviceName'>;
