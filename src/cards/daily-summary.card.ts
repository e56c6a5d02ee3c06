/** The day's huddle summary for the area's support channel (cards/daily-summary.json). */
import type { DaySummary } from '../domain/daily-summary';
import { dateLabel } from './huddle.card';
import { bindCard } from './template';

export function dailySummaryCard(summary: DaySummary, areaName: string, date: string): Record<string, unknown> {
  return bindCard('daily-summary', { ...summary, areaName, dateLabel: dateLabel(date), missingCount: summary.missing.length });
}
