/** Meetings in a chat that has shown a plan: the plan card at the start, what changed at the end (src/app/plan.ts). */
import { CardFactory } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { meetingEnded, meetingStarted } from '../app/plan';
import { planCard } from '../cards/plan.card';
import type { AppContext } from '../context';

const meetingIdOf = (m: unknown): string => {
  const r = (m ?? {}) as { id?: unknown; Id?: unknown };
  return String(r.id ?? r.Id ?? '').slice(0, 200);
};

export function meetingEvents(app: Application, ctx: AppContext): void {
  app.meetings.start(async (context, _state, meeting) => {
    const plan = await meetingStarted(ctx, context.activity.conversation.id, meetingIdOf(meeting));
    if (plan) await context.sendActivity({ attachments: [CardFactory.adaptiveCard(planCard(plan))] });
  });

  app.meetings.end(async (context) => {
    const text = await meetingEnded(ctx, context.activity.conversation.id);
    if (text) await context.sendActivity(text);
  });
}
