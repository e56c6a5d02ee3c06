/**
 * Opening escalations (§4). A red huddle answer opens one for its home, or adds
 * "still red today (day N)" to the one already open.
 */
import { shortDateLabel } from '../domain/calendar';
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

/** The answer's own words and whether it reported an adult-protection concern (read from the stored answer, so the sweep has them too). */
async function answerOf(ctx: AppContext, red: RedHuddle): Promise<{ concern: string; protection: boolean }> {
  const stored = await ctx.huddles.get(red.areaId, red.date, red.homeId);
  return {
    concern: stored?.answer.concern?.trim() ?? '',
    protection: stored?.answer.protectionConcern === true || red.reasons.some((r) => /adult-protection/i.test(r)),
  };
}

/** An adult-protection concern: the referral is required now (who raised it, when), never after an approval. */
const referralRequired = (protection: boolean, by: string, at: Date) => (protection ? { referralRequiredBy: by, referralRequiredAt: at.toISOString() } : {});

export async function raiseFromHuddle(ctx: AppContext, red: RedHuddle): Promise<RaiseOutcome> {
  const table = ctx.escalations;
  const at = ctx.clock();
  const { concern, protection } = await answerOf(ctx, red);
  const stamped = concern ? `${shortDateLabel(red.date)} huddle: ${concern}` : undefined;
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
      ...(stamped ? { concern: stamped } : {}),
      ...referralRequired(protection, red.by, at),
    }, at, concern ? { by: red.by, text: concern } : undefined);
    if (opened) {
      await ctx.audit.append({ entity: 'escalation', entityId: opened.rowKey, action: 'open', by: red.by, at, to: 'open', data: { trigger: 'huddle', date: red.date, ...(protection ? { referralRequired: true } : {}) } });
      ctx.wakeDelivery?.();
      return { escalation: opened, opened: true };
    }
    const current = await table.openFor(red.areaId, red.homeId);
    if (!current) continue; // closed in between: try to open again
    if (current.lastRedDate === red.date) {
      // An amended answer, same day: nothing to add, unless it now reports an adult-protection concern.
      if (!protection || current.referredAt || current.referralRequiredAt) return { escalation: current, opened: false };
      const marked: EscalationEntity = { ...current, ...referralRequired(true, red.by, at), version: current.version + 1 };
      try {
        await table.replace(marked, current.etag!, { at });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 412) continue;
        throw e;
      }
      ctx.wakeDelivery?.();
      return { escalation: marked, opened: false };
    }
    const next: EscalationEntity = {
      ...current, daysRed: current.daysRed + 1, lastRedDate: red.date, reasons: JSON.stringify(red.reasons), version: current.version + 1,
      ...(stamped ? { concern: shownConcerns(current.concern, stamped) } : {}),
      // A protection concern on a later day needs its referral too, unless one is already recorded or required.
      ...(protection && !current.referredAt && !current.referralRequiredAt ? referralRequired(true, red.by, at) : {}),
    };
    try {
      await table.replace(next, current.etag!, { at, ...(concern ? { concern: { by: red.by, text: concern } } : {}) });
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
      reasons: JSON.stringify(reasons), daysRed: 0, lastRedDate: '', concern: stamped, ...referralRequired(c.protection, c.by, at),
    }, at, { by: c.by, text: c.concern });
    if (opened) {
      await ctx.audit.append({ entity: 'escalation', entityId: opened.rowKey, action: 'open', by: c.by, at, to: 'open', data: { trigger: 'person', ...(c.protection ? { referralRequired: true } : {}) } });
      ctx.wakeDelivery?.();
      return { escalation: opened, opened: true };
    }
    const current = await table.openFor(c.areaId, c.homeId);
    if (!current) continue;
    const merged = [...new Set([...(JSON.parse(current.reasons) as string[]), ...reasons])];
    // Each concern is kept whole on its own row; the row's copy is what the card shows, the latest ones first to go if long.
    const next: EscalationEntity = {
      ...current, reasons: JSON.stringify(merged), concern: shownConcerns(current.concern, stamped), version: current.version + 1,
      ...(c.protection && !current.referredAt && !current.referralRequiredAt ? referralRequired(true, c.by, at) : {}),
    };
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
