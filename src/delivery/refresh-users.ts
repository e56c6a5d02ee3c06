/** Who a channel card refreshes for: the area's support team and approvers (the escalation card and the daily summary). */
import type { AppContext } from '../context';
import type { DirectoryView } from '../domain/directory';

/** Teams refreshes a card automatically for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

/**
 * The Teams user ids of the area's support team and approvers, taken from wherever they were seen: their 1:1 chat
 * with the app, or an activity of theirs in a channel. The card refreshes for them (Teams takes at most 60).
 */
export async function refreshUserIds(ctx: AppContext, dir: DirectoryView, areaId: string): Promise<string[]> {
  const people = dir.teamOf(areaId);
  const seen = await ctx.escalations.seenUserIds(areaId);
  const ids = new Set<string>();
  for (const p of people) {
    if (!p.aadObjectId || ids.size >= MAX_REFRESH_USERS) continue;
    const conv = await ctx.conversations.forUser(p.aadObjectId);
    const id = conv?.reference.user?.id ?? seen.get(p.aadObjectId.toLowerCase());
    if (id) ids.add(id);
  }
  return [...ids].slice(0, MAX_REFRESH_USERS);
}
