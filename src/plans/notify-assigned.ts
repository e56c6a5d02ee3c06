/** Tells the responsible person at once that an action is theirs, and records it so the job does not repeat it. */
import type { AppContext } from '../context';
import type { DirectoryView, Home } from '../domain/directory';
import type { StoredAction } from '../storage/actions.table';
import { reminderText } from './reminder-text';

export async function notifyAssigned(ctx: AppContext, dir: DirectoryView, home: Home, stored: StoredAction): Promise<void> {
  const person = dir.personByEmail(stored.action.responsible.email);
  if (!person?.aadObjectId || !ctx.messenger) return;
  const conv = await ctx.conversations.forUser(person.aadObjectId);
  if (!conv || conv.stale) return;
  const claim = await ctx.actions.markSent(stored, 'assigned', ctx.clock());
  if (!claim.ok) return;
  try {
    await ctx.messenger.send(conv.reference, { text: reminderText('assigned', stored.action, home.name) });
  } catch (e) {
    // The daily job tries again.
    await ctx.actions.unmarkSent(stored, 'assigned');
    ctx.log.warn({ home: home.id, theme: stored.action.theme, seq: stored.action.seq, err: (e as Error).message }, 'assigned notice failed');
  }
}
