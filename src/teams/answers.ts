/** Turns a use case's outcome into the card it answers with: the view (with the message on it), or the refusal. */
import type { ConcernView } from '../app/concern';
import type { Outcome } from '../app/outcome';
import { concernFormCard } from '../cards/concern.card';
import { dailySummaryViewerCard, type DailySummaryCardView } from '../cards/daily-summary.card';
import { escalationViewerCard, type EscalationCardView } from '../cards/escalation.card';
import { huddleCard, type HuddleCardView } from '../cards/huddle.card';
import { messageCard } from '../cards/message.card';
import { planCard, type PlanCardInput } from '../cards/plan.card';
import { refusalCard } from '../cards/refusal.card';

export type Card = Record<string, unknown>;

/** A card answer for one kind of view: success shows the view, a refusal its view with the message, or a refusal card. */
const answer =
  <V>(show: (view: V, message: string | undefined, ok: boolean) => Card) =>
  (o: Outcome<V>): Card => {
    if (o.ok) return show(o.value, o.message, true);
    return o.view !== undefined ? show(o.view, o.message, false) : refusalCard(o.code, o.message);
  };

export const huddleAnswer = answer<HuddleCardView>((view, message) => huddleCard(view, message));

export const escalationAnswer = answer<EscalationCardView>((view, message, ok) => escalationViewerCard(view, message, message ? (ok ? 'good' : 'attention') : undefined));

export const dailySummaryAnswer = answer<DailySummaryCardView>((view) => dailySummaryViewerCard(view));

export const concernAnswer = answer<ConcernView>((view, message) =>
  view.kind === 'form' ? concernFormCard(view.form) : messageCard('Being sent to the support team', message ?? '', 'default'),
);

export const planAnswer = answer<PlanCardInput>((view, message, ok) => planCard(message ? { ...view, notice: { text: message, kind: ok ? 'ok' : 'error' } } : view));
