/**
 * Job `weekly-digest` (§6): for each area, the week that ended before `date` (the send day), one
 * card to every chief officer in 1:1 chat. Each officer is claimed in `digests` before the send:
 * at most one digest per officer, area and week, whatever happens.
 */
import { digestCard, digestCardData } from '../cards/digest.card';
import type { AppContext } from '../context';
import { computeDigest } from '../domain/digest';
import { digestWeekFor } from '../domain/digest/week';
import type { Area } from '../domain/directory';
import { DateTime } from 'luxon';
import { localDate } from '../domain/calendar';
import { deliver, type Recipient } from '../delivery/deliver';
import { jobAreas, type Job, type JobResult, type Progress } from './registry';

export const JOB = 'weekly-digest';

export const weeklyDigest: Job = async (ctx, params, progress) => {
  const dir = await ctx.directory.view();
  const result: JobResult = { job: JOB, sent: 0, skipped: 0, failed: 0, stale: 0, details: [] };
  const areas = jobAreas(dir, params);
  if (params.area && !areas.length) result.details.push({ area: params.area, note: 'no such area' });
  for (const area of areas) await digestForArea(ctx, area, params.date ?? localDate(ctx.clock(), area.timezone), result, progress, params.note);
  return result;
};

async function digestForArea(ctx: AppContext, area: Area, sendDate: string, result: JobResult, progress: Progress, note?: string): Promise<void> {
  const dir = await ctx.directory.view();
  const { week, previous } = digestWeekFor(sendDate, area.timezone);
  const claims = ctx.digests;
  const detail = (officer: string, outcome: string, note?: string) => result.details.push({ area: area.id, week: week.start, officer, outcome, ...(note ? { note } : {}) });

  // §6: a week that has not ended is refused before anyone is claimed, so its one send is still to come.
  if (Date.parse(week.until) > ctx.clock().getTime()) {
    const ends = DateTime.fromISO(week.until, { zone: area.timezone }).minus({ days: 1 }).toFormat('cccc d LLLL yyyy');
    result.details.push({
      area: area.id,
      week: week.start,
      outcome: 'refused',
      note: `The week ${week.start} to ${week.end} has not ended yet (it ends at midnight at the end of ${ends}, ${area.timezone}): no digest was sent, and the week's one send is still to come. Give a date after ${week.end}.`,
    });
    ctx.log.info({ job: JOB, area: area.id, week: week.start, code: 'DIGEST.WEEK_NOT_ENDED' }, 'weekly digest refused: the week has not ended');
    return;
  }

  // Who can be reached: an officer without a 1:1 chat yet is skipped and not claimed, so a later run reaches them.
  const reachable: { email: string; objectId: string; reference: NonNullable<Awaited<ReturnType<AppContext['conversations']['forUser']>>> }[] = [];
  for (const officer of dir.peopleWithRole('chief', area.id)) {
    const conv = officer.aadObjectId ? await ctx.conversations.forUser(officer.aadObjectId) : undefined;
    if (!officer.aadObjectId || !conv || conv.stale) {
      result.skipped++;
      detail(officer.email, 'skipped', 'has not installed the app in Teams');
      continue;
    }
    const earlier = await claims.get(area.id, week.start, officer.aadObjectId);
    if (earlier) {
      result.skipped++;
      detail(officer.email, 'skipped', earlier.state === 'sent' ? 'already sent' : `claimed earlier (${earlier.state}), not sent again`);
      continue;
    }
    reachable.push({ email: officer.email, objectId: officer.aadObjectId, reference: conv });
  }
  if (!reachable.length) return;

  const homes = dir.homesInArea(area.id);
  const source = await ctx.digestSource({ areaId: area.id, homeIds: homes.map((h) => h.id), from: previous.start, to: week.end, since: previous.from });
  const digest = computeDigest({ area, homes, sendDate, ...source });
  const data = digestCardData(digest, (email) => dir.personByEmail(email)?.name ?? email);
  const card = digestCard(data);

  const recipients: Recipient[] = [];
  for (const r of reachable) {
    const claimed = await claims.claim(area.id, { weekStart: week.start, weekEnd: week.end, officer: r.email, objectId: r.objectId, claimedAt: ctx.clock().toISOString() });
    if (!claimed) {
      result.skipped++;
      detail(r.email, 'skipped', 'claimed by another run');
      continue;
    }
    recipients.push({ key: `user:${r.objectId}:${area.id}:${week.start}`, kind: 'user', conversationKey: r.objectId, reference: r.reference.reference, message: { card, ...(note ? { text: note } : {}), summary: data.summary } });
  }
  const report = await deliver(ctx, { job: JOB, area: area.id, date: sendDate }, recipients, progress);
  const byKey = new Map(recipients.map((rec) => [rec.key, reachable.find((x) => x.objectId === rec.conversationKey)!]));
  for (const outcome of report.outcomes) {
    const r = byKey.get(outcome.key);
    if (!r) continue;
    if (outcome.outcome === 'sent') {
      await claims.mark(area.id, week.start, r.objectId, { state: 'sent', sentAt: ctx.clock().toISOString(), ...(outcome.activityId ? { activityId: outcome.activityId } : {}) });
      result.sent++;
    } else if (outcome.status && outcome.status >= 400) {
      // The connector refused it: nothing reached the officer, so a later run may try again.
      await claims.release(area.id, week.start, r.objectId);
      if (outcome.outcome === 'stale') result.stale = (result.stale ?? 0) + 1;
      else result.failed++;
    } else {
      await claims.mark(area.id, week.start, r.objectId, { state: 'unconfirmed' });
      result.failed++;
    }
    detail(r.email, outcome.outcome, outcome.status ? `status ${outcome.status}` : undefined);
  }
  ctx.log.info({ job: JOB, area: area.id, week: week.start, homes: homes.length, sent: report.sent, failed: report.failed }, 'weekly digest done');
}
