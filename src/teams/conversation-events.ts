/** Keeps a reference for every person and channel the bot can reach, fresh on every activity (§2). */
import { ActivityTypes } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { CHANNEL_WELCOME, helpText } from '../app/help';
import type { AppContext } from '../context';
import { channelOf } from '../storage/conversations.table';
import { askerOf } from './card-actions';
import { conversationKind, referenceOf, teamIdOf } from './turn';

/**
 * A reference is written again when its service URL changed, or after this long: a card click then
 * costs no write, and a reference marked stale is cleared within minutes of the person's next activity.
 */
const REWRITE_AFTER_MS = 5 * 60_000;

export function conversationEvents(app: Application, ctx: AppContext): void {
  const lastSaved = new Map<string, { serviceUrl: string; at: number }>();

  app.turn('beforeTurn', async (context) => {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return true;
    const kind = conversationKind(activity);
    // One row a channel: a thread's conversation id (";messageid=…") maps to its channel.
    const key = kind === 'user' ? activity.from?.aadObjectId : kind === 'channel' ? channelOf(activity.conversation.id) : activity.conversation.id;
    if (!key) return true;
    const seen = lastSaved.get(`${kind}|${key}`);
    const now = ctx.clock().getTime();
    if (seen && seen.serviceUrl === activity.serviceUrl && now - seen.at < REWRITE_AFTER_MS && activity.type !== 'installationUpdate') return true;
    try {
      await ctx.conversations.save(kind, key, referenceOf(activity), ctx.clock(), teamIdOf(activity));
      lastSaved.set(`${kind}|${key}`, { serviceUrl: activity.serviceUrl, at: now });
    } catch (e) {
      // Storage down: the turn still runs (a huddle answer then says "not saved" itself); the next activity saves it.
      ctx.log.warn({ kind, err: (e as Error).message }, 'conversation reference not saved');
    }
    return true;
  });

  const welcome = async (context: Parameters<Parameters<Application['activity']>[1]>[0]) => {
    const kind = conversationKind(context.activity);
    if (kind === 'user') await context.sendActivity(helpText(ctx, await askerOf(context, ctx)));
    else if (kind === 'channel') await context.sendActivity(CHANNEL_WELCOME);
  };

  // Teams sends both installationUpdate and conversationUpdate (membersAdded) when the app is added to a
  // team or a chat: one welcome each, so the 1:1 chat is greeted here and teams and chats below.
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (context.activity.action !== 'add' && context.activity.action !== 'add-upgrade') return;
    if (conversationKind(context.activity) === 'user') await welcome(context);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (conversationKind(context.activity) !== 'user' && context.activity.membersAdded?.some((m) => m.id === botId)) await welcome(context);
  });
}
