/**
 * `plan HOME` posts a home's improvement plan card in a channel, group chat or meeting chat; the card's
 * verbs action.create / action.update / action.complete change it (support of the area and the home's
 * managers only, checked on every verb).
 */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { AppContext } from '../../context';
import type { DirectoryView, Home, Person } from '../../domain/directory';
import { notInDirectory } from '../../domain/help';
import { actionNo, completeAction, createAction, mayEditPlan, mayViewPlan, updateAction, type Action } from '../../domain/plan';
import type { Failure } from '../../domain/result';
import { planErrorCard } from '../../cards/plan-error.card';
import { parseCreate, parsePlanEdit, parseRef, parseUpdate } from '../../plans/action-input';
import { notifyAssigned } from '../../plans/notify-assigned';
import { areaToday, defaultPlan, findHome, renderPlan, responsibleChoices } from '../../plans/plan-view';
import { isConflict } from '../../storage/client';
import { conversationKind, whoIs } from '../turn';

type Card = Record<string, unknown>;
/** The bound templates are AdaptiveCard JSON (type "AdaptiveCard"); teams-ai's type asks for the literal. */
const asCard = (card: Card) => card as unknown as AdaptiveCard;
const auditId = (a: Pick<Action, 'homeId' | 'theme' | 'seq'>) => `${a.homeId}/${actionNo(a)}`;

export function planRoute(app: Application, ctx: AppContext): void {
  app.message(/^\s*plan\b/i, async (context) => {
    const text = (context.activity.text ?? '').trim().replace(/^plan\b/i, '').trim();
    const dir = await ctx.directory.view();
    const person = await whoIs(context, ctx);
    if (!person) return void (await context.sendActivity(notInDirectory(dir, ctx.config.HELP_CONTACT)));
    if (conversationKind(context.activity) === 'user') {
      return void (await context.sendActivity('**plan** works where the improvement-planning group meets: post **plan** and the home in your team channel, a group chat or the meeting chat.'));
    }
    if (!text) return void (await context.sendActivity('Say which home: for example **plan Birchwood House** or **plan pkc-birchwood**.'));
    const home = findHome(dir, text);
    if (!home) return void (await context.sendActivity(`There is no home "${text.slice(0, 60)}". Use the home's id or its full name.`));
    if (!mayViewPlan(person, home)) {
      ctx.log.info({ home: home.id, code: 'PLAN.NOT_ALLOWED' }, 'plan refused');
      return void (await context.sendActivity(`Only the support team of the area, its approvers and chief officers, and the managers of ${home.name} can see its plan.`));
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await renderPlan(ctx, dir, home))] });
    await ctx.planChats.shown(context.activity.conversation.id, home.id, person.email, ctx.clock());
  });

  /** Who and which home, for every verb; a refusal is a card and nothing changes. */
  const editor = async (context: TurnContext, homeId: unknown): Promise<{ ok: true; dir: DirectoryView; person: Person; home: Home } | { ok: false; card: Card }> => {
    const dir = await ctx.directory.view();
    const person = await whoIs(context, ctx);
    if (!person) return { ok: false, card: planErrorCard('PLAN.NOT_ALLOWED', notInDirectory(dir, ctx.config.HELP_CONTACT)) };
    const home = typeof homeId === 'string' ? dir.homes.get(homeId) : undefined;
    if (!home) return { ok: false, card: planErrorCard('PLAN.BAD_INPUT', 'This card names no home that is in the directory.') };
    if (!mayEditPlan(person, home)) {
      ctx.log.info({ home: home.id, code: 'PLAN.NOT_ALLOWED' }, 'plan change refused');
      const message = `Only the support team of the area and the managers of ${home.name} can change its plan. Nothing was changed.`;
      // Someone who may not even see the plan (a forged or forwarded card) is not shown it in the refusal.
      if (!mayViewPlan(person, home)) return { ok: false, card: planErrorCard('PLAN.NOT_ALLOWED', message) };
      return { ok: false, card: await renderPlan(ctx, dir, home, { kind: 'error', text: message }) };
    }
    return { ok: true, dir, person, home };
  };

  const refused = (dir: DirectoryView, home: Home, f: Failure) => {
    ctx.log.info({ home: home.id, code: f.code }, 'plan change refused');
    return renderPlan(ctx, dir, home, { kind: 'error', text: `${f.message} Nothing was changed.` });
  };

  /** Storage faults answer "not saved" rather than a failed invoke. */
  const guarded = (verb: string, handler: (context: TurnContext, data: Record<string, unknown>) => Promise<Card>) =>
    app.adaptiveCards.actionExecute(verb, async (context, _state, data: Record<string, unknown>) => {
      try {
        return asCard(await handler(context, data ?? {}));
      } catch (e) {
        ctx.log.error({ verb, err: (e as Error).message }, 'plan verb failed');
        return asCard(planErrorCard('PLAN.NOT_SAVED', 'Not saved: the plan could not be stored just now. Please try again.', 'Not saved'));
      }
    });

  guarded('action.create', async (context, data) => {
    const who = await editor(context, data.homeId);
    if (!who.ok) return who.card;
    const { dir, person, home } = who;
    const today = areaToday(ctx, dir, home);
    const input = parseCreate(data, today);
    if (!input.ok) return refused(dir, home, input);
    let responsible: Action['responsible'];
    if (input.value.responsibleEmail) {
      const chosen = responsibleChoices(dir, home).find((p) => p.email === input.value.responsibleEmail);
      if (!chosen) return refused(dir, home, { ok: false, code: 'PLAN.UNKNOWN_PERSON', message: 'The responsible person chosen is not a manager of this home or in the area support team.' });
      responsible = { email: chosen.email, name: chosen.name };
    } else responsible = { name: input.value.responsibleName! };
    const at = ctx.clock();
    const { plan, created } = await ctx.plans.ensure(defaultPlan(dir, home, today), person.email, at);
    if (created) await ctx.audit.append({ entity: 'plan', entityId: home.id, action: 'create', by: person.email, at, data: plan });
    const seq = await ctx.plans.takeNumber(home.id, input.value.theme, at);
    const action = createAction({ homeId: home.id, lastNo: { [input.value.theme]: seq - 1 } }, { ...input.value, responsible }, person.email, at);
    const stored = await ctx.actions.insert(action, at);
    await ctx.audit.append({ entity: 'action', entityId: auditId(action), action: 'create', by: person.email, at, to: action.due, data: action });
    ctx.log.info({ home: home.id, action: actionNo(action) }, 'action created');
    await notifyAssigned(ctx, dir, home, stored);
    return renderPlan(ctx, dir, home, { kind: 'ok', text: `Added action ${actionNo(action)}.` });
  });

  guarded('plan.edit', async (context, data) => {
    const who = await editor(context, data.homeId);
    if (!who.ok) return who.card;
    const { dir, person, home } = who;
    const today = areaToday(ctx, dir, home);
    const current = await ctx.plans.get(home.id);
    const input = parsePlanEdit(data, today, current?.header.reviewDate ?? '');
    if (!input.ok) return refused(dir, home, input);
    const at = ctx.clock();
    const { plan, created } = await ctx.plans.ensure(defaultPlan(dir, home, today), person.email, at);
    if (created) await ctx.audit.append({ entity: 'plan', entityId: home.id, action: 'create', by: person.email, at, data: plan });
    await ctx.plans.saveDetails(home.id, input.value.header, input.value.contexts, at);
    await ctx.audit.append({ entity: 'plan', entityId: home.id, action: 'edit', by: person.email, at, data: input.value });
    ctx.log.info({ home: home.id }, 'plan details changed');
    return renderPlan(ctx, dir, home, { kind: 'ok', text: 'Plan details saved.' });
  });

  const change = (verb: 'update' | 'complete') =>
    guarded(`action.${verb}`, async (context, data) => {
      const who = await editor(context, data.homeId);
      if (!who.ok) return who.card;
      const { dir, person, home } = who;
      const parsed = parseRef(data);
      if (!parsed.ok) return refused(dir, home, parsed);
      const { ref, inputs } = parsed.value;
      const stored = await ctx.actions.get(home.id, ref.theme, ref.seq);
      if (!stored) return refused(dir, home, { ok: false, code: 'PLAN.NO_SUCH_ACTION', message: `${home.name} has no action ${ref.actionNo}.` });
      const at = ctx.clock();
      let next;
      if (verb === 'update') {
        const u = parseUpdate(inputs, stored.action.due, areaToday(ctx, dir, home));
        if (!u.ok) return refused(dir, home, u);
        next = updateAction(stored.action, u.value, person.email, at);
      } else next = completeAction(stored.action, inputs.comment, person.email, at);
      if (!next.ok) return refused(dir, home, next);
      try {
        await ctx.actions.replace(next.value, stored, at);
      } catch (e) {
        if (!isConflict(e)) throw e;
        return refused(dir, home, { ok: false, code: 'PLAN.STALE', message: `Someone else changed action ${ref.actionNo} at the same moment: look at the card again and retry.` });
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
      return renderPlan(ctx, dir, home, { kind: 'ok', text: verb === 'complete' ? `Action ${ref.actionNo} is completed (Green).` : `Action ${ref.actionNo} updated.` });
    });
  change('update');
  change('complete');
}
