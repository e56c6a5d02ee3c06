/** The text commands, in one place: `help`, `huddle`, `raise concern`, `plan HOME`, `link area ID`. Each asks its use case and replies. */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { concernFormFor } from '../app/concern';
import { helpText } from '../app/help';
import { huddleForChat } from '../app/huddle';
import { linkArea } from '../app/link-area';
import type { Outcome } from '../app/outcome';
import { showPlan } from '../app/plan';
import type { AppContext } from '../context';
import { concernAnswer, huddleAnswer, planAnswer, type Card } from './answers';
import { exportCommand } from './file-consent';
import { askerOf } from './card-actions';
import { conversationKind, referenceOf } from './turn';

/** undefined: the command answered by itself (the export's file consent card) */
type Reply = string | Card | undefined;
type Command = { pattern: RegExp; reply(context: TurnContext, ctx: AppContext): Promise<Reply> };

/** A refusal in chat is its sentence; a view is its card. */
const replyOf = <V>(o: Outcome<V>, card: (o: Outcome<V>) => Card): Reply => (o.ok || o.view !== undefined ? card(o) : o.message);

const commandText = (context: TurnContext) => (context.activity.text ?? '').trim();

export const COMMANDS: Command[] = [
  {
    pattern: /^\s*help\s*$/i,
    reply: async (context, ctx) => helpText(ctx, await askerOf(context, ctx), { reach: conversationKind(context.activity) === 'user' }),
  },
  {
    pattern: /^\s*huddle\s*$/i,
    reply: async (context, ctx) => {
      const asker = await askerOf(context, ctx);
      if (asker.person && conversationKind(context.activity) !== 'user') return 'The huddle is answered in your 1:1 chat with me: open it and type **huddle**.';
      return replyOf(await huddleForChat(ctx, asker), huddleAnswer);
    },
  },
  {
    pattern: /^\s*raise\s+(a\s+)?concern\s*$/i,
    reply: async (context, ctx) => {
      const asker = await askerOf(context, ctx);
      if (asker.person && conversationKind(context.activity) !== 'user') return 'Raise a concern in your 1:1 chat with me, so that it goes only to the support team.';
      return replyOf(concernFormFor(ctx, asker), concernAnswer);
    },
  },
  {
    pattern: /^\s*plan\b/i,
    reply: async (context, ctx) => {
      const text = commandText(context).replace(/^plan\b/i, '').trim();
      const where = { kind: conversationKind(context.activity), conversationId: context.activity.conversation.id };
      return replyOf(await showPlan(ctx, await askerOf(context, ctx), text, where), planAnswer);
    },
  },
  {
    pattern: /^\s*link\s+area\b/i,
    reply: async (context, ctx) => {
      const areaId = commandText(context).split(/\s+/)[2]?.toLowerCase() ?? '';
      // A channel message's conversation id names its thread (";messageid=…"): bind the channel itself,
      // so that summaries and escalations arrive as new posts rather than replies in this thread.
      const channelId = (context.activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? context.activity.conversation.id.split(';')[0];
      const reference = referenceOf(context.activity);
      reference.conversation = { ...reference.conversation, id: channelId };
      delete reference.activityId;
      const o = await linkArea(ctx, await askerOf(context, ctx), { areaId, kind: conversationKind(context.activity), channelId, reference });
      return o.ok ? (o.message ?? '') : o.message;
    },
  },
  { pattern: /^\s*export\b/i, reply: exportCommand },
];

export function registerCommands(app: Application, ctx: AppContext): void {
  for (const command of COMMANDS) {
    app.message(command.pattern, async (context) => {
      const reply = await command.reply(context, ctx);
      if (reply === undefined) return;
      await context.sendActivity(typeof reply === 'string' ? reply : { attachments: [CardFactory.adaptiveCard(reply)] });
    });
  }
}
