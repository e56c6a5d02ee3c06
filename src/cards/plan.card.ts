/** The plan card (cards/plan.json): open actions by theme, overdue first, RAG in words and colour. */
import type { Home, Person } from '../domain/directory';
import { addDays, dayLabel } from '../domain/calendar';
import { CONTEXT_PROMPT, THEMES, actionNo, isOverdue, orderOpen, ragOf, type Action, type Plan } from '../domain/plan';
import { RAG_WORD, type Rag } from '../domain/rag';
import { bindCard } from './template';

export interface PlanCardInput {
  home: Home;
  plan?: Plan;
  actions: Action[];
  /** today in the area's time zone */
  today: string;
  /** people who can be made responsible (value = e-mail) */
  people: Person[];
  notice?: { text: string; kind: 'error' | 'ok' };
  /** a refused form: what was typed (kept in its inputs) and each problem, shown beside its field */
  draft?: PlanDraft;
}

export interface PlanDraft {
  form: 'create' | 'edit' | 'update' | 'complete';
  /** the action's "theme_seq" for update and complete */
  key?: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** How many days back the card lists completed actions. */
export const RECENT_DAYS = 14;

const CREATE_FIELDS = ['theme', 'description', 'outcome', 'responsibleEmail', 'responsibleName', 'due'] as const;
const ACTION_FIELDS = ['comment', 'onTarget', 'due', 'reason'] as const;
const pick = (fields: readonly string[], from: Record<string, string> | undefined, defaults: Record<string, string> = {}) =>
  Object.fromEntries(fields.map((f) => [f, from?.[f] ?? defaults[f] ?? '']));
/** Every field's problem ('' when none), so the template can say `$when: ${errors.due != ''}`. */
const problems = (fields: readonly string[], errors: Record<string, string> | undefined) => Object.fromEntries(fields.map((f) => [f, errors?.[f] ?? '']));

/** RAG said in words with an icon; only Red is coloured (Attention reads at 4.5:1 on Teams' light theme, Good and Warning do not). */
const RAG_COLOUR: Record<Rag, string> = { red: 'Attention', amber: 'Default', green: 'Default' };
const RAG_ICON: Record<Rag, string> = { red: '●', amber: '▲', green: '✓' };
const dash = (s: string | undefined) => (s && s.trim() ? s : '—');

function ragText(a: Action, today: string): string {
  const rag = ragOf(a, today);
  const word = `${RAG_ICON[rag]} ${RAG_WORD[rag]}`;
  if (isOverdue(a, today)) return `${word}: overdue`;
  if (rag === 'red') return `${word}: not on target`;
  return rag === 'amber' ? `${word}: on target` : word;
}

function lastComment(a: Action): string {
  const e = [...a.log].reverse().find((l) => l.comment || l.kind === 'due-moved');
  if (!e) return '';
  return e.kind === 'due-moved' ? `due moved ${dayLabel(e.from ?? '')} → ${dayLabel(e.to ?? '')}: ${e.reason ?? ''}` : (e.comment ?? '');
}

/** Actions completed in the last RECENT_DAYS days, newest first, with what was achieved. */
function recentlyCompleted(input: PlanCardInput) {
  const since = addDays(input.today, -RECENT_DAYS);
  const names = new Map(input.people.map((p) => [p.email, p.name]));
  return input.actions
    .filter((a) => a.status === 'completed')
    .map((a) => ({ a, done: [...a.log].reverse().find((e) => e.kind === 'completed') }))
    .filter((x) => x.done && x.done.at.slice(0, 10) >= since)
    .sort((x, y) => (x.done!.at < y.done!.at ? 1 : -1))
    .map(({ a, done }) => {
      const by = names.get(done!.by);
      return {
        no: actionNo(a),
        text: `✓ **${actionNo(a)}** ${a.description}`,
        detail: `Completed (Green) on ${dayLabel(done!.at.slice(0, 10))}${by ? ` by ${by}` : ''}${done!.comment ? `: ${done!.comment}` : ''}`,
      };
    });
}

/** Teams refuses a message over about 28 KB; the card keeps room for the activity around it. */
export const CARD_BUDGET_BYTES = 24_000;

export function planCardData(input: PlanCardInput, shown = Infinity) {
  const { home, plan, actions, today } = input;
  const allOpen = orderOpen(actions, today);
  const open = allOpen.slice(0, shown);
  const hidden = allOpen.slice(open.length).map(actionNo);
  const overdue = allOpen.filter((a) => isOverdue(a, today)).length;
  const completed = actions.filter((a) => a.status === 'completed').length;
  const red = allOpen.filter((a) => ragOf(a, today) === 'red').length;
  const draft = input.draft;
  const recent = recentlyCompleted(input);
  const summary =
    `${allOpen.length} open action${allOpen.length === 1 ? '' : 's'}` +
    (allOpen.length ? ` (${red} Red, ${allOpen.length - red} Amber)` : '') +
    (overdue ? `, ${overdue} overdue` : '') +
    `; ${completed} completed (Green). Today is ${dayLabel(today)}.` +
    (hidden.length ? ` The card has no room for ${hidden.length} more open action${hidden.length === 1 ? '' : 's'} (${hidden.join(', ')}): they are kept and will show as others are completed.` : '');
  return {
    homeId: home.id,
    homeName: home.name,
    today,
    hasNotice: !!input.notice,
    notice: input.notice?.text ?? '',
    // The words carry the meaning; the container style backs them up, and the text keeps the default colour.
    noticeColor: 'Default',
    noticeStyle: input.notice?.kind === 'error' ? 'attention' : 'good',
    header: {
      partnershipLead: dash(plan?.header.partnershipLead),
      registeredManager: dash(plan?.header.registeredManager),
      serviceType: dash(plan?.header.serviceType),
      commencementDate: dash(plan?.header.commencementDate && dayLabel(plan.header.commencementDate)),
      reviewDate: dash(plan?.header.reviewDate && dayLabel(plan.header.reviewDate)),
    },
    edit: pick(['partnershipLead', 'registeredManager', 'serviceType', 'commencementDate', 'reviewDate'], draft?.form === 'edit' ? draft.values : undefined, {
      partnershipLead: plan?.header.partnershipLead ?? '',
      registeredManager: plan?.header.registeredManager ?? '',
      serviceType: plan?.header.serviceType ?? '',
      commencementDate: plan?.header.commencementDate ?? '',
      reviewDate: plan?.header.reviewDate ?? '',
    }),
    editErrors: problems(['partnershipLead', 'registeredManager', 'serviceType', 'commencementDate', 'reviewDate'], draft?.form === 'edit' ? draft.errors : undefined),
    contextInputs: THEMES.map((t) => ({
      id: `context_${t.n}`,
      label: `Theme ${t.n}: ${t.name}, context`,
      placeholder: CONTEXT_PROMPT,
      value: (draft?.form === 'edit' ? draft.values[`context_${t.n}`] : undefined) ?? plan?.contexts[t.n] ?? '',
      error: (draft?.form === 'edit' ? draft.errors[`context_${t.n}`] : undefined) ?? '',
    })),
    create: pick(CREATE_FIELDS, draft?.form === 'create' ? draft.values : undefined),
    createErrors: problems(CREATE_FIELDS, draft?.form === 'create' ? draft.errors : undefined),
    recentDays: RECENT_DAYS,
    hasRecent: recent.length > 0,
    recent,
    summary,
    themes: THEMES.map((t) => {
      const list = open.filter((a) => a.theme === t.n);
      const context = plan?.contexts[t.n] ?? '';
      return {
        title: `Theme ${t.n}: ${t.name}`,
        context,
        hasContext: !!context,
        hasActions: list.length > 0,
        actions: list.map((a) => {
          const comment = lastComment(a);
          const key = `${a.theme}_${a.seq}`;
          const mine = draft && draft.key === key ? draft : undefined;
          return {
            no: actionNo(a),
            key,
            update: pick(ACTION_FIELDS, mine?.form === 'update' ? mine.values : undefined, { onTarget: String(a.onTarget), due: a.due }),
            updateErrors: problems(ACTION_FIELDS, mine?.form === 'update' ? mine.errors : undefined),
            complete: pick(['achieved'], mine?.form === 'complete' ? mine.values : undefined),
            completeErrors: problems(['achieved'], mine?.form === 'complete' ? mine.errors : undefined),
            description: a.description,
            outcome: a.outcome,
            responsible: a.responsible.name,
            due: a.due,
            dueLabel: dayLabel(a.due),
            onTarget: String(a.onTarget),
            ragText: ragText(a, today),
            ragColor: RAG_COLOUR[ragOf(a, today)],
            hasComment: !!comment,
            lastComment: comment,
          };
        }),
      };
    }),
    themeChoices: THEMES.map((t) => ({ title: `${t.n}. ${t.name}`, value: String(t.n) })),
    people: input.people.map((p) => ({ title: p.name, value: p.email })),
  };
}

/** The bound card; when it would be too large for Teams, the last open actions (never overdue ones first) are left out and named. */
export function planCard(input: PlanCardInput): Record<string, unknown> {
  const bind = (shown: number) => bindCard('plan', planCardData(input, shown));
  const fits = (card: object) => Buffer.byteLength(JSON.stringify(card)) <= CARD_BUDGET_BYTES;
  const full = bind(Infinity);
  if (fits(full)) return full;
  // The largest number of open actions that fits, by halving.
  let lo = 0;
  let hi = input.actions.filter((a) => a.status === 'open').length;
  let best = bind(0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const card = bind(mid);
    if (fits(card)) {
      lo = mid;
      best = card;
    } else hi = mid - 1;
  }
  return best;
}
