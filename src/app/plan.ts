/**
 * Improvement plans (§5): `plan HOME` shows a home's plan; the card's verbs change it (the area's support
 * team and the home's managers only, checked on every verb); a meeting in a chat that showed a plan gets
 * the plan at its start and what changed at its end.
 */
import type { PlanCardInput, PlanDraft } from '../cards/plan.card';
import type { AppContext } from '../context';
import { hasAreaRole, isManagerOf, type DirectoryView, type Home, type Person } from '../domain/directory';
import { localDate } from '../domain/calendar';
import { notInDirectory } from '../domain/help';
import { actionNo, changesBetween, completeAction, createAction, mayEditPlan, mayViewPlan, updateAction, type Action, type LogEntry, type Plan } from '../domain/plan';
import type { Failure } from '../domain/result';
import { isConflict } from '../storage/client';
import { parseCreate, parsePlanEdit, parseRef, parseUpdate } from './plan-input';
import { done, refuse, type Asker, type CardData, type Outcome } from './outcome';

type PlanOutcome = Outcome<PlanCardInput>;

const auditId = (a: Pick<Action, 'homeId' | 'theme' | 'seq'>) => `${a.homeId}/${actionNo(a)}`;

/** The people an action can be given to from the card: the home's managers and the area's support team. */
export function responsibleChoices(dir: DirectoryView, home: Home): Person[] {
  return dir.directory.people.filter((p) => isManagerOf(p, home.id) || hasAreaRole(p, 'support', home.area));
}

const areaToday = (ctx: AppContext, dir: DirectoryView, home: Home) => localDate(ctx.clock(), dir.areas.get(home.area)?.timezone ?? 'Europe/London');

/** A home by id or by name, either case. */
export function findHome(dir: DirectoryView, text: string): Home | undefined {
  const wanted = text.trim().toLowerCase();
  return dir.homes.get(wanted) ?? dir.directory.homes.find((h) => h.name.toLowerCase() === wanted);
}

export function defaultPlan(dir: DirectoryView, home: Home, today: string): Plan {
  return {
    homeId: home.id,
    areaId: home.area,
    header: {
      partnershipLead: '',
      registeredManager: dir.managersOf(home.id).map((p) => p.name).join(', '),
      serviceName: home.name,
      serviceType: home.nursing ? 'Care home with nursing' : 'Care home (residential)',
      commencementDate: today,
      reviewDate: '',
    },
    contexts: {},
    lastNo: {},
  };
}

/** What the plan card shows of a home now. */
export async function planView(ctx: AppContext, dir: DirectoryView, home: Home): Promise<PlanCardInput> {
  const today = areaToday(ctx, dir, home);
  const [plan, stored] = await Promise.all([ctx.plans.get(home.id), ctx.actions.list(home.id)]);
  return { home, plan: plan ?? defaultPlan(dir, home, today), actions: stored.map((s) => s.action), today, people: responsibleChoices(dir, home) };
}

/** `plan HOME` in a channel, group chat or meeting chat (kind 'user' is a 1:1 chat). */
export async function showPlan(ctx: AppContext, { person, dir }: Asker, text: string, where: { kind: 'user' | 'channel' | 'chat'; conversationId: string }): Promise<PlanOutcome> {
  if (!person) return refuse('PLAN.NOT_IN_DIRECTORY', notInDirectory(dir, ctx.config.HELP_CONTACT));
  if (where.kind === 'user') return refuse('PLAN.NOT_HERE', '**plan** works where the improvement-planning group meets: post **plan** and the home in your team channel, a group chat or the meeting chat.');
  if (!text) return refuse('PLAN.NO_HOME', 'Say which home: for example **plan Birchwood House** or **plan pkc-birchwood**.');
  const home = findHome(dir, text);
  if (!home) return refuse('PLAN.NO_SUCH_HOME', `There is no home "${text.slice(0, 60)}". Use the home's id or its full name.`);
  if (!mayViewPlan(person, home)) {
    ctx.log.info({ home: home.id, code: 'PLAN.NOT_ALLOWED' }, 'plan refused');
    return refuse('PLAN.NOT_ALLOWED', `Only the support team of the area, its approvers and chief officers, and the managers of ${home.name} can see its plan.`);
  }
  const view = await planView(ctx, dir, home);
  await ctx.planChats.shown(where.conversationId, home.id, person.email, ctx.clock());
  return done(view);
}

type Editor = { ok: true; dir: DirectoryView; person: Person; home: Home } | { ok: false; refusal: PlanOutcome };

/** Who and which home, for every verb; a refusal changes nothing. */
async function editor(ctx: AppContext, { person, dir }: Asker, homeId: unknown): Promise<Editor> {
  if (!person) return { ok: false, refusal: refuse('PLAN.NOT_ALLOWED', notInDirectory(dir, ctx.config.HELP_CONTACT)) };
  const home = typeof homeId === 'string' ? dir.homes.get(homeId) : undefined;
  if (!home) return { ok: false, refusal: refuse('PLAN.BAD_INPUT', 'This card names no home that is in the directory.') };
  if (!mayEditPlan(person, home)) {
    ctx.log.info({ home: home.id, code: 'PLAN.NOT_ALLOWED' }, 'plan change refused');
    const message = `Only the support team of the area and the managers of ${home.name} can change its plan. Nothing was changed.`;
    // Someone who may not even see the plan (a forged or forwarded card) is not shown it in the refusal.
    if (!mayViewPlan(person, home)) return { ok: false, refusal: refuse('PLAN.NOT_ALLOWED', message) };
    return { ok: false, refusal: refuse('PLAN.NOT_ALLOWED', message, await planView(ctx, dir, home)) };
  }
  return { ok: true, dir, person, home };
}

/** The form's own inputs as typed (text only), to give back on a refusal. */
const typed = (data: Record<string, unknown>, drop: string[] = ['homeId', 'actionNo']): Record<string, string> =>
  Object.fromEntries(Object.entries(data).filter(([k, v]) => typeof v === 'string' && !drop.includes(k)).map(([k, v]) => [k, (v as string).slice(0, 1000)]));

/** A failure's fields named as the form's inputs ("responsible" is the pair of inputs, shown under the name). */
const FIELD_ALIASES: Record<string, string> = { responsible: 'responsibleName' };

/** A refusal on the plan card; with a form, what was typed stays in its inputs and the problem sits beside its field. */
async function refused(ctx: AppContext, dir: DirectoryView, home: Home, f: Failure, form?: Omit<PlanDraft, 'errors'>): Promise<PlanOutcome> {
  ctx.log.info({ home: home.id, code: f.code }, 'plan change refused');
  const view = await planView(ctx, dir, home);
  if (!form) return refuse(f.code, `${f.message} Nothing was changed.`, view);
  const errors = Object.fromEntries(Object.keys(f.fields ?? {}).map((k) => [FIELD_ALIASES[k] ?? k, f.message]));
  const where = { create: 'Add action', edit: 'Plan details', update: `Update ${form.key?.replace('_', '.')}`, complete: `Complete ${form.key?.replace('_', '.')}` }[form.form];
  const message = Object.keys(errors).length
    ? `What you typed is kept: open ${where} to see the problem beside its field. Nothing was changed.`
    : `${f.message} What you typed is kept in ${where}. Nothing was changed.`;
  return refuse(f.code, message, { ...view, draft: { ...form, errors } });
}

/** The plan row, made on the first change (and audited). */
async function ensurePlan(ctx: AppContext, dir: DirectoryView, person: Person, home: Home, at: Date): Promise<void> {
  const { plan, created } = await ctx.plans.ensure(defaultPlan(dir, home, areaToday(ctx, dir, home)), person.email, at);
  if (created) await ctx.audit.append({ entity: 'plan', entityId: home.id, action: 'create', by: person.email, at, data: plan });
}

/** action.create: a numbered action under a theme, its responsible person told. */
export async function createPlanAction(ctx: AppContext, asker: Asker, data: CardData): Promise<PlanOutcome> {
  const who = await editor(ctx, asker, data.homeId);
  if (!who.ok) return who.refusal;
  const { dir, person, home } = who;
  const input = parseCreate(data, areaToday(ctx, dir, home));
  const draft = { form: 'create' as const, values: typed(data) };
  if (!input.ok) return refused(ctx, dir, home, input, draft);
  let responsible: Action['responsible'];
  if (input.value.responsibleEmail) {
    const chosen = responsibleChoices(dir, home).find((p) => p.email === input.value.responsibleEmail);
    if (!chosen) return refused(ctx, dir, home, { ok: false, code: 'PLAN.UNKNOWN_PERSON', message: 'The responsible person chosen is not a manager of this home or in the area support team.', fields: { responsibleEmail: 'unknown' } }, draft);
    responsible = { email: chosen.email, name: chosen.name };
  } else responsible = { name: input.value.responsibleName! };
  const at = ctx.clock();
  await ensurePlan(ctx, dir, person, home, at);
  const seq = await ctx.plans.takeNumber(home.id, input.value.theme, at);
  const action = createAction({ homeId: home.id, lastNo: { [input.value.theme]: seq - 1 } }, { ...input.value, responsible }, person.email, at);
  await ctx.actions.insert(action, at);
  await ctx.audit.append({ entity: 'action', entityId: auditId(action), action: 'create', by: person.email, at, to: action.due, data: action });
  ctx.log.info({ home: home.id, action: actionNo(action) }, 'action created');
  ctx.wakeDelivery?.();
  return done(await planView(ctx, dir, home), `Added action ${actionNo(action)}.`);
}

/** plan.edit: the plan's header and context lines. */
export async function editPlan(ctx: AppContext, asker: Asker, data: CardData): Promise<PlanOutcome> {
  const who = await editor(ctx, asker, data.homeId);
  if (!who.ok) return who.refusal;
  const { dir, person, home } = who;
  const current = await ctx.plans.get(home.id);
  const input = parsePlanEdit(data, areaToday(ctx, dir, home), current?.header.reviewDate ?? '');
  if (!input.ok) return refused(ctx, dir, home, input, { form: 'edit', values: typed(data) });
  const at = ctx.clock();
  await ensurePlan(ctx, dir, person, home, at);
  await ctx.plans.saveDetails(home.id, input.value.header, input.value.contexts, at);
  await ctx.audit.append({ entity: 'plan', entityId: home.id, action: 'edit', by: person.email, at, data: input.value });
  ctx.log.info({ home: home.id }, 'plan details changed');
  return done(await planView(ctx, dir, home), 'Plan details saved.');
}

/** action.update and action.complete: an ETag-guarded change of one action, its log appended. */
export const changePlanAction =
  (verb: 'update' | 'complete') =>
  async (ctx: AppContext, asker: Asker, data: CardData): Promise<PlanOutcome> => {
    const who = await editor(ctx, asker, data.homeId);
    if (!who.ok) return who.refusal;
    const { dir, person, home } = who;
    const parsed = parseRef(data);
    if (!parsed.ok) return refused(ctx, dir, home, parsed);
    const { ref, inputs } = parsed.value;
    const stored = await ctx.actions.get(home.id, ref.theme, ref.seq);
    if (!stored) return refused(ctx, dir, home, { ok: false, code: 'PLAN.NO_SUCH_ACTION', message: `${home.name} has no action ${ref.actionNo}.` });
    const at = ctx.clock();
    const draft = { form: verb, key: `${ref.theme}_${ref.seq}`, values: inputs };
    let next;
    if (verb === 'update') {
      const u = parseUpdate(inputs, stored.action.due, areaToday(ctx, dir, home));
      if (!u.ok) return refused(ctx, dir, home, u, draft);
      next = updateAction(stored.action, u.value, person.email, at);
    } else next = completeAction(stored.action, inputs.achieved, person.email, at);
    if (!next.ok) return refused(ctx, dir, home, next, draft);
    try {
      await ctx.actions.replace(next.value, stored, at).catch(async (e: unknown) => {
        // A reminder being recorded on the row (the delivery worker's "sent" stamp) is not someone else's change: try once more on it.
        const fresh = isConflict(e) ? await ctx.actions.get(home.id, ref.theme, ref.seq) : undefined;
        if (!fresh || JSON.stringify(fresh.action) !== JSON.stringify(stored.action)) throw e;
        await ctx.actions.replace(next.value, fresh, at);
      });
    } catch (e) {
      if (!isConflict(e)) throw e;
      return refused(ctx, dir, home, { ok: false, code: 'PLAN.STALE', message: `Someone else changed action ${ref.actionNo} at the same moment: look at the card again and retry.` });
    }
    await ctx.audit.append({
      entity: 'action',
      entityId: auditId(next.value),
      action: verb,
      by: person.email,
      at,
      from: `${stored.action.status}/${stored.action.due}`,
      to: `${next.value.status}/${next.value.due}`,
      data: next.value,
    });
    ctx.log.info({ home: home.id, action: ref.actionNo, verb }, 'action changed');
    return done(await planView(ctx, dir, home), verb === 'complete' ? `Action ${ref.actionNo} is completed (Green).` : `Action ${ref.actionNo} updated.`);
  };

/** A meeting started in a chat that has shown a plan: the plan to post, or nothing. */
export async function meetingStarted(ctx: AppContext, conversationId: string, meetingId: string): Promise<PlanCardInput | undefined> {
  const chat = await ctx.planChats.get(conversationId);
  if (!chat) return undefined;
  const dir = await ctx.directory.view();
  const home = dir.homes.get(chat.homeId);
  if (!home) return undefined;
  await ctx.planChats.meetingStarted(chat.conversationId, meetingId, ctx.clock());
  ctx.log.info({ home: home.id }, 'meeting started: posting plan');
  return planView(ctx, dir, home);
}

const describe = (e: LogEntry): string => {
  if (e.kind === 'created') return `added (due ${e.to})`;
  if (e.kind === 'completed') return 'completed (Green)';
  if (e.kind === 'due-moved') return `due date moved from ${e.from} to ${e.to} (reason: ${e.reason})`;
  const parts = [e.comment ? `progress: ${e.comment}` : '', e.onTarget === false ? 'marked not on target' : e.onTarget ? 'on target' : ''].filter(Boolean);
  return parts.join('; ') || 'updated';
};

/** A meeting ended: what was added or changed on the plan while it ran, as a message, or nothing. */
export async function meetingEnded(ctx: AppContext, conversationId: string): Promise<string | undefined> {
  const chat = await ctx.planChats.get(conversationId);
  if (!chat?.meetingStartedAt) return undefined;
  const dir = await ctx.directory.view();
  const home = dir.homes.get(chat.homeId);
  if (!home) return undefined;
  const actions = (await ctx.actions.list(home.id)).map((s) => s.action);
  const changes = changesBetween(actions, new Date(chat.meetingStartedAt), ctx.clock());
  const byAction = new Map<string, string[]>();
  for (const { action, entry } of changes) {
    const key = `**${actionNo(action)}** ${action.description.slice(0, 120)}`;
    byAction.set(key, [...(byAction.get(key) ?? []), describe(entry)]);
  }
  const lines = [...byAction].map(([k, v]) => `- ${k}: ${v.join('; ')}`);
  const text = lines.length
    ? `**Actions from this meeting** for the improvement plan of ${home.name} (${lines.length} action${lines.length === 1 ? '' : 's'}):\n\n${lines.join('\n')}`
    : `No actions of the improvement plan for ${home.name} were added or changed during this meeting.`;
  await ctx.planChats.meetingEnded(chat.conversationId);
  ctx.log.info({ home: home.id, changes: changes.length }, 'meeting ended: summary posted');
  return text;
}
