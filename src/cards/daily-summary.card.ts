/**
 * The day's huddle summary for the area's support channel (cards/daily-summary.json). The base card (the channel post,
 * and anyone outside the area's support team and approvers) has the counts, what made each red (fixed wording) and who
 * has not answered: no free text, a "Show details" button. The support view adds, per home, the huddle's `concern`
 * text and the Care Inspectorate notifications not recorded as made (§3, §4).
 */
import { plural, whenLabel } from '../domain/calendar';
import type { DaySummary } from '../domain/daily-summary';
import type { Area } from '../domain/directory';
import { dateLabel } from './huddle.card';
import { bindCard } from './template';

/** Teams refreshes a card automatically for at most 60 users. */
const MAX_REFRESH_USERS = 60;

/** The day's summary as one person sees it (a refresh or "Show details"), or as the channel is sent it. */
export interface DailySummaryCardView {
  summary: DaySummary;
  area: Area;
  date: string;
  /** the support view (the area's support team and approvers): false or absent, the base card */
  full?: boolean;
  /** when the figures were read (ISO): shown in the area's zone */
  asOf?: string;
}

export function dailySummaryCard(v: DailySummaryCardView, refreshUserIds: string[]): Record<string, unknown> {
  const { summary, area, date } = v;
  const full = !!v.full;
  const homes = (n: number) => plural(n, 'home');
  const asOf = v.asOf ? whenLabel(v.asOf, area.timezone) : '';
  return bindCard('daily-summary', {
    submitted: summary.submitted,
    expected: summary.expected,
    reds: summary.reds,
    missing: summary.missing,
    // Free text and the notification gaps: in the support view only, never bound into the base card.
    unnotified: full ? summary.unnotified : [],
    concerns: full ? summary.concerns.map((c) => ({ home: c.home, concern: c.concern, at: c.answeredAt ? whenLabel(c.answeredAt, area.timezone) : 'time not known' })) : [],
    full,
    showDetails: !full,
    areaId: area.id,
    date,
    areaName: area.name,
    dateLabel: dateLabel(date),
    asOfLine: asOf ? `As at ${asOf}` : '',
    missingCount: summary.missing.length,
    submittedLine: `Submitted ${summary.submitted} of ${homes(summary.expected)} (${summary.completion}).`,
    redLabel: homes(summary.red),
    amberLabel: homes(summary.amber),
    greenLabel: homes(summary.green),
    missingLabel: homes(summary.missing.length),
    refreshUserIds: refreshUserIds.slice(0, MAX_REFRESH_USERS),
  });
}

/**
 * The card for the person who refreshed or pressed "Show details", without `refresh`: teams-ai would otherwise replace
 * the channel message with this person's view for everyone. The channel message is updated through delivery instead.
 */
export function dailySummaryViewerCard(v: DailySummaryCardView): Record<string, unknown> {
  const { refresh: _refresh, ...forViewer } = dailySummaryCard(v, []);
  return forViewer;
}
