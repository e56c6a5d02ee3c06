/**
 * Prepare and send as two steps. Preparing writes one row per recipient and one queue message per row,
 * under a Table lease; sending takes queue messages, claims the row (ETag), sends, records the outcome
 * on the row and only then deletes the queue message. A crash repeats at most the rows claimed and in
 * flight at that moment (their claim runs out and they are sent again); it never loses one, because a
 * queue message is deleted only after its row holds a final outcome.
 */
import type { AppContext } from '../context';
import { track } from '../telemetry';
import { FINAL, occurrenceKey } from '../storage/deliveries.table';
import type { DurableOptions } from './options';
import { sendOne } from './send-one';
import type { DeliveryOutcome, DeliveryReport, OccurrenceId, Progress, Recipient } from './types';

export { defaultDurableOptions, type DurableOptions } from './options';

interface Body {
  key: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const encode = (b: Body) => Buffer.from(JSON.stringify(b)).toString('base64');
const decode = (s: string): Body => JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as Body;

async function inParallel<T>(items: T[], width: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Writes the rows and queue messages once per occurrence; answers when the occurrence is prepared (by anyone). */
export async function prepare(ctx: AppContext, occ: OccurrenceId, recipients: Recipient[], opts: DurableOptions): Promise<void> {
  const table = ctx.deliveries;
  const key = occurrenceKey(occ);
  const queue = ctx.queues.of(occ);
  await queue.createIfNotExists();
  await ctx.queues.poisonOf(occ).createIfNotExists();
  for (;;) {
    if (await table.acquireLease(key, opts.instance, Date.now(), opts.leaseMs)) break;
    const lease = await table.lease(key);
    if (lease?.prepared) return reopen(ctx, occ, recipients);
    await sleep(opts.pollMs);
  }
  // keep the lease while preparing, so that a long prepare is not taken over (and enqueued twice)
  const renew = setInterval(() => void table.renewLease(key, opts.instance, Date.now() + opts.leaseMs).catch(() => undefined), opts.leaseMs / 3);
  try {
    await table.addAll(
      key,
      recipients.map((r) => ({ key: r.key, kind: r.kind, conversationKey: r.conversationKey, reference: r.reference, message: r.message })),
    );
    // enqueue every row not yet final (a preparer that crashed may have enqueued some: the row claim stops a second send)
    const open = (await table.all(key)).filter((row) => !FINAL.includes(row.state));
    await inParallel(open, 16, (row) => queue.sendMessage(encode({ key: row.key }), { messageTimeToLive: -1 }));
    await table.markPrepared(key, opts.instance, recipients.length);
  } finally {
    clearInterval(renew);
  }
}

/**
 * A re-run gives the failed and stale rows of the recipients it names another go, with their current
 * reference (a stale chat that spoke to the bot again is fresh); sent rows stay sent.
 */
async function reopen(ctx: AppContext, occ: OccurrenceId, recipients: Recipient[]): Promise<void> {
  const table = ctx.deliveries;
  const key = occurrenceKey(occ);
  const queue = ctx.queues.of(occ);
  const named = new Map(recipients.map((r) => [r.key, r]));
  for (const row of await table.all(key)) {
    const now = named.get(row.key);
    if (now && (row.state === 'failed' || row.state === 'stale') && (await table.reopen(key, row, now.reference))) {
      await queue.sendMessage(encode({ key: row.key }), { messageTimeToLive: -1 });
    }
  }
  // recipients new to this run
  const known = new Set((await table.all(key)).map((r) => r.key));
  for (const r of recipients) {
    if (known.has(r.key)) continue;
    await table.add(key, { key: r.key, kind: r.kind, conversationKey: r.conversationKey, reference: r.reference, message: r.message });
    await queue.sendMessage(encode({ key: r.key }), { messageTimeToLive: -1 });
  }
}

/** Sends the occurrence's queued items until every row is final. */
export async function drain(ctx: AppContext, occ: OccurrenceId, opts: DurableOptions, progress: Progress = () => undefined): Promise<void> {
  const table = ctx.deliveries;
  const key = occurrenceKey(occ);
  const queue = ctx.queues.of(occ);
  const poison = ctx.queues.poisonOf(occ);
  const visibility = Math.max(1, Math.ceil(opts.visibilityMs / 1000));
  let done = 0;

  const handle = async (m: { messageId: string; popReceipt: string; messageText: string; dequeueCount: number }) => {
    const { key: rk } = decode(m.messageText);
    const row = await table.get(key, rk);
    if (!row || FINAL.includes(row.state)) return void (await queue.deleteMessage(m.messageId, m.popReceipt));
    if (m.dequeueCount > opts.maxDequeues) {
      await table.record(key, rk, { state: 'failed', status: 0, tries: row.tries, at: ctx.clock() });
      await poison.sendMessage(m.messageText, { messageTimeToLive: -1 });
      ctx.log.warn({ job: occ.job, area: occ.area, date: occ.date, dequeues: m.dequeueCount, code: 'DELIVERY.POISONED' }, 'delivery poisoned');
      track('DELIVERY.POISONED', { job: occ.job, area: occ.area, date: occ.date, attempts: m.dequeueCount });
      return void (await queue.deleteMessage(m.messageId, m.popReceipt));
    }
    // another instance holds it (a duplicate queue message): leave ours to reappear
    if (row.state === 'sending' && (row.claimUntil ?? 0) > Date.now()) return;
    if (!(await table.claim(key, row, Date.now() + opts.visibilityMs))) return;
    const outcome: DeliveryOutcome = await sendOne(ctx, occ, row);
    await table.record(key, rk, { state: outcome.outcome === 'skipped' ? 'failed' : outcome.outcome, activityId: outcome.activityId, status: outcome.status, at: ctx.clock() });
    await queue.deleteMessage(m.messageId, m.popReceipt);
    progress({ done: ++done, total: 0 });
  };

  const inFlight = new Set<Promise<void>>();
  for (;;) {
    const room = opts.workers - inFlight.size;
    const got = room > 0 ? (await queue.receiveMessages({ numberOfMessages: Math.min(32, room), visibilityTimeout: visibility })).receivedMessageItems : [];
    for (const m of got) {
      const p = handle(m)
        .catch((e) => ctx.log.error({ job: occ.job, area: occ.area, date: occ.date, err: (e as Error).message }, 'delivery item failed; it will reappear'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (got.length === 0) {
      if (inFlight.size) {
        await Promise.race(inFlight);
        continue;
      }
      const open = (await table.all(key)).filter((r) => !FINAL.includes(r.state));
      if (open.length === 0) return;
      await sleep(opts.pollMs);
    } else if (inFlight.size >= opts.workers) {
      await Promise.race(inFlight);
    }
  }
}

/** The occurrence's outcomes as recorded (whoever sent them). */
export async function reportOf(ctx: AppContext, occ: OccurrenceId, only?: Set<string>): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, skipped: 0, stale: 0, failed: 0, outcomes: [] };
  for (const r of await ctx.deliveries.all(occurrenceKey(occ))) {
    if (only && !only.has(r.key)) continue;
    const outcome = r.state === 'sent' || r.state === 'stale' || r.state === 'failed' ? r.state : 'skipped';
    report[outcome]++;
    report.outcomes.push({ key: r.key, outcome, ...(r.activityId ? { activityId: r.activityId } : {}), ...(r.status ? { status: r.status } : {}) });
  }
  return report;
}
