/** `help` and the welcome: what each person can do, from their roles; a polite answer to someone not in the directory. */
import type { AppContext } from '../context';
import { helpFor, notInDirectory, reachAreasOf, type AreaReach } from '../domain/help';
import type { Asker } from './outcome';
import { reachOfPeople } from './reach';

/**
 * `reach` (the 1:1 chat, not a channel): the support team, approvers and admins of an area are also told which of
 * its home managers the app cannot reach, and why, in the daily summary's words.
 */
export async function helpText(ctx: AppContext, { person, dir }: Asker, opts: { reach?: boolean } = {}): Promise<string> {
  if (!person) return notInDirectory(dir, ctx.config.HELP_CONTACT);
  const reach: AreaReach[] = [];
  if (opts.reach) {
    for (const areaId of reachAreasOf(person, dir)) {
      const managers = [...new Map(dir.homesInArea(areaId).flatMap((h) => dir.managersOf(h.id)).map((m) => [m.email, m])).values()];
      const of = await reachOfPeople(ctx, managers);
      reach.push({ area: dir.areas.get(areaId)!.name, managers: managers.map((m) => ({ name: m.name, reach: of.get(m.email)! })) });
    }
  }
  return helpFor(person, dir, reach).join('\n\n');
}

export const CHANNEL_WELCOME =
  'Thank you for adding Care Home Huddle. A support lead can bind this channel to an area with **link area** followed by the area id (for example "link area pkc").';
