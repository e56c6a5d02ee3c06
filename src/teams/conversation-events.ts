/** Keeps a reference for every person and channel the bot can reach, fresh on every activity (§2). */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { CHANNEL_WELCOME, helpText } from '../app/help';
import type { AppContext } from '../context';
import { channelOf, type ReferenceToSave } from '../storage/conversations.table';
import { outsideDeadline, withDeadline } from '../storage/deadline';
import { askerOf } from './card-actions';
import { conversationKind, referenceOf, teamIdOf, whoIs } from './turn';

/**
 * A reference is written again when its service URL changed, or after this long: a card click then
 * costs no write, and a reference marked stale is cleared within minutes of the person's next activity.
 */
const REWRITE_AFTER_MS = 5 * 60_000;
/** A refresh beside a card action gives up after this long (stalled storage must not pile them up). */
const BACKGROUND_MS = 10_000;
/**
 * How long after a card action its reference refresh waits: out of the moment when 200 managers answer at once, so
 * that Table storage serves the answers first (the reference is for later proactive sends; a refresh lost to a crash
 * in between is made by the next activity). The refreshes of that time are written together: one transaction for up
 * to 100 people, not a write each.
 */
const REFRESH_DELAY_MS = 1_500;

export function conversationEvents(app: Application, ctx: AppContext): void {
  const lastSaved = new Map<string, { serviceUrl: string; at: number }>();
  const saving = new Set<string>();

  /** The card actions' refreshes waiting to be written, by `kind|key`; written REFRESH_DELAY_MS after the first. */
  const refreshes = new Map<string, ReferenceToSave & { serviceUrl: string }>();
  let refreshTimer: NodeJS.Timeout | undefined;
  const writeRefreshes = async () => {
    refreshTimer = undefined;
    const batch = [...refreshes];
    refreshes.clear();
    try {
      await ctx.conversations.saveMany(batch.map(([, r]) => r));
      for (const [id, r] of batch) lastSaved.set(id, { serviceUrl: r.serviceUrl, at: r.at.getTime() });
    } catch (e) {
      // Storage down: each person's next activity saves theirs.
      ctx.log.warn({ refs: batch.length, err: (e as Error).message }, 'conversation references not saved');
    } finally {
      for (const [id] of batch) saving.delete(id);
    }
  };

  const rememberedIds = new Set<string>();

  /**
   * A support member or approver seen in a channel (who may never have installed the app 1:1): their Teams user id
   * is remembered for their areas, so that escalation cards refresh to the full view for them (§4). Ids only.
   */
  const rememberChannelUser = async (context: TurnContext) => {
    const from = context.activity.from as { id?: string; aadObjectId?: string } | undefined;
    const objectId = from?.aadObjectId?.toLowerCase();
    if (!objectId || !from?.id?.startsWith('29:') || !/^[0-9a-f-]{8,64}$/.test(objectId) || rememberedIds.has(`${objectId}|${from.id}`)) return;
    // Tried once a process for each id, matched or not: a channel's other members cost no roster look-up after the first.
    rememberedIds.add(`${objectId}|${from.id}`);
    // whoIs learns the object id of a directory person seen for the first time (the roster's e-mail), once.
    const person = (await ctx.directory.view()).personByObjectId(objectId) ?? (await whoIs(context, ctx));
    const areas = [...new Set((person?.roles ?? []).flatMap((r) => ((r.role === 'support' || r.role === 'approver') && r.area ? [r.area] : [])))];
    for (const areaId of areas) await ctx.escalations.rememberUserId(areaId, objectId, from.id, ctx.clock());
  };

  app.turn('beforeTurn', async (context) => {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return true;
    const kind = conversationKind(activity);
    if (kind === 'channel') {
      await rememberChannelUser(context).catch((e: unknown) => ctx.log.warn({ err: (e as Error).message }, 'channel user id not remembered'));
    }
    // One row a channel: a thread's conversation id (";messageid=…") maps to its channel.
    const key = kind === 'user' ? activity.from?.aadObjectId : kind === 'channel' ? channelOf(activity.conversation.id) : activity.conversation.id;
    if (!key) return true;
    const id = `${kind}|${key}`;
    const seen = lastSaved.get(id);
    const at = ctx.clock();
    const now = at.getTime();
    if (seen && seen.serviceUrl === activity.serviceUrl && now - seen.at < REWRITE_AFTER_MS && activity.type !== 'installationUpdate') return true;
    const teamId = teamIdOf(activity);
    const ref: ReferenceToSave = { kind, key, reference: referenceOf(activity), at, ...(teamId ? { teamId } : {}) };
    // A card action is answered first (Teams waits 5 s for it): its refresh is written after it, with the others of
    // that moment, under no request's deadline, once at a time per reference. Other activities (installs, messages)
    // have no such limit: awaited.
    if (activity.type === 'invoke') {
      if (!saving.has(id)) {
        saving.add(id);
        refreshes.set(id, { ...ref, serviceUrl: activity.serviceUrl });
        // its own deadline, not the request's; outside the request's context so that its deadline is not carried
        refreshTimer ??= setTimeout(() => void outsideDeadline(() => withDeadline(BACKGROUND_MS, writeRefreshes)), REFRESH_DELAY_MS).unref();
      }
      return true;
    }
    saving.add(id);
    try {
      await ctx.conversations.save(ref.kind, ref.key, ref.reference, ref.at, ref.teamId);
      lastSaved.set(id, { serviceUrl: activity.serviceUrl, at: now });
    } catch (e) {
      // Storage down: the turn still runs (a huddle answer then says "not saved" itself); the next activity saves it.
      ctx.log.warn({ kind, err: (e as Error).message }, 'conversation reference not saved');
    } finally {
      saving.delete(id);
    }
    return true;
  });

  const welcome = async (context: Parameters<Parameters<Application['activity']>[1]>[0]) => {
    const kind = conversationKind(context.activity);
    if (kind === 'user') await context.sendActivity(await helpText(ctx, await askerOf(context, ctx), { reach: true }));
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
