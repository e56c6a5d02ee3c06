/**
 * Job `action-reminders` (daily): each responsible person in the directory, in their 1:1 chat, is told
 * when assigned (if the card could not tell them at once), three days before the due date, and the day
 * after it passes. Each reminder is claimed on the action row (ETag) before it goes, so it goes once.
 */
import type { AppContext } from '../context';
import { localDate } from '../domain/calendar';
import { reminderDue, type ReminderKind } from '../domain/plan';
import { actionReminderText } from '../domain/plan-reminders';
import type { StoredAction } from '../storage/actions.table';
import { deliver, type Recipient } from '../delivery/deliver';
import { addReport, jobAreas, type Job, type JobResult } from './registry';

export const actionReminders: Job = async (ctx: AppContext, params, progress) => {
  const dir = await ctx.directory.view();
  const result: JobResult = { job: 'action-reminders', sent: 0, skipped: 0, failed: 0, details: [] };
  const areas = jobAreas(dir, params);
  for (const area of areas) {
    const date = params.date ?? localDate(ctx.clock(), area.timezone);
    const recipients: Recipient[] = [];
    const claims = new Map<string, { stored: StoredAction; kind: ReminderKind }>();
    for (const home of dir.homesInArea(area.id)) {
      for (let stored of await ctx.actions.list(home.id)) {
        // A responsible person given by name only is not in the directory: nobody to remind.
        if (!stored.action.responsible.email) continue;
        const kinds = reminderDue(stored.action, stored.sent, date, area.timezone);
        if (!kinds.length) continue;
        const person = dir.personByEmail(stored.action.responsible.email);
        const conv = person?.aadObjectId ? await ctx.conversations.forUser(person.aadObjectId) : undefined;
        if (!person?.aadObjectId || !conv || conv.stale) {
          result.skipped += kinds.length;
          continue;
        }
        for (const kind of kinds) {
          const claim = await ctx.actions.markSent(stored, kind, ctx.clock());
          if (!claim.ok) {
            result.skipped++;
            break;
          }
          stored = { ...stored, sent: { ...stored.sent, [kind]: 'claimed' }, etag: claim.etag ?? '' };
          const key = `user:${person.aadObjectId}:${home.id}:${stored.action.theme}.${stored.action.seq}:${kind}`;
          claims.set(key, { stored, kind });
          recipients.push({ key, kind: 'user', conversationKey: person.aadObjectId, reference: conv.reference, message: { text: actionReminderText(kind, stored.action, home.name) } });
        }
      }
    }
    const report = await deliver(ctx, { job: 'action-reminders', area: area.id, date }, recipients, progress);
    for (const o of report.outcomes) {
      const c = claims.get(o.key);
      if (c && o.outcome !== 'sent') await ctx.actions.unmarkSent(c.stored, c.kind);
    }
    addReport(result, report);
    result.details.push({ area: area.id, date, reminders: recipients.length });
  }
  return result;
};
