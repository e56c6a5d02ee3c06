/**
 * summary.refresh (the daily summary's refresh and its "Show details" button): the day's summary read from what is
 * stored now. The area's support team and approvers get the support view (each home's concern text, the Care
 * Inspectorate notifications not recorded as made); anyone else the base card every member of the channel sees,
 * never an error where the card was. The role is checked here, whatever the card showed.
 */
import type { DailySummaryCardView } from '../cards/daily-summary.card';
import type { AppContext } from '../context';
import { isIsoDate } from '../domain/calendar';
import { hasAreaRole, type Person } from '../domain/directory';
import { daySummaryOf } from '../delivery/daily-summary';
import { done, refuse, type Asker, type CardData, type Outcome } from './outcome';

/** Whether a person sees the summary's support view of an area: its support team and approvers only (§3, §4). */
const seesSupportView = (person: Person | undefined, areaId: string): boolean => !!person && (hasAreaRole(person, 'support', areaId) || hasAreaRole(person, 'approver', areaId));

export async function viewDailySummary(ctx: AppContext, { person, dir }: Asker, data: CardData): Promise<Outcome<DailySummaryCardView>> {
  const area = typeof data.areaId === 'string' ? dir.areas.get(data.areaId) : undefined;
  const date = typeof data.date === 'string' && isIsoDate(data.date) ? data.date : undefined;
  if (!area || !date) return refuse('SUMMARY.NOT_FOUND', 'This card names no huddle summary that can be shown. Nothing was changed.');
  const full = seesSupportView(person, area.id);
  const summary = await daySummaryOf(ctx, dir, area, date);
  ctx.log.info({ area: area.id, date, view: full ? 'support' : 'base', code: 'SUMMARY.VIEWED' }, 'daily summary viewed');
  return done({ summary, area, date, full, asOf: ctx.clock().toISOString() });
}
