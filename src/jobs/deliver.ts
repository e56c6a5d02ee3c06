/**
 * Every proactive message of a job goes through here: one item per recipient, each outcome counted.
 * A 403/404 marks the recipient's reference stale (blocked, app removed, conversation gone).
 */
import type { AppContext } from '../context';
import { SendError, type OutgoingMessage } from '../messaging';
import type { ConversationKind, ConversationRef } from '../storage/conversations.table';
import type { JobResult, Progress } from './registry';

export interface Recipient {
  /** unique within the occurrence, e.g. "user:<objectId>:<homeId>" or "channel:<areaId>" */
  key: string;
  /** where the reference is kept, so that a 403/404 can mark it stale */
  kind: ConversationKind;
  conversationKey: string;
  reference: ConversationRef;
  message: OutgoingMessage;
}

/** One run of a job for one area and date. */
export interface OccurrenceId {
  job: string;
  area: string;
  date: string;
}

export interface DeliveryOutcome {
  key: string;
  outcome: 'sent' | 'stale' | 'failed' | 'skipped';
  activityId?: string;
  status?: number;
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  stale: number;
  failed: number;
  outcomes: DeliveryOutcome[];
}

export async function deliver(ctx: AppContext, occurrence: OccurrenceId, recipients: Recipient[], progress: Progress = () => undefined): Promise<DeliveryReport> {
  const messenger = ctx.messenger;
  if (!messenger) throw new Error('no messenger: the Teams adapter is not set up');
  const report: DeliveryReport = { sent: 0, skipped: 0, stale: 0, failed: 0, outcomes: [] };
  for (const r of recipients) {
    try {
      const { activityId } = await messenger.send(r.reference, r.message);
      report.sent++;
      report.outcomes.push({ key: r.key, outcome: 'sent', activityId });
    } catch (e) {
      const status = e instanceof SendError ? e.status : 0;
      if (status === 403 || status === 404) {
        await ctx.conversations.markStale(r.kind, r.conversationKey, `connector answered ${status}`, ctx.clock());
        report.stale++;
        report.outcomes.push({ key: r.key, outcome: 'stale', status });
      } else {
        report.failed++;
        report.outcomes.push({ key: r.key, outcome: 'failed', status });
        ctx.log.warn({ job: occurrence.job, area: occurrence.area, date: occurrence.date, status }, 'send failed');
      }
    }
    progress({ done: report.outcomes.length, total: recipients.length });
  }
  return report;
}

/** Adds a delivery report to a job's result. */
export function addReport(result: JobResult, report: DeliveryReport): JobResult {
  result.sent += report.sent;
  result.skipped += report.skipped;
  result.failed += report.failed;
  result.stale = (result.stale ?? 0) + report.stale;
  return result;
}
