/**
 * Every proactive message of a job goes through here: one item per recipient, each outcome counted.
 * A 403/404 marks the recipient's reference stale (blocked, app removed, conversation gone).
 */
import type { AppContext } from '../context';
import { defaultDurableOptions, drain, prepare, reportOf, type DurableOptions } from '../delivery/durable';
import { Sender } from '../delivery/sender';
import { SharedLimits } from '../delivery/shared-limits';
import { SendersTable } from '../storage/senders.table';
import type { OutgoingMessage } from '../messaging';
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

/**
 * One sender per process (per context): its throttle and windows are shared by every job, and through
 * Table storage with the other instances sending (the tenant rate split between them, a 429 pausing all).
 */
const senders = new WeakMap<AppContext, Sender>();
export function senderOf(ctx: AppContext): Sender {
  let s = senders.get(ctx);
  if (!s) {
    const opts = (deliveryOptions.current ??= defaultDurableOptions());
    const shared = new SharedLimits(new SendersTable(ctx.storage), opts.instance);
    senders.set(ctx, (s = new Sender({ ratePerSecond: ctx.config.SEND_RATE_PER_SECOND, shared })));
  }
  return s;
}

/** Sends one recipient's message with the sender's limits and retries; marks 403/404 stale. */
export async function sendOne(ctx: AppContext, occurrence: OccurrenceId, r: Pick<Recipient, 'key' | 'kind' | 'conversationKey' | 'reference' | 'message'>): Promise<DeliveryOutcome> {
  const messenger = ctx.messenger;
  if (!messenger) throw new Error('no messenger: the Teams adapter is not set up');
  const result = await senderOf(ctx).send(r.reference.conversation.id, () => messenger.send(r.reference, r.message));
  if (result.outcome === 'sent') return { key: r.key, outcome: 'sent', activityId: result.activityId };
  if (result.outcome === 'stale') {
    // the outcome stands even if the reference row is gone or storage blinks: never resend a 403/404
    await ctx.conversations.markStale(r.kind, r.conversationKey, `connector answered ${result.status}`, ctx.clock()).catch((e: { statusCode?: number }) =>
      ctx.log.warn({ job: occurrence.job, area: occurrence.area, status: e?.statusCode }, 'could not mark the reference stale'),
    );
    return { key: r.key, outcome: 'stale', status: result.status };
  }
  ctx.log.warn({ job: occurrence.job, area: occurrence.area, date: occurrence.date, status: result.status, tries: result.tries }, 'send failed');
  return { key: r.key, outcome: 'failed', status: result.status };
}

/** Tests and the bench tune these (short visibility, few dequeues); the app keeps the defaults. */
export const deliveryOptions: { current?: DurableOptions } = {};

/**
 * Prepare (once per occurrence, under a Table lease), send what the occurrence's queue holds, and
 * answer the recorded outcomes of the recipients named (whichever instance or run sent them). A re-run sends only rows not yet sent.
 */
export async function deliver(ctx: AppContext, occurrence: OccurrenceId, recipients: Recipient[], progress: Progress = () => undefined): Promise<DeliveryReport> {
  if (!ctx.messenger) throw new Error('no messenger: the Teams adapter is not set up');
  const opts = (deliveryOptions.current ??= defaultDurableOptions());
  await prepare(ctx, occurrence, recipients, opts);
  await drain(ctx, occurrence, opts, (e) => progress({ done: e.done, total: recipients.length }));
  const report = await reportOf(ctx, occurrence, new Set(recipients.map((r) => r.key)));
  progress({ done: report.outcomes.length, total: recipients.length });
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
