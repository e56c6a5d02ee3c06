/**
 * The escalation sweep (§4): a red answer records in its own transaction that its escalation is due; the
 * answer's request opens it at once, and when that failed (storage blinked, the process died) this opens it.
 * Run on every instance by the delivery worker; opening is idempotent (one open escalation per home).
 */
import type { AppContext } from '../context';
import { localDate, whenLabel } from '../domain/calendar';
import { whoCanDecide } from '../domain/escalation';
import { raiseFromHuddle } from './escalation-open';

/** How long the answer's own request is given before the sweep steps in. */
const GRACE_MS = 30_000;

export async function sweepPendingEscalations(ctx: AppContext, nowMs = ctx.clock().getTime()): Promise<number> {
  const dir = await ctx.directory.view();
  let opened = 0;
  for (const area of dir.directory.areas) {
    for (const p of await ctx.huddles.pendingEscalations(area.id, new Date(nowMs - GRACE_MS).toISOString())) {
      await raiseFromHuddle(ctx, p);
      await ctx.huddles.escalationDone(p.areaId, p.date, p.homeId);
      ctx.log.info({ area: p.areaId, home: p.homeId, date: p.date, code: 'ESCALATION.SWEPT' }, 'pending escalation opened by the sweep');
      opened++;
    }
  }
  return opened;
}

/**
 * An open escalation nobody has taken on after UNOWNED_REMINDER_HOURS (a weekend, say) is reminded 1:1 to the
 * area's support team and approvers, once a day (the area's day) until someone takes it on.
 */
export async function remindUnowned(ctx: AppContext, now = ctx.clock()): Promise<number> {
  const dir = await ctx.directory.view();
  const after = ctx.config.UNOWNED_REMINDER_HOURS * 3_600_000;
  let reminded = 0;
  for (const area of dir.directory.areas) {
    const team = dir.teamOf(area.id);
    const today = localDate(now, area.timezone);
    for (const e of await ctx.escalations.listForArea(area.id)) {
      if (e.state !== 'open' || e.owner || now.getTime() - Date.parse(e.openedAt) < after) continue;
      const home = dir.homes.get(e.homeId)?.name ?? e.homeId;
      const hours = Math.floor((now.getTime() - Date.parse(e.openedAt)) / 3_600_000);
      const text = `Nobody has taken on the escalation for **${home}** yet: it has been open ${hours} hours. Open it in the support channel (or here) and choose **Assign** to take it on.`;
      const notices = team.map((p) => ({ key: `remind_${e.rowKey}_${today}_${p.email}`, intent: { kind: 'notice' as const, email: p.email, text, about: e.rowKey } }));
      if (notices.length && (await ctx.escalations.remindOnce(area.id, e.rowKey, today, notices, now))) {
        ctx.log.info({ escalation: e.rowKey, area: area.id, hours, code: 'ESCALATION.UNOWNED_REMINDED' }, 'unowned escalation reminded');
        reminded++;
      }
    }
  }
  if (reminded) ctx.wakeDelivery?.();
  return reminded;
}

/**
 * Four eyes with a lone approver (§4, issue 16): a request for approval that nobody in the area may decide (its
 * area's only approver asked, or the area has no approver) is told to the area's administrators at once (by the
 * request itself), then reminded to them once a day (the area's day) from the day after, until an eligible
 * approver decides it or a second approver is in the directory.
 */
export async function remindLoneRequests(ctx: AppContext, now = ctx.clock()): Promise<number> {
  const dir = await ctx.directory.view();
  let reminded = 0;
  for (const area of dir.directory.areas) {
    const admins = dir.admins(area.id);
    if (!admins.length) continue;
    const approvers = dir.peopleWithRole('approver', area.id);
    const today = localDate(now, area.timezone);
    for (const e of await ctx.escalations.listForArea(area.id)) {
      if (e.state !== 'awaiting-approval' || whoCanDecide(e, approvers).length > 0) continue;
      if (!e.requestedAt || localDate(new Date(e.requestedAt), area.timezone) >= today) continue; // the request day: the administrators were told at once
      const home = dir.homes.get(e.homeId)?.name ?? e.homeId;
      const who = approvers.length ? `${dir.displayName(e.requestedBy)}, the only approver of ${area.name},` : `${dir.displayName(e.requestedBy)} (${area.name} has no approver)`;
      const text = `Reminder: ${who} asked on ${whenLabel(e.requestedAt, area.timezone)} for approval to escalate the concern about ${home}, and nobody in the area can decide it (an approver may not decide their own request). Add a second approver for ${area.name} to the directory.`;
      const notices = admins.map((p) => ({ key: `loneremind_${e.rowKey}_${today}_${p.email}`, intent: { kind: 'notice' as const, email: p.email, text, about: e.rowKey } }));
      if (await ctx.escalations.remindOnce(area.id, e.rowKey, today, notices, now, 'loneremind')) {
        ctx.log.info({ escalation: e.rowKey, area: area.id, code: 'ESCALATION.LONE_REQUEST_REMINDED' }, 'lone approver request reminded to the administrators');
        reminded++;
      }
    }
  }
  if (reminded) ctx.wakeDelivery?.();
  return reminded;
}
