/**
 * Meetings in a chat that has shown a plan: at the start the bot posts the plan card; at the end,
 * what was added or changed on the plan while the meeting ran (from the actions' progress logs).
 */
import { CardFactory } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { AppContext } from '../../context';
import { actionNo, changesBetween, type LogEntry } from '../../domain/plan';
import { renderPlan } from '../../plans/plan-view';

const meetingIdOf = (m: unknown): string => {
  const r = (m ?? {}) as { id?: unknown; Id?: unknown };
  return String(r.id ?? r.Id ?? '').slice(0, 200);
};

const describe = (e: LogEntry): string => {
  if (e.kind === 'created') return `added (due ${e.to})`;
  if (e.kind === 'completed') return 'completed (Green)';
  if (e.kind === 'due-moved') return `due date moved from ${e.from} to ${e.to} (reason: ${e.reason})`;
  const parts = [e.comment ? `progress: ${e.comment}` : '', e.onTarget === false ? 'marked not on target' : e.onTarget ? 'on target' : ''].filter(Boolean);
  return parts.join('; ') || 'updated';
};

export function meetingRoute(app: Application, ctx: AppContext): void {
  app.meetings.start(async (context, _state, meeting) => {
    const chat = await ctx.planChats.get(context.activity.conversation.id);
    if (!chat) return;
    const dir = await ctx.directory.view();
    const home = dir.homes.get(chat.homeId);
    if (!home) return;
    await ctx.planChats.meetingStarted(chat.conversationId, meetingIdOf(meeting), ctx.clock());
    ctx.log.info({ home: home.id }, 'meeting started: posting plan');
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await renderPlan(ctx, dir, home))] });
  });

  app.meetings.end(async (context) => {
    const chat = await ctx.planChats.get(context.activity.conversation.id);
    if (!chat?.meetingStartedAt) return;
    const dir = await ctx.directory.view();
    const home = dir.homes.get(chat.homeId);
    if (!home) return;
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
    await context.sendActivity(text);
    await ctx.planChats.meetingEnded(chat.conversationId);
    ctx.log.info({ home: home.id, changes: changes.length }, 'meeting ended: summary posted');
  });
}
