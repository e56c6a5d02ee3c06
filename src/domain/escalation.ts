/** Escalations (§4): states, the actions of the spec's table, who may take each, what each needs. */
import { z } from 'zod';
import { chiProblem } from './chi';
import { hasAreaRole, type Person } from './directory';
import { fail, ok, type Result } from './result';

export const STATES = ['open', 'local-support', 'awaiting-approval', 'escalated', 'closed'] as const;
export type EscalationState = (typeof STATES)[number];
export const PATHWAYS = ['care-inspectorate', 'adult-protection', 'large-scale-investigation', 'national-return'] as const;
export type Pathway = (typeof PATHWAYS)[number];
export const VERBS = ['assign', 'local', 'request', 'refer', 'approve', 'reject', 'close'] as const;
export type EscalationVerb = (typeof VERBS)[number];
export type EscalationRole = 'support' | 'approver';

export const NOTE_MAX = 1000;
/**
 * The row keeps the latest entries of its history, so that it never nears Table storage's limits (a string
 * property holds 64 KiB, i.e. 32K UTF-16 characters; an entity 1 MiB). Every entry is also in the audit table.
 */
export const HISTORY_KEEP = 12;
export const HISTORY_MAX_CHARS = 24_000;

export const PATHWAY_NAMES: Record<Pathway, string> = {
  'care-inspectorate': 'Care Inspectorate',
  'adult-protection': 'Adult protection',
  'large-scale-investigation': 'Large-scale investigation',
  'national-return': 'National return',
};

/** §4's table. */
export const RULES: Record<EscalationVerb, { from: EscalationState[]; to: EscalationState | 'same'; role: EscalationRole }> = {
  assign: { from: ['open'], to: 'same', role: 'support' },
  local: { from: ['open'], to: 'local-support', role: 'support' },
  request: { from: ['open', 'local-support'], to: 'awaiting-approval', role: 'support' },
  // An adult-protection referral is recorded by the support team with no approval step (§4).
  refer: { from: ['open', 'local-support'], to: 'escalated', role: 'support' },
  approve: { from: ['awaiting-approval'], to: 'escalated', role: 'approver' },
  reject: { from: ['awaiting-approval'], to: 'local-support', role: 'approver' },
  close: { from: ['open', 'local-support', 'escalated'], to: 'closed', role: 'support' },
};

export interface HistoryEntry {
  at: string;
  by: string;
  action: string;
  from: EscalationState;
  to: EscalationState;
  note?: string;
}

export interface Escalation {
  id: string;
  areaId: string;
  homeId: string;
  state: EscalationState;
  version: number;
  owner?: string;
  keyWorker?: string;
  pathway?: Pathway;
  rationale?: string;
  externalRef?: string;
  outcome?: string;
  /** an adult-protection referral, recorded when it was made (never held for approval) */
  referredBy?: string;
  referredAt?: string;
  /** who asked for approval, and when: they may not decide their own request (four eyes) */
  requestedBy?: string;
  requestedAt?: string;
  /** an adult-protection concern opened or joined this escalation: a referral is required at once (who raised it, when) */
  referralRequiredBy?: string;
  referralRequiredAt?: string;
  history: HistoryEntry[];
}

/** An escalation as a card shows it: its state, plus how and when it was opened. */
export interface EscalationFile extends Escalation {
  /** huddle (a red answer) or person (raise concern) */
  trigger: 'huddle' | 'person';
  openedAt: string;
  openedBy: string;
  /** the huddle date that opened it (YYYY-MM-DD) */
  openedFor: string;
  /** people-worded reasons of the latest red answer */
  reasons: string[];
  /** consecutive red huddle days */
  daysRed: number;
  /** the concern text (support team and approvers only) */
  concern?: string;
}

export interface Actor {
  email: string;
  support: boolean;
  approver: boolean;
}

export type EscalationCode = 'ESCALATION.BAD_INPUT' | 'ESCALATION.BAD_OWNER' | 'ESCALATION.STALE' | 'ESCALATION.NOT_ALLOWED' | 'ESCALATION.BAD_STATE' | 'ESCALATION.OWN_REQUEST';

const text = (what: string, required: boolean) => {
  const base = z.string({ invalid_type_error: `${what} must be text.`, required_error: `${what} is needed.` }).trim().max(NOTE_MAX, `${what} is longer than ${NOTE_MAX} characters.`);
  // Free text never holds a CHI-like number (§8), whatever the field.
  const checked = (required ? base.min(1, `${what} is needed.`) : base).superRefine((s, ctx) => {
    const why = chiProblem(s);
    if (why) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what}: ${why}` });
  });
  return required ? checked : checked.optional();
};

const NEEDS = {
  assign: z.object({ owner: z.string({ required_error: 'Choose the owner.' }).trim().toLowerCase().email('Choose the owner from the list.') }),
  local: z.object({ note: text('A note', true), keyWorker: text('The key worker', false) }),
  request: z.object({ pathway: z.enum(PATHWAYS, { errorMap: () => ({ message: 'Choose a pathway from the list.' }) }), rationale: text('The rationale', true) }),
  refer: z.object({ reference: text("The referral's reference", true) }),
  approve: z.object({ externalRef: text('The external reference', false) }),
  reject: z.object({ reason: text('A reason', true) }),
  close: z.object({ outcome: text('The outcome', true) }),
} as const;

export type ActionInput = { [V in EscalationVerb]: { verb: V; escalationId: string; version: number } & z.infer<(typeof NEEDS)[V]> }[EscalationVerb];

/** The card's data for a verb, checked: id, version, and what the verb needs. */
export function parseAction(verb: EscalationVerb, data: Record<string, unknown>): Result<ActionInput, EscalationCode> {
  const escalationId = typeof data.escalationId === 'string' && /^esc-[0-9a-f-]{36}$/.test(data.escalationId) ? data.escalationId : undefined;
  const version = typeof data.version === 'number' && Number.isInteger(data.version) && data.version > 0 ? data.version : typeof data.version === 'string' && /^\d{1,6}$/.test(data.version) ? Number(data.version) : undefined;
  if (!escalationId) return fail('ESCALATION.BAD_INPUT', 'This card does not name an escalation. Nothing was changed.');
  if (!version) return fail('ESCALATION.BAD_INPUT', 'This card does not say which version of the escalation you saw. Nothing was changed.');
  const parsed = NEEDS[verb].safeParse(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === '' ? undefined : v])));
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return fail('ESCALATION.BAD_INPUT', `${Object.values(fields).join(' ')} Nothing was changed.`, fields);
  }
  return ok({ verb, escalationId, version, ...parsed.data } as ActionInput);
}

export const STATE_NAMES: Record<EscalationState, string> = {
  open: 'Open',
  'local-support': 'Local support',
  'awaiting-approval': 'Awaiting approval',
  escalated: 'Escalated',
  closed: 'Closed',
};

/** Which verbs an actor may take now: what the card shows them. */
export function allowedVerbs(e: Pick<Escalation, 'state' | 'requestedBy'>, actor: Actor): EscalationVerb[] {
  return VERBS.filter((v) => RULES[v].from.includes(e.state) && actor[RULES[v].role] && !ownRequest(e, actor, v));
}

/** Four eyes: the approver who asked for approval may not approve or reject that request. */
export function ownRequest(e: Pick<Escalation, 'state' | 'requestedBy'>, actor: Pick<Actor, 'email'>, verb: EscalationVerb): boolean {
  return (verb === 'approve' || verb === 'reject') && e.state === 'awaiting-approval' && !!e.requestedBy && e.requestedBy.toLowerCase() === actor.email.toLowerCase();
}

/** Who may decide a request: the area's approvers other than the one who asked (by name). */
export function whoCanDecide(e: Pick<Escalation, 'requestedBy'>, approvers: { email: string; name: string }[]): string[] {
  return approvers.filter((a) => a.email.toLowerCase() !== (e.requestedBy ?? '').toLowerCase()).map((a) => a.name);
}

/** The names as a sentence: "Helen Bruce", "Helen Bruce or Iain Shaw", "A, B or C". */
export const orList = (names: string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/** The latest entries only, within HISTORY_KEEP and HISTORY_MAX_CHARS (the audit table has them all). */
export function capHistory(history: HistoryEntry[]): HistoryEntry[] {
  const kept = history.slice(-HISTORY_KEEP);
  while (kept.length > 1 && JSON.stringify(kept).length > HISTORY_MAX_CHARS) kept.shift();
  return kept;
}

/** Who may own an escalation of its area: a support member of that area. */
export type OwnerCheck = (email: string) => boolean;

/**
 * Applies an action: the next version, or why not (nothing changes). `mayOwn` says whether an e-mail is a
 * support member of the escalation's area (an owner must be one); without it no owner is accepted.
 */
export function apply(e: Escalation, input: ActionInput, actor: Actor, now: Date, mayOwn: OwnerCheck = () => false, otherApprovers: string[] = []): Result<Escalation, EscalationCode> {
  const rule = RULES[input.verb];
  if (!actor[rule.role]) return fail('ESCALATION.NOT_ALLOWED', `Only ${rule.role === 'approver' ? 'an approver' : 'the support team'} of this area can do that. Nothing was changed.`);
  if (ownRequest(e, actor, input.verb)) {
    const who = otherApprovers.length
      ? `${orList(otherApprovers)} (${otherApprovers.length === 1 ? 'the other approver' : 'the other approvers'} of this area) can decide it.`
      : 'This area has no other approver: an administrator must add one to the directory before it can be decided.';
    return fail('ESCALATION.OWN_REQUEST', `You asked for this approval, so you cannot ${input.verb} it yourself: ${who} Nothing was changed.`);
  }
  if (input.version !== e.version) {
    return fail('ESCALATION.STALE', 'This escalation has changed since you saw it: the card shows it as it is now, with who changed it in its history. Nothing was changed.');
  }
  if (!rule.from.includes(e.state)) return fail('ESCALATION.BAD_STATE', `An escalation that is ${STATE_NAMES[e.state].toLowerCase()} cannot be moved that way. Nothing was changed.`);
  const at = now.toISOString();
  let to: EscalationState = rule.to === 'same' ? e.state : rule.to;
  const next: Escalation = { ...e, version: e.version + 1 };
  let note: string | undefined;
  switch (input.verb) {
    case 'assign':
      if (!mayOwn(input.owner)) return fail('ESCALATION.BAD_OWNER', 'The owner must be a member of the support team of this area: choose them from the list. Nothing was changed.', { owner: 'not a support member of this area' });
      next.owner = input.owner;
      note = `owner ${input.owner}`;
      break;
    case 'local':
      next.keyWorker = input.keyWorker;
      note = input.note;
      break;
    case 'request':
      next.pathway = input.pathway;
      next.rationale = input.rationale;
      next.requestedBy = actor.email;
      next.requestedAt = at;
      note = `${PATHWAY_NAMES[input.pathway]}: ${input.rationale}`;
      // Adult protection is never held for approval: the referral is made and recorded now.
      if (input.pathway === 'adult-protection') {
        to = 'escalated';
        next.referredBy = actor.email;
        next.referredAt = at;
        note = `referred to adult protection: ${input.rationale}`;
      }
      break;
    case 'refer':
      // The referral is made and recorded now, with its reference: no approval step (§4).
      next.pathway = 'adult-protection';
      next.externalRef = input.reference;
      next.referredBy = actor.email;
      next.referredAt = at;
      note = `referred to adult protection (reference ${input.reference})`;
      break;
    case 'approve':
      next.externalRef = input.externalRef;
      note = input.externalRef ? `reference ${input.externalRef}` : undefined;
      break;
    case 'reject':
      note = input.reason;
      break;
    case 'close':
      next.outcome = input.outcome;
      note = input.outcome;
      break;
  }
  next.state = to;
  next.history = capHistory([...e.history, { at, by: actor.email, action: (input.verb === 'request' && to === 'escalated') || input.verb === 'refer' ? 'referred' : input.verb, from: e.state, to, ...(note ? { note } : {}) }]);
  return ok(next);
}

/** A directory person as an actor in one area's escalations. */
export const actorIn = (person: Person, areaId: string): Actor => ({
  email: person.email,
  support: hasAreaRole(person, 'support', areaId),
  approver: hasAreaRole(person, 'approver', areaId),
});

/** The glyph beside a state's name: the state is said in words, and never by colour alone. */
export const STATE_ICONS: Record<EscalationState, string> = {
  open: '●',
  'local-support': '◆',
  'awaiting-approval': '◷',
  escalated: '▲',
  closed: '✓',
};

/**
 * One history entry as a sentence about people ("Iain Shaw took this on", "Kirsty Moffat was made owner by
 * Iain Shaw"); `nameOf` gives a person's directory name for an e-mail address, never the address.
 */
export function historySentence(h: HistoryEntry, nameOf: (email: string | undefined) => string): string {
  const by = nameOf(h.by);
  const note = h.note ? `: ${h.note}` : '';
  switch (h.action) {
    case 'assign': {
      const owner = h.note?.startsWith('owner ') ? h.note.slice('owner '.length).trim() : undefined;
      if (!owner) return `${by} changed the owner`;
      return owner.toLowerCase() === h.by.toLowerCase() ? `${by} took this on` : `${nameOf(owner)} was made owner by ${by}`;
    }
    case 'local':
      return `${by} recorded local support${note}`;
    case 'request':
      return `${by} asked for approval to escalate to ${h.note ?? 'an external pathway'}`;
    case 'referred':
      return `${by} ${h.note ?? 'referred this to adult protection'}`;
    case 'approve':
      return `${by} approved the escalation${h.note ? ` (${h.note})` : ''}`;
    case 'reject':
      return `${by} did not approve the escalation${note}`;
    case 'close':
      return `${by} closed this${note ? `. Outcome${note}` : ''}`;
    default:
      return `${by} changed this${note}`;
  }
}
