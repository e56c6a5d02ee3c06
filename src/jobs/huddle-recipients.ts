/** Who the huddle jobs reach: each home's managers in their 1:1 chat, for the areas and date asked for. */
import type { AppContext } from '../context';
import { isHuddleDay, localDate } from '../domain/calendar';
import type { Area, DirectoryView, Home } from '../domain/directory';
import type { OutgoingMessage } from '../messaging';
import type { Recipient } from '../delivery/types';
import type { JobParams, JobResult } from './registry';

/** The areas a job runs for and each one's date (today in its time zone unless given). */
export function areasAndDates(ctx: AppContext, dir: DirectoryView, params: JobParams, result: JobResult): { area: Area; date: string }[] {
  const areas = params.area ? [dir.areas.get(params.area)] : dir.directory.areas;
  if (params.area && !areas[0]) {
    result.details.push({ area: params.area, note: 'no such area' });
    return [];
  }
  return areas
    .filter((a): a is Area => !!a)
    .flatMap((area) => {
      const date = params.date ?? localDate(ctx.clock(), area.timezone);
      if (isHuddleDay(area, date)) return [{ area, date }];
      result.details.push({ area: area.id, date, note: 'not a huddle day: nothing sent' });
      return [];
    });
}

/** One recipient per manager of each home, by 1:1 chat; managers the bot cannot reach are counted as skipped. */
export async function managerRecipients(ctx: AppContext, dir: DirectoryView, homes: Home[], message: (home: Home) => OutgoingMessage, result: JobResult): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (const home of homes) {
    for (const manager of dir.managersOf(home.id)) {
      const conv = manager.aadObjectId ? await ctx.conversations.forUser(manager.aadObjectId) : undefined;
      if (!manager.aadObjectId || !conv || conv.stale) {
        result.skipped++;
        result.details.push({ home: home.id, manager: manager.email, note: conv?.stale ? 'chat stale (app removed or blocked)' : 'app not installed for this manager' });
        continue;
      }
      out.push({ key: `user:${manager.aadObjectId}:${home.id}`, kind: 'user', conversationKey: manager.aadObjectId, reference: conv.reference, message: message(home) });
    }
  }
  return out;
}
