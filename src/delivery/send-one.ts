/** One message to one recipient, with the process's shared sender (limits and retries); a 403/404 marks the reference stale. */
import type { AppContext } from '../context';
import { track } from '../telemetry';
import { defaultDurableOptions, deliveryOptions } from './options';
import { Sender } from './sender';
import { SharedLimits } from './shared-limits';
import type { DeliveryOutcome, OccurrenceId, Recipient } from './types';

/**
 * One sender per process (per context): its throttle and windows are shared by every job, and through
 * Table storage with the other instances sending (the tenant rate split between them, a 429 pausing all).
 */
const senders = new WeakMap<AppContext, Sender>();
export function senderOf(ctx: AppContext): Sender {
  let s = senders.get(ctx);
  if (!s) {
    const opts = (deliveryOptions.current ??= defaultDurableOptions());
    const shared = new SharedLimits(ctx.senders, opts.instance);
    senders.set(ctx, (s = new Sender({ ratePerSecond: ctx.config.SEND_RATE_PER_SECOND, shared })));
  }
  return s;
}

/** An update answered 404: the message it would change is no longer there (deleted), while the conversation is. */
export const messageGone = (r: { outcome: string; status?: number }): boolean => r.outcome === 'stale' && r.status === 404;

/** Sends one recipient's message with the sender's limits and retries; marks 403/404 stale. */
export async function sendOne(ctx: AppContext, occurrence: OccurrenceId, r: Pick<Recipient, 'key' | 'kind' | 'conversationKey' | 'reference' | 'message'>): Promise<DeliveryOutcome> {
  const messenger = ctx.messenger;
  if (!messenger) throw new Error('no messenger: the Teams adapter is not set up');
  const result = await senderOf(ctx).send(r.reference.conversation.id, () => messenger.send(r.reference, r.message));
  if (result.outcome === 'sent') return { key: r.key, outcome: 'sent', activityId: result.activityId };
  if (result.outcome === 'stale') {
    track('REFERENCE.STALE', { kind: r.kind, job: occurrence.job, area: occurrence.area, date: occurrence.date, status: result.status });
    // the outcome stands even if the reference row is gone or storage blinks: never resend a 403/404
    await ctx.conversations.markStale(r.kind, r.conversationKey, `connector answered ${result.status}`, ctx.clock()).catch((e: { statusCode?: number }) =>
      ctx.log.warn({ job: occurrence.job, area: occurrence.area, status: e?.statusCode }, 'could not mark the reference stale'),
    );
    return { key: r.key, outcome: 'stale', status: result.status };
  }
  ctx.log.warn({ job: occurrence.job, area: occurrence.area, date: occurrence.date, status: result.status, tries: result.tries }, 'send failed');
  return { key: r.key, outcome: 'failed', status: result.status };
}
