/**
 * Sends one send intent (src/storage/outbox.ts) to Teams: an escalation's card in its area's support channel
 * (rendered from the row as it is now; posted once per channel, then updated in place), a manager's notice,
 * "this action is yours". Called by the delivery worker only, through the shared sender.
 */
import { escalationCard, escalationViewerCard } from '../cards/escalation.card';
import type { AppContext } from '../context';
import { actionReminderText } from '../domain/plan-reminders';
import type { Area, DirectoryView } from '../domain/directory';
import { actorIn } from '../domain/escalation';
import type { ConversationRef, OutgoingMessage } from '../messaging';
import type { Intent } from '../storage/outbox';
import { toEscalation, type EscalationEntity } from '../storage/escalations.table';
import { updatePostedSummary } from './daily-summary';
import { sendExportFile, tellExportUndelivered } from './export-file';
import { refreshUserIds } from './refresh-users';
import { messageGone, senderOf } from './send-one';
import type { SendOutcome } from './sender';

/** What became of an intent: sent (or nothing to send), to try again, or given up (logged with a code). */
export type IntentOutcome = { outcome: 'done' } | { outcome: 'retry'; status: number } | { outcome: 'gone'; code: string } | { outcome: 'busy' };

/** How long one sender may hold a card (a crash frees it after this). */
const CARD_LEASE_MS = 60_000;

const asIntentOutcome = (r: SendOutcome): IntentOutcome =>
  r.outcome === 'sent' ? { outcome: 'done' } : r.outcome === 'stale' ? { outcome: 'gone', code: `DELIVERY.STALE_${r.status}` } : { outcome: 'retry', status: r.status };

async function post(ctx: AppContext, ref: ConversationRef, message: OutgoingMessage): Promise<SendOutcome> {
  const messenger = ctx.messenger!;
  return senderOf(ctx).send(ref.conversation.id, () => messenger.send(ref, message));
}

async function escalationCardIntent(ctx: AppContext, areaId: string, escalationId: string): Promise<IntentOutcome> {
  const dir = await ctx.directory.view();
  const area = dir.areas.get(areaId);
  const row = await ctx.escalations.get(areaId, escalationId);
  if (!area || !row) return { outcome: 'gone', code: 'ESCALATION.GONE' };
  const link = await ctx.areaLinks.get(area.id);
  // No channel yet: the team 1:1, and the channel too as soon as one is linked (link area asks for every open card again).
  if (!link) return toTeamOneToOne(ctx, dir, area, row);
  const lease = await ctx.escalations.leaseCard(area.id, row.rowKey, Date.now(), Date.now() + CARD_LEASE_MS);
  if (!lease) return { outcome: 'busy' };
  let posted = lease.posted;
  try {
    // Rendered under the lease from the row as it is now: the last send shows the newest state.
    const now = (await ctx.escalations.get(area.id, row.rowKey)) ?? row;
    const card = escalationCard(toEscalation(now), dir, area, { refreshUserIds: await refreshUserIds(ctx, dir, area.id) });
    const message = { card, summary: `Escalation: ${dir.homes.get(row.homeId)?.name ?? row.homeId}` };
    // A card posted before its message had a row of its own kept its id on the escalation row.
    const activityId = posted ? (posted.conversationId === link.conversationId ? posted.activityId : undefined) : row.channelActivityId;
    const messenger = ctx.messenger!;
    // The channel refuses for good (the app removed from the team, the channel deleted): the card goes 1:1 to the
    // area's team as when no channel is linked; only when none of them can be reached either is the manager told.
    const channelRefused = async (r: SendOutcome): Promise<IntentOutcome> => {
      ctx.log.warn({ escalation: row.rowKey, area: area.id, status: r.outcome === 'sent' ? 0 : r.status, code: 'ESCALATION.CHANNEL_REFUSED' }, 'the support channel refused the card: sent 1:1 to the team');
      const fallback = await toTeamOneToOne(ctx, dir, area, now, 'channel-refused');
      if (await ctx.escalations.firstChannelRefused(area.id, link.linkedAt)) await tellChannelRefused(ctx, dir, area);
      return fallback.outcome === 'gone' ? asIntentOutcome(r) : fallback;
    };
    if (activityId) {
      const r = await senderOf(ctx).send(link.conversationId, async () => (await messenger.update(link.reference, activityId, message), { activityId }));
      if (r.outcome === 'sent') posted = { conversationId: link.conversationId, activityId };
      // 404: the card's message is gone (deleted in the channel): posted again, so an open escalation always has a card.
      if (r.outcome === 'stale' && !messageGone(r)) return channelRefused(r);
      if (!messageGone(r)) return asIntentOutcome(r);
      ctx.log.warn({ escalation: row.rowKey, area: area.id, code: 'ESCALATION.CARD_REPOSTED' }, "the card's message was gone from the channel: posted again");
    }
    const r = await post(ctx, link.reference, message);
    if (r.outcome === 'sent') posted = { conversationId: link.conversationId, activityId: r.activityId };
    return r.outcome === 'stale' ? channelRefused(r) : asIntentOutcome(r);
  } finally {
    await ctx.escalations.releaseCard(area.id, row.rowKey, lease.etag, posted);
  }
}

/**
 * The escalation 1:1 to each support member and approver of the area who has the app: posted once each, then updated.
 * `why`: no channel is linked (nobody reached: the managers and admins are told here), or the linked channel refused
 * the card (nobody reached: the caller says so, as for any card that finally failed).
 */
async function toTeamOneToOne(ctx: AppContext, dir: DirectoryView, area: Area, row: EscalationEntity, why: 'no-channel' | 'channel-refused' = 'no-channel'): Promise<IntentOutcome> {
  const people = dir.teamOf(area.id);
  const file = toEscalation(row);
  const summary = `Escalation: ${dir.homes.get(row.homeId)?.name ?? row.homeId}`;
  let reached = 0;
  let retry: IntentOutcome | undefined;
  for (const person of people) {
    const conv = person.aadObjectId ? await ctx.conversations.forUser(person.aadObjectId) : undefined;
    if (!person.aadObjectId || !conv || conv.stale) continue;
    const card = escalationViewerCard({ file, dir, area, viewer: actorIn(person, area.id) });
    const before = await ctx.escalations.directMessage(area.id, row.rowKey, person.aadObjectId);
    const messenger = ctx.messenger!;
    let r = before
      ? await senderOf(ctx).send(conv.reference.conversation.id, async () => (await messenger.update(conv.reference, before.activityId, { card, summary }), { activityId: before.activityId }))
      : await post(ctx, conv.reference, { card, summary });
    // the person deleted the earlier message: a new one, as for the channel
    const repost = !!before && messageGone(r);
    if (repost) r = await post(ctx, conv.reference, { card, summary });
    if (r.outcome === 'sent') {
      reached++;
      if (!before || repost) await ctx.escalations.setDirectMessage(area.id, row.rowKey, person.aadObjectId, conv.reference.conversation.id, r.activityId);
    } else if (r.outcome === 'failed') retry = { outcome: 'retry', status: r.status };
  }
  if (retry) return retry;
  if (reached > 0) {
    ctx.log.info({ escalation: row.rowKey, area: area.id, reached, code: 'ESCALATION.SENT_1_1' }, 'no support channel linked: escalation sent 1:1 to the team');
    return { outcome: 'done' };
  }
  ctx.log.error({ escalation: row.rowKey, area: area.id, code: 'ESCALATION.NOBODY_REACHED' }, 'nobody in the support team can be reached');
  if (why === 'no-channel' && (await ctx.escalations.firstNobodyReached(area.id, row.rowKey))) await tellNobodyReached(ctx, dir, area, row);
  return { outcome: 'gone', code: 'ESCALATION.NOBODY_REACHED' };
}

/** The linked channel refuses the app's cards: the area's team and admins are told once per link what to do. */
async function tellChannelRefused(ctx: AppContext, dir: DirectoryView, area: Area): Promise<void> {
  const team = dir.teamOf(area.id);
  const people = [...team, ...dir.admins(area.id).filter((a) => !team.includes(a))];
  for (const p of people) {
    await toPerson(ctx, p.email, () =>
      `The support channel linked for **${area.name}** no longer takes Care Home Huddle's messages (the app may have been removed from the team, or the channel deleted). Escalations are sent to the team here, 1:1, meanwhile. Add the app back to the team, or post **link area ${area.id}** in the team's channel.`,
    ).catch(() => undefined);
  }
}

/** Nobody could be told: the home's managers are told exactly that, and the administrators (once per escalation). */
async function tellNobodyReached(ctx: AppContext, dir: DirectoryView, area: Area, row: EscalationEntity): Promise<void> {
  const home = dir.homes.get(row.homeId)?.name ?? row.homeId;
  const contact = ctx.config.HELP_CONTACT;
  for (const manager of dir.managersOf(row.homeId)) {
    await toPerson(ctx, manager.email, () =>
      `Your concern about ${home} has **not** reached the support team: nobody in the team can be reached through Care Home Huddle yet (no support channel is linked and no one in the team has the app). Please phone ${contact} now. The administrators have been told.`,
    );
  }
  for (const admin of dir.admins(area.id)) {
    await toPerson(ctx, admin.email, () =>
      `An escalation for ${home} (${area.name}) is waiting and nobody in the area's support team can be reached through Care Home Huddle. Ask a support lead to post **link area ${area.id}** in the team's channel, or the team to install the app.`,
    );
  }
}

/** An escalation's card could not be delivered after every try: the home's managers are told, so that they phone instead. */
export async function tellUndelivered(ctx: AppContext, intent: Intent): Promise<void> {
  if (intent.kind === 'export-file') return tellExportUndelivered(ctx, intent, (email, text) => toPerson(ctx, email, () => text));
  if (intent.kind !== 'escalation-card') return;
  const dir = await ctx.directory.view();
  const row = await ctx.escalations.get(intent.areaId, intent.escalationId);
  if (!row) return;
  // The manager was told "being sent" at the opening and when a concern was added: only those changes are theirs to
  // hear about; later changes (assign, notes, decisions) are the team's own.
  if (row.version > 1 && !(await ctx.escalations.concernAt(row.partitionKey, row.rowKey, row.version))) return;
  // once per escalation: a second give-up of the same card (a re-link asking again, another instance) says nothing new
  if (!(await ctx.escalations.firstUndelivered(row.partitionKey, row.rowKey, row.version))) return;
  const home = dir.homes.get(row.homeId)?.name ?? row.homeId;
  const what = row.trigger === 'huddle' ? `The red huddle answer for ${home}` : `Your concern about ${home}`;
  for (const manager of dir.managersOf(row.homeId)) {
    await toPerson(ctx, manager.email, () => `${what} could not be delivered to the support team through Teams. Please phone ${ctx.config.HELP_CONTACT} now.`).catch(() => undefined);
  }
}

async function toPerson(ctx: AppContext, email: string, text: () => string | undefined): Promise<IntentOutcome> {
  const dir = await ctx.directory.view();
  const person = dir.personByEmail(email);
  const conv = person?.aadObjectId ? await ctx.conversations.forUser(person.aadObjectId) : undefined;
  if (!conv || conv.stale) return { outcome: 'gone', code: 'DELIVERY.NOT_REACHABLE' };
  const body = text();
  if (body === undefined) return { outcome: 'done' };
  const r = await post(ctx, conv.reference, { text: body });
  if (r.outcome === 'stale') await ctx.conversations.markStale('user', person!.aadObjectId!, `connector answered ${r.status}`, ctx.clock()).catch(() => undefined);
  return asIntentOutcome(r);
}

async function assignedIntent(ctx: AppContext, homeId: string, theme: number, seq: number): Promise<IntentOutcome> {
  const stored = await ctx.actions.get(homeId, theme, seq);
  const home = (await ctx.directory.view()).homes.get(homeId);
  if (!stored?.action.responsible.email || !home) return { outcome: 'gone', code: 'ACTION.GONE' };
  // The daily reminder job tells them when this could not: the claim on the row makes it once.
  const claim = await ctx.actions.markSent(stored, 'assigned', ctx.clock());
  if (!claim.ok) return { outcome: 'done' };
  const result = await toPerson(ctx, stored.action.responsible.email, () => actionReminderText('assigned', stored.action, home.name));
  if (result.outcome !== 'done') await ctx.actions.unmarkSent({ ...stored, etag: claim.etag ?? '' }, 'assigned');
  return result;
}

/** A late answer with a concern: the day's summary, when posted already, brought up to date in its channel message (the base card). */
async function dailySummaryIntent(ctx: AppContext, areaId: string, date: string): Promise<IntentOutcome> {
  const r = await updatePostedSummary(ctx, areaId, date);
  if (!r || r.outcome === 'sent' || r.outcome === 'skipped') return { outcome: 'done' };
  return r.outcome === 'stale' ? { outcome: 'gone', code: `DELIVERY.STALE_${r.status ?? 0}` } : { outcome: 'retry', status: r.status ?? 0 };
}

export async function sendIntent(ctx: AppContext, intent: Intent): Promise<IntentOutcome> {
  if (!ctx.messenger) throw new Error('no messenger: the Teams adapter is not set up');
  if (intent.kind === 'escalation-card') return escalationCardIntent(ctx, intent.areaId, intent.escalationId);
  if (intent.kind === 'notice') return toPerson(ctx, intent.email, () => intent.text);
  if (intent.kind === 'export-file') return sendExportFile(ctx, intent, (email, text) => toPerson(ctx, email, () => text));
  if (intent.kind === 'daily-summary') return dailySummaryIntent(ctx, intent.areaId, intent.date);
  return assignedIntent(ctx, intent.homeId, intent.theme, intent.seq);
}
