/** The daily safety huddle (§3): the answer parsed strictly, and its RAG with reasons worded for people. */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Home } from './directory';
import { RAGS, type Rag } from './rag';
import { chiProblem } from './chi';
import { fail, ok, type Result } from './result';

export const STAFFING = RAGS;
export const OUTBREAK = ['none', 'suspected', 'confirmed', 'closing'] as const;
export const PPE = ['good', 'adequate', 'low', 'critical'] as const;
export const VISITING = ['open', 'restricted', 'essential', 'closed'] as const;
export const BEDS_CLOSED_REASONS = ['staffing', 'ipc', 'environment', 'other'] as const;
export const SUPPORT = ['staffing', 'ipc', 'clinical', 'equipment', 'other'] as const;

export const COUNT_FIELDS = [
  'residents',
  'bedsAvailable',
  'bedsClosed',
  'shiftsUnfilled',
  'agencyShifts',
  'newCasesResidents',
  'newCasesStaff',
  'fallsWithHarm',
  'newPressureUlcers',
  'deaths',
  'unexpectedDeaths',
  'hospitalAdmissions',
  'hospitalDischarges',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** Counts of events since the last huddle: each day's card starts them at 0, as values. */
export const EVENT_COUNT_FIELDS = COUNT_FIELDS.filter((f) => f !== 'residents' && f !== 'bedsAvailable' && f !== 'bedsClosed');
/** How old a home's last answer may be and still be where the next card starts. */
export const START_FROM_DAYS = 7;

/** What the next card starts from: the residents and beds of a home's latest answered day. */
export interface LastAnswer {
  homeId: string;
  date: string;
  residents: number;
  bedsAvailable: number;
  bedsClosed: number;
  bedsClosedReason: '' | (typeof BEDS_CLOSED_REASONS)[number];
}

/**
 * The values a new card comes with (§3): event counts at 0; residents and beds from the home's last answer
 * when it is from the 7 days before `date` (beds closed at 0 otherwise); the four status questions empty.
 * `from` is the date the residents and beds were taken from, when they were.
 */
export function formStart(date: string, last: LastAnswer | undefined): { values: Record<string, string>; from?: string } {
  const values: Record<string, string> = Object.fromEntries(EVENT_COUNT_FIELDS.map((f) => [f, '0']));
  values.bedsClosed = '0';
  const earliest = DateTime.fromISO(date, { zone: 'utc' }).minus({ days: START_FROM_DAYS }).toISODate()!;
  if (!last || last.date > date || last.date < earliest) return { values };
  values.residents = String(last.residents);
  values.bedsAvailable = String(last.bedsAvailable);
  values.bedsClosed = String(last.bedsClosed);
  values.bedsClosedReason = last.bedsClosed > 0 ? last.bedsClosedReason : '';
  return { values, from: last.date };
}

export const CONCERN_MAX = 500;
/** A whole card's data larger than this is refused before any field is read. */
export const MAX_PAYLOAD_CHARS = 16_000;

/**
 * The stored answer an amendment replaces: its version, and its ETag so that a change made since is refused.
 * An Amend card carries it in its data; Table storage checks it.
 */
export interface AnswerBasis {
  version: number;
  etag: string;
}

export interface HuddleAnswer extends Record<CountField, number> {
  bedsClosedReason: '' | (typeof BEDS_CLOSED_REASONS)[number];
  staffingRag: (typeof STAFFING)[number];
  nurseCoverGap: boolean;
  outbreakStatus: (typeof OUTBREAK)[number];
  careInspectorateNotified: boolean;
  ppeSupply: (typeof PPE)[number];
  visiting: (typeof VISITING)[number];
  protectionConcern: boolean;
  /** comma separated, in the order of SUPPORT; may be empty */
  supportNeeded: string;
  concern: string;
}

export type HuddleCode = 'HUDDLE.INVALID' | 'HUDDLE.TOO_LARGE';

/** "3" yes; "3.5", "-1", "", " 3", "three" no. */
const count = z
  .union([z.string(), z.number()], { errorMap: () => ({ message: 'Enter a whole number, 0 or more.' }) })
  .transform((v, ctx) => {
    const text = typeof v === 'number' ? String(v) : v;
    if (!/^\d{1,5}$/.test(text)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: text === '' ? 'Enter a number (0 if none).' : 'Enter a whole number, 0 or more (digits only).' });
      return z.NEVER;
    }
    return Number(text);
  });

const choice = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { errorMap: () => ({ message: `Choose ${what}.` }) });

/** Input.Toggle sends "true"/"false"; a yes/no choice may also be left empty (undefined). */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', ''])], { errorMap: () => ({ message: 'Answer yes or no.' }) })
  .transform((v) => (v === '' ? undefined : v === true || v === 'true'));

const shape = z.object({
  ...(Object.fromEntries(COUNT_FIELDS.map((f) => [f, count])) as Record<CountField, typeof count>),
  bedsClosedReason: z.union([z.literal(''), choice(BEDS_CLOSED_REASONS, 'why beds are closed')]).optional().default(''),
  staffingRag: choice(STAFFING, 'the staffing level'),
  nurseCoverGap: flag.optional(),
  outbreakStatus: choice(OUTBREAK, 'the outbreak status'),
  careInspectorateNotified: flag.optional(),
  ppeSupply: choice(PPE, 'the PPE supply'),
  visiting: choice(VISITING, 'the visiting arrangements'),
  protectionConcern: flag.optional(),
  supportNeeded: z
    .string({ invalid_type_error: 'Choose from the list.' })
    .optional()
    .default('')
    .refine((s) => s === '' || s.split(',').every((x) => (SUPPORT as readonly string[]).includes(x)), 'Choose from the list.'),
  concern: z
    .string({ invalid_type_error: 'Write the concern as text.' })
    .optional()
    .default('')
    .transform((s) => s.trim())
    .refine((s) => s.length <= CONCERN_MAX, `Keep the concern to ${CONCERN_MAX} characters.`)
    .superRefine((s, ctx) => {
      const why = chiProblem(s);
      if (why) ctx.addIssue({ code: z.ZodIssueCode.custom, message: why });
    }),
});

const present = (value: unknown) => value !== undefined && value !== null;

/** Table storage's ETags: W/"datetime'<encoded time>'". Anything else on a card was not put there by us. */
const ETAG = /^W\/"datetime'[0-9A-Za-z%.:-]{1,64}'"$/;

/** The stored answer an amend form was opened on: none for a blank form, `false` when the card's is not one. */
export function parseAnswerBasis(data: Record<string, unknown>): AnswerBasis | undefined | false {
  const { amendsVersion: v, amendsEtag: etag } = data;
  if ((v === undefined || v === '') && (etag === undefined || etag === '')) return undefined;
  const version = typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : NaN;
  if (!(version >= 1) || typeof etag !== 'string' || !ETAG.test(etag)) return false;
  return { version, etag };
}

/** Parses a card's data strictly for a home; unknown fields are ignored. Every problem is given by field. */
export function parseHuddle(data: Record<string, unknown>, home: Home): Result<HuddleAnswer, HuddleCode> {
  if (JSON.stringify(data).length > MAX_PAYLOAD_CHARS) return fail('HUDDLE.TOO_LARGE', 'This answer is too large to be a huddle card: nothing was saved.');
  const fields: Record<string, string> = {};
  // Each field on its own, so that the rules between fields are checked too and every problem is listed.
  const v: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape.shape)) {
    const raw = present(data[key]) ? data[key] : undefined;
    const parsed = (schema as z.ZodTypeAny).safeParse(raw);
    if (parsed.success) v[key] = parsed.data;
    else fields[key] = raw === undefined ? 'This answer is needed.' : parsed.error.issues[0].message;
  }
  const n = (k: CountField) => (typeof v[k] === 'number' ? (v[k] as number) : undefined);
  if ((n('residents') ?? 0) > home.registeredPlaces) fields.residents = `More than the home's ${home.registeredPlaces} registered places.`;
  if ((n('unexpectedDeaths') ?? 0) > (n('deaths') ?? Infinity)) fields.unexpectedDeaths = 'Cannot be more than the deaths.';
  if ((n('bedsClosed') ?? 0) > 0 && !v.bedsClosedReason && !fields.bedsClosedReason) fields.bedsClosedReason = 'Say why beds are closed.';
  if (v.outbreakStatus === 'confirmed' && v.careInspectorateNotified === undefined && !fields.careInspectorateNotified) fields.careInspectorateNotified = 'Say whether the Care Inspectorate has been notified.';
  if (home.nursing && v.nurseCoverGap === undefined && !fields.nurseCoverGap) fields.nurseCoverGap = 'This answer is needed.';
  if (Object.keys(fields).length) {
    const count = Object.keys(fields).length;
    return fail('HUDDLE.INVALID', `${count} answer${count === 1 ? ' needs' : 's need'} another look: nothing was saved.`, fields);
  }
  const a = v as z.infer<typeof shape>;
  const supportNeeded = SUPPORT.filter((s) => a.supportNeeded.split(',').includes(s)).join(',');
  return ok({
    ...(Object.fromEntries(COUNT_FIELDS.map((f) => [f, a[f]])) as Record<CountField, number>),
    bedsClosedReason: a.bedsClosed > 0 ? a.bedsClosedReason : '',
    staffingRag: a.staffingRag,
    nurseCoverGap: home.nursing ? a.nurseCoverGap === true : false,
    outbreakStatus: a.outbreakStatus,
    careInspectorateNotified: a.careInspectorateNotified === true,
    ppeSupply: a.ppeSupply,
    visiting: a.visiting,
    protectionConcern: a.protectionConcern === true,
    supportNeeded,
    concern: a.concern,
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** §3's rules: red when any red rule holds, else amber when any amber rule holds, else green. */
export function assess(a: HuddleAnswer): { rag: Rag; reasons: string[] } {
  const red: string[] = [];
  if (a.staffingRag === 'red') red.push("Staffing is red: not enough staff to meet residents' needs");
  if (a.nurseCoverGap) red.push('A shift without a registered nurse');
  if (a.outbreakStatus === 'confirmed' && !a.careInspectorateNotified) red.push('Confirmed outbreak not yet notified to the Care Inspectorate');
  if (a.ppeSupply === 'critical') red.push('PPE supply is critical');
  if (a.unexpectedDeaths >= 1) red.push(plural(a.unexpectedDeaths, 'unexpected death'));
  if (a.protectionConcern) red.push('An adult-protection concern arose');
  const cases = a.newCasesResidents + a.newCasesStaff;
  if (cases >= 2 && a.outbreakStatus === 'none') red.push(`${plural(cases, 'new infection')} with no outbreak declared`);
  if (red.length) return { rag: 'red', reasons: red };

  const amber: string[] = [];
  if (a.staffingRag === 'amber') amber.push('Staffing is stretched, close to affecting care');
  if (a.shiftsUnfilled > 0) amber.push(`${plural(a.shiftsUnfilled, 'shift')} unfilled in the next 24 hours`);
  if (a.bedsClosed > 0) amber.push(`${plural(a.bedsClosed, 'bed')} closed (${a.bedsClosedReason === 'ipc' ? 'infection control' : a.bedsClosedReason})`);
  if (a.fallsWithHarm >= 1) amber.push(plural(a.fallsWithHarm, 'fall', 'falls') + ' with harm');
  if (a.newPressureUlcers >= 1) amber.push(plural(a.newPressureUlcers, 'new pressure ulcer'));
  if (a.visiting === 'closed') amber.push('Visiting is closed');
  if (a.outbreakStatus === 'suspected' || a.outbreakStatus === 'confirmed') amber.push(`Outbreak ${a.outbreakStatus}`);
  if (a.ppeSupply === 'low') amber.push('PPE supply is low');
  if (a.supportNeeded) amber.push(`Support asked for: ${a.supportNeeded.split(',').join(', ')}`);
  if (a.concern) amber.push('A concern was written on the huddle');
  if (amber.length) return { rag: 'amber', reasons: amber };
  return { rag: 'green', reasons: [] };
}

/** The rule for any free-text concern (huddle or raise concern): why it is refused, or undefined. */
export function concernProblem(text: string): string | undefined {
  if (text.length > CONCERN_MAX) return `Keep the concern to ${CONCERN_MAX} characters.`;
  return chiProblem(text);
}
