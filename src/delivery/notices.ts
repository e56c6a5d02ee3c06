/**
 * What the use cases ask to be sent to Teams: the escalation card in the area's support channel (posted once,
 * then updated in place), the manager's notices, and "this action is yours". The only sends outside a job.
 */
import { escalationCard } from '../cards/escalation.card';
import type { AppContext } from '../context';
import type { DirectoryView, Home } from '../domain/directory';
import { actionReminderText } from '../domain/plan-reminders';
import type { StoredAction } from '../storage/actions.table';
import { toEscalation, type EscalationEntity } from '../storage/escalations.table';

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

/** Posts the card to the linked channel, or updates the one posted before. Never throws: the change is already stored. */
export async function showInChannel(ctx: AppContext, dir: DirectoryView, row: EscalationEntity): Promise<void> {
  const area = dir.areas.get(row.partitionKey);
  const link = area ? await ctx.areaLinks.get(area.id) : undefined;
  if (!area || !link || !ctx.messenger) {
    ctx.log.warn({ escalation: row.rowKey, area: row.partitionKey, code: 'ESCALATION.NO_CHANNEL' }, 'no support channel linked: escalation not posted');
    return;
  }
  try {
    const card = escalationCard(toEscalation(row), dir, area, { refreshUserIds: await refreshUserIds(ctx, dir, area.id) });
    const message = { card, summary: `Escalation: ${dir.homes.get(row.homeId)?.name ?? row.homeId}` };
    if (row.channelActivityId) await ctx.messenger.update(link.reference, row.channelActivityId, message);
    else {
      const { activityId } = await ctx.messenger.send(link.reference, message);
      await ctx.escalations.setChannelActivity(row.partitionKey, row.rowKey, activityId);
    }
  } catch (e) {
    ctx.log.error({ escalation: row.rowKey, err: (e as Error).message }, 'escalation card not posted or updated');
  }
}

/** Tells the home's managers, 1:1, what happened (no concern text: that is for the support team). */
export async function tellManagers(ctx: AppContext, dir: DirectoryView, row: EscalationEntity, text: string): Promise<void> {
  for (const manager of dir.managersOf(row.homeId)) {
    const conv = manager.aadObjectId ? await ctx.conversations.forUser(manager.aadObjectId) : undefined;
    if (!conv || conv.stale || !ctx.messenger) continue;
    try {
      await ctx.messenger.send(conv.reference, { text });
    } catch (e) {
      ctx.log.warn({ escalation: row.rowKey, err: (e as Error).message }, 'manager not told');
    }
  }
}

/** Tells the responsible person at once that an action is theirs, and records it so the daily job does not repeat it. */
export async function tellAssigned(ctx: AppContext, dir: DirectoryView, home: Home, stored: StoredAction): Promise<void> {
  const person = dir.personByEmail(stored.action.responsible.email);
  if (!person?.aadObjectId || !ctx.messenger) return;
  const conv = await ctx.conversations.forUser(person.aadObjectId);
  if (!conv || conv.stale) return;
  const claim = await ctx.actions.markSent(stored, 'assigned', ctx.clock());
  if (!claim.ok) return;
  try {
    await ctx.messenger.send(conv.reference, { text: actionReminderText('assigned', stored.action, home.name) });
  } catch (e) {
    // The daily job tries again.
    await ctx.actions.unmarkSent(stored, 'assigned');
    ctx.log.warn({ home: home.id, theme: stored.action.theme, seq: stored.action.seq, err: (e as Error).message }, 'assigned notice failed');
  }
}
