/**
 * Opening escalations (§4). A red huddle answer opens one for its home, or adds
 * "still red today (day N)" to the one already open.
 */
import type { AppContext } from '../context';
import type { EscalationEntity } from '../storage/escalations.table';

export interface RedHuddle {
  areaId: string;
  homeId: string;
  /** the huddle date, YYYY-MM-DD */
  date: string;
  /** the answer's red reasons, worded for people */
  reasons: string[];
  /** e-mail of the manager who answered */
  by: string;
}

export interface RaiseOutcome {
  escalation: EscalationEntity;
  opened: boolean;
}

export async function raiseFromHuddle(ctx: AppContext, red: RedHuddle): Promise<RaiseOutcome> {
  const table = ctx.escalations;
  const at = ctx.clock();
  for (let attempt = 0; attempt < 5; attempt++) {
    const opened = await table.openIfNone(red.areaId, {
      homeId: red.homeId,
      trigger: 'huddle',
      openedAt: at.toISOString(),
      openedBy: red.by,
      openedFor: red.date,
      reasons: JSON.stringify(red.reasons),
      daysRed: 1,
      lastRedDate: red.date,
    }, at);
    if (opened) {
      await ctx.audit.append({ entity: 'escalation', entityId: opened.rowKey, action: 'open', by: red.by, at, to: 'open', data: { trigger: 'huddle', date: red.date } });
      ctx.wakeDelivery?.();
      return { escalation: opened, opened: true };
    }
    const current = await table.openFor(red.areaId, red.homeId);
    if (!current) continue; // closed in between: try to open again
    if (current.lastRedDate === red.date) return { escalation: current, opened: false }; // an amended answer, same day
    const next: EscalationEntity = { ...current, daysRed: current.daysRed + 1, lastRedDate: red.date, reasons: JSON.stringify(red.reasons), version: current.version + 1 };
    try {
      await table.replace(next, current.etag!, { at });
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 412) continue;
      throw e;
    }
    await ctx.audit.append({ entity: 'escalation', entityId: current.rowKey, action: 'still-red', by: red.by, at, note: `still red today (day ${next.daysRed})` });
    ctx.wakeDelivery?.();
    return { escalation: next, opened: false };
  }
  throw new Error('could not record the red huddle on the escalation after several attempts');
}

export interface PersonConcern {
  areaId: string;
  homeId: string;
  concern: string;
  protection: boolean;
  by: string;
  date: string;
}

/** `raise concern`: opens an escalation for the home, or adds the concern to the one already open. */
export async function raiseByPerson(ctx: AppContext, c: PersonConcern): Promise<RaiseOutcome> {
  const table = ctx.escalations;
  const at = ctx.clock();
  const reasons = [c.protection ? 'An adult-protection concern was raised' : 'A concern was raised by the home'];
  const stamped = `${at.toISOString().slice(0, 16).replace('T', ' ')}: ${c.concern}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const opened = await table.openIfNone(c.areaId, {
      homeId: c.homeId, trigger: 'person', openedAt: at.toISOString(), openedBy: c.by, openedFor: c.date,
      reasons: JSON.stringify(reasons), daysRed: 0, lastRedDate: '', concern: stamped,
    }, at, { by: c.by, text: c.concern });
    if (opened) {
      await ctx.audit.append({ entity: 'escalation', entityId: opened.rowKey, action: 'open', by: c.by, at, to: 'open', data: { trigger: 'person' } });
      ctx.wakeDelivery?.();
      return { escalation: opened, opened: true };
    }
    const current = await table.openFor(c.areaId, c.homeId);
    if (!current) continue;
    const merged = [...new Set([...(JSON.parse(current.reasons) as string[]), ...reasons])];
    // Each concern is kept whole on its own row; the row's copy is what the card shows, the latest ones first to go if long.
    const next: EscalationEntity = { ...current, reasons: JSON.stringify(merged), concern: shownConcerns(current.concern, stamped), version: current.version + 1 };
    try {
      await table.replace(next, current.etag!, { at, concern: { by: c.by, text: c.concern } });
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 412) continue;
      throw e;
    }
    await ctx.audit.append({ entity: 'escalation', entityId: current.rowKey, action: 'concern-added', by: c.by, at });
    ctx.wakeDelivery?.();
    return { escalation: next, opened: false };
  }
  throw new Error('could not record the concern after several attempts');
}

/** What the card shows of the concerns: the newest whole ones that fit, and how many earlier ones are on the record. */
const SHOWN_MAX = 4000;
function shownConcerns(before: string | undefined, added: string): string {
  const earlierNote = /^\((\d+) earlier concerns? kept on the record\)\n/;
  const m = earlierNote.exec(before ?? '');
  let hidden = m ? Number(m[1]) : 0;
  const lines = [...(before ?? '').replace(earlierNote, '').split('\n').filter(Boolean), added];
  while (lines.length > 1 && lines.join('\n').length > SHOWN_MAX) {
    lines.shift();
    hidden++;
  }
  return `${hidden ? `(${hidden} earlier concern${hidden === 1 ? '' : 's'} kept on the record)\n` : ''}${lines.join('\n')}`;
}
