/**
 * The escalation sweep (§4): a red answer records in its own transaction that its escalation is due; the
 * answer's request opens it at once, and when that failed (storage blinked, the process died) this opens it.
 * Run on every instance by the delivery worker; opening is idempotent (one open escalation per home).
 */
import type { AppContext } from '../context';
import { localDate } from '../domain/calendar';
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
    const team = [...new Map([...dir.peopleWithRole('support', area.id), ...dir.peopleWithRole('approver', area.id)].map((p) => [p.email, p])).values()];
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
