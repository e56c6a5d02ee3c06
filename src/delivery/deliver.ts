/**
 * Every proactive message of a job goes through here: one item per recipient, each outcome counted.
 * A 403/404 marks the recipient's reference stale (blocked, app removed, conversation gone).
 */
import type { AppContext } from '../context';
import { drain, prepare, reportOf } from './durable';
import { defaultDurableOptions, deliveryOptions } from './options';
import type { DeliveryReport, OccurrenceId, Progress, Recipient } from './types';

export type { DeliveryOutcome, DeliveryReport, OccurrenceId, Recipient } from './types';
export { deliveryOptions } from './options';

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
