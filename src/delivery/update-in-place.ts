/**
 * A job message posted once a day and kept current (the daily summary): when the occurrence already
 * holds a sent row for the recipient, the same Teams message is replaced in place rather than posted
 * again. The row's activity id is the message's memory, per job, area and date.
 */
import type { AppContext } from '../context';
import { occurrenceKey } from '../storage/deliveries.table';
import { messageGone, senderOf, sendOne } from './send-one';
import type { DeliveryOutcome, OccurrenceId, Recipient } from './types';

/** The message an earlier run of the occurrence posted to this recipient, in the same conversation: its activity id, or nothing. */
export async function postedEarlier(ctx: AppContext, occ: OccurrenceId, r: Pick<Recipient, 'key' | 'conversationKey'>): Promise<string | undefined> {
  const row = await ctx.deliveries.get(occurrenceKey(occ), r.key);
  return row?.state === 'sent' && row.activityId && row.conversationKey === r.conversationKey ? row.activityId : undefined;
}

/** Replaces the earlier message with this one, with the shared sender's limits and retries. */
export async function updateInPlace(ctx: AppContext, occ: OccurrenceId, r: Recipient, activityId: string): Promise<DeliveryOutcome> {
  const messenger = ctx.messenger;
  if (!messenger) throw new Error('no messenger: the Teams adapter is not set up');
  const result = await senderOf(ctx).send(r.reference.conversation.id, async () => (await messenger.update(r.reference, activityId, r.message), { activityId }));
  if (result.outcome === 'sent') return { key: r.key, outcome: 'sent', activityId };
  if (messageGone(result)) {
    // The earlier message is gone (deleted in the channel): the summary is posted again, and remembered as the day's.
    const again = await sendOne(ctx, occ, r);
    if (again.outcome === 'sent') {
      await ctx.deliveries.record(occurrenceKey(occ), r.key, { state: 'sent', activityId: again.activityId, at: ctx.clock() });
      ctx.log.warn({ job: occ.job, area: occ.area, date: occ.date, code: 'DELIVERY.REPOSTED' }, 'the earlier message was gone: posted again');
      return again;
    }
  }
  ctx.log.warn({ job: occ.job, area: occ.area, date: occ.date, status: result.status }, 'update in place failed');
  return { key: r.key, outcome: result.outcome, status: result.status };
}
