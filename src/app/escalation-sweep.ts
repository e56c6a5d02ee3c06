/**
 * The escalation sweep (§4): a red answer records in its own transaction that its escalation is due; the
 * answer's request opens it at once, and when that failed (storage blinked, the process died) this opens it.
 * Run on every instance by the delivery worker; opening is idempotent (one open escalation per home).
 */
import type { AppContext } from '../context';
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
