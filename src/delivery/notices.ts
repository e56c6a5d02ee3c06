/**
 * Sends one send intent (src/storage/outbox.ts) to Teams: an escalation's card in its area's support channel
 * (rendered from the row as it is now; posted once per channel, then updated in place), a manager's notice,
 * "this action is yours". Called by the delivery worker only, through the shared sender.
 */
import { escalationCard } from '../cards/escalation.card';
import type { AppContext } from '../context';
import { actionReminderText } from '../domain/plan-reminders';
import type { DirectoryView } from '../domain/directory';
import type { ConversationRef, OutgoingMessage } from '../messaging';
import type { Intent } from '../storage/outbox';
import { toEscalation } from '../storage/escalations.table';
import { senderOf } from './send-one';
import type { SendOutcome } from './sender';

/** What became of an intent: sent (or nothing to send), to try again, or given up (logged with a code). */
export type IntentOutcome = { outcome: 'done' } | { outcome: 'retry'; status: number } | { outcome: 'gone'; code: string } | { outcome: 'busy' };

/** How long one sender may hold a card (a crash frees it after this). */
const CARD_LEASE_MS = 60_000;

/** The Teams user ids of the area's support team and approvers who have the app: the card refreshes for them. */
export async function refreshUserIds(ctx: AppContext, dir: DirectoryView, areaId: string): Promise<string[]> {
  const people = [...dir.peopleWithRole('support', areaId), ...dir.peopleWithRole('approver', areaId)];
  const ids = new Set<string>();
  for (const p of people) {
    if (!p.aadObjectId) continue;
    const conv = await ctx.conversations.forUser(p.aadObjectId);
    if (conv?.reference.user?.id) ids.add(conv.reference.user.id);
  }
  return [...ids];
}

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
  if (!link) {
    // Posted when a channel is linked (link area asks for every open card again).
    ctx.log.warn({ escalation: row.rowKey, area: area.id, code: 'ESCALATION.NO_CHANNEL' }, 'no support channel linked: escalation not posted');
    return { outcome: 'gone', code: 'ESCALATION.NO_CHANNEL' };
  }
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
    if (activityId) {
      const r = await senderOf(ctx).send(link.conversationId, async () => (await messenger.update(link.reference, activityId, message), { activityId }));
      if (r.outcome === 'sent') posted = { conversationId: link.conversationId, activityId };
      return asIntentOutcome(r);
    }
    const r = await post(ctx, link.reference, message);
    if (r.outcome === 'sent') posted = { conversationId: link.conversationId, activityId: r.activityId };
    return asIntentOutcome(r);
  } finally {
    await ctx.escalations.releaseCard(area.id, row.rowKey, lease.etag, posted);
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

export async function sendIntent(ctx: AppContext, intent: Intent): Promise<IntentOutcome> {
  if (!ctx.messenger) throw new Error('no messenger: the Teams adapter is not set up');
  if (intent.kind === 'escalation-card') return escalationCardIntent(ctx, intent.areaId, intent.escalationId);
  if (intent.kind === 'notice') return toPerson(ctx, intent.email, () => intent.text);
  return assignedIntent(ctx, intent.homeId, intent.theme, intent.seq);
}
