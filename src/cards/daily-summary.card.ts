/** The day's huddle summary for the area's support channel (cards/daily-summary.json). */
import { plural } from '../domain/calendar';
import type { DaySummary } from '../domain/daily-summary';
import { dateLabel } from './huddle.card';
import { bindCard } from './template';

export function dailySummaryCard(summary: DaySummary, areaName: string, date: string): Record<string, unknown> {
  const homes = (n: number) => plural(n, 'home');
  return bindCard('daily-summary', {
    ...summary,
    areaName,
    dateLabel: dateLabel(date),
    missingCount: summary.missing.length,
    submittedLine: `Submitted ${summary.submitted} of ${homes(summary.expected)} (${summary.completion}).`,
    redLabel: homes(summary.red),
    amberLabel: homes(summary.amber),
    greenLabel: homes(summary.green),
    missingLabel: homes(summary.missing.length),
  });
}
