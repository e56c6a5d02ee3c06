/** Whether the app can reach people in their 1:1 chat (issue 15): one look-up for the daily summary and `help`. */
import type { AppContext } from '../context';
import type { Person } from '../domain/directory';
import type { Reach } from '../domain/reach';

/** A person never seen 1:1 (no object id, or no conversation) has not installed the app; a stale reference, removed or blocked it. */
export async function reachOf(ctx: AppContext, person: Person): Promise<Reach> {
  const conv = person.aadObjectId ? await ctx.conversations.forUser(person.aadObjectId) : undefined;
  return !conv ? 'not-installed' : conv.stale ? 'gone' : 'reachable';
}

/** Each person's reach, by e-mail (each looked up once; 16 reads at a time: an area may have 1,000 managers). */
export async function reachOfPeople(ctx: AppContext, people: Person[]): Promise<Map<string, Reach>> {
  const reach = new Map<string, Reach>();
  const once = [...new Map(people.map((p) => [p.email, p])).values()];
  for (let i = 0; i < once.length; i += 16) {
    await Promise.all(once.slice(i, i + 16).map(async (p) => reach.set(p.email, await reachOf(ctx, p))));
  }
  return reach;
}
