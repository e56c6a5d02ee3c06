/**
 * The delivery worker: on every app instance, whatever SCHEDULER says, it sends the send intents the use
 * cases recorded (src/storage/outbox.ts). It is woken when this process records one, and scans every few
 * seconds for the rest (another instance's, or one left by a crash between the write and the send). Each
 * intent is claimed with its ETag, so two instances never send it twice; the card action that recorded it
 * has long answered the person by then.
 */
import type { AppContext } from '../context';
import { track } from '../telemetry';
import type { Outbox, PendingIntent } from '../storage/outbox';
import { FINAL, occurrenceKey } from '../storage/deliveries.table';
import { drain } from './durable';
import { sendIntent, tellUndelivered, type IntentOutcome } from './notices';
import { defaultDurableOptions, deliveryOptions } from './options';

export interface WorkerOptions {
  /** how often the outboxes are scanned without a wake-up */
  scanMs: number;
  /** how long a claimed intent stays with this instance (a crash frees it after this) */
  claimMs: number;
  /** tries before an intent is given up (each try is itself retried by the sender) */
  maxAttempts: number;
  backoffMs: number;
  /** intents sent at once */
  width: number;
  /** how often a job's deliveries left unfinished (its instance crashed) are looked for */
  resumeMs: number;
}

/** The custom events of an intent's last try: an escalation card posted or nobody reached, a send given up, a reference gone stale. */
function trackIntent(intent: PendingIntent['intent'], r: Exclude<IntentOutcome, { outcome: 'busy' }>): void {
  const about =
    intent.kind === 'escalation-card' ? { area: intent.areaId, escalation: intent.escalationId } : intent.kind === 'assigned' ? { home: intent.homeId } : intent.kind === 'daily-summary' ? { area: intent.areaId } : {};
  const code = r.outcome === 'gone' ? r.code : r.outcome === 'retry' ? 'DELIVERY.GAVE_UP' : undefined;
  if (r.outcome === 'gone' && code?.startsWith('DELIVERY.STALE_')) track('REFERENCE.STALE', { intent: intent.kind, ...about, code });
  if (r.outcome === 'retry') track('DELIVERY.POISONED', { intent: intent.kind, ...about, code, status: r.status });
  if (intent.kind === 'escalation-card' && code !== 'ESCALATION.GONE') track(r.outcome === 'done' ? 'ESCALATION.POSTED' : 'ESCALATION.NOT_REACHABLE', { ...about, code });
}

export const defaultWorkerOptions = (): WorkerOptions => ({ scanMs: 3000, claimMs: 120_000, maxAttempts: 5, backoffMs: 5000, width: 16, resumeMs: 60_000 });

export class DeliveryWorker {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastResume = 0;
  private resuming?: Promise<void>;

  /**
   * `chores`: what else must run on every instance beside the sends, each about once a minute (the escalation
   * sweep, the unowned-escalation reminder); given by the host so that delivery never calls a use case itself.
   */
  constructor(
    private readonly ctx: AppContext,
    private readonly opts: WorkerOptions = defaultWorkerOptions(),
    private readonly chores: { name: string; run: () => Promise<unknown> }[] = [],
  ) {}

  private get outboxes(): Outbox[] {
    return [this.ctx.escalations.outbox, this.ctx.actions.outbox, this.ctx.exports.outbox, this.ctx.huddles.outbox];
  }

  start(): this {
    this.timer = setInterval(() => this.wake(), this.opts.scanMs);
    this.timer.unref();
    this.wake();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.pass;
    await this.resuming;
  }

  /** Sends what is due now; a wake-up during a pass runs one more pass after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = (async () => {
      do {
        this.again = false;
        await this.sendDue().catch((e) => this.ctx.log.warn({ err: (e as Error).message, code: 'DELIVERY.SCAN_FAILED' }, 'outbox scan failed; will retry'));
        if (!this.resuming && Date.now() - this.lastResume >= this.opts.resumeMs) {
          this.lastResume = Date.now();
          // beside the passes, not in them: a long job delivery never holds back a card action's intents
          this.resuming = this.choresAndResume()
            .catch((e) => this.ctx.log.warn({ err: (e as Error).message, code: 'DELIVERY.RESUME_FAILED' }, 'job deliveries not resumed; will retry'))
            .finally(() => (this.resuming = undefined));
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.pass = undefined));
  }

  /** Runs the chores and the job-delivery resume now (tests; otherwise about once a minute). */
  async runChores(): Promise<void> {
    await this.resuming;
    this.lastResume = Date.now();
    await this.choresAndResume();
  }

  /** Tests and tools: passes until every outbox is empty (or the time is up). */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.pass;
      const empty = await Promise.all(this.outboxes.map((o) => o.empty()));
      if (empty.every(Boolean)) return;
      if (Date.now() > deadline) {
        const left = (await Promise.all(this.outboxes.map((o) => o.due(Number.MAX_SAFE_INTEGER)))).flat();
        throw new Error(`the outbox did not empty in time: ${left.map((p) => `${p.intent.kind} tried ${p.attempts}`).join(', ')}`);
      }
      this.wake();
      await this.pass;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * A job's messages are prepared rows and a queue (src/delivery/durable.ts), sent by the job itself; when
   * its instance died part way, the rows left unsent (of the last two days' occurrences) are sent from here.
   */
  private async choresAndResume(): Promise<void> {
    for (const chore of this.chores) {
      await chore.run().catch((e) => this.ctx.log.warn({ chore: chore.name, err: (e as Error).message, code: 'DELIVERY.CHORE_FAILED' }, 'chore failed; will retry'));
    }
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    for (const occ of await this.ctx.deliveries.occurrences()) {
      if (occ.date < since || this.stopped) continue;
      const lease = await this.ctx.deliveries.lease(occurrenceKey(occ));
      if (!lease?.prepared) continue;
      const rows = await this.ctx.deliveries.all(occurrenceKey(occ));
      // rows still claimed by a live sender are left to it (drain would wait for them)
      const left = rows.filter((r) => !FINAL.includes(r.state) && !(r.state === 'sending' && (r.claimUntil ?? 0) > Date.now()));
      if (!left.length) continue;
      this.ctx.log.info({ job: occ.job, area: occ.area, date: occ.date, rows: left.length, code: 'DELIVERY.RESUMED' }, 'resuming a job delivery left unfinished');
      await drain(this.ctx, occ, (deliveryOptions.current ??= defaultDurableOptions()));
    }
  }

  private async sendDue(): Promise<void> {
    for (const outbox of this.outboxes) {
      const due = await outbox.due(Date.now());
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(this.opts.width, due.length) }, async () => {
          while (next < due.length) await this.sendOne(outbox, due[next++]);
        }),
      );
    }
  }

  private async sendOne(outbox: Outbox, p: PendingIntent): Promise<void> {
    const claimed = await outbox.claim(p, Date.now() + this.opts.claimMs);
    if (!claimed) return; // another instance has it, or a newer change replaced it
    const log = { intent: p.intent.kind, table: p.table, attempt: p.attempts + 1 };
    try {
      const r = await sendIntent(this.ctx, p.intent);
      // Another sender is posting or updating the same card: this intent waits a moment, not counted as a try.
      if (r.outcome === 'busy') return void (await outbox.retryAt(p, claimed, Date.now() + 250, p.attempts));
      if (r.outcome === 'retry' && p.attempts + 1 < this.opts.maxAttempts) {
        this.ctx.log.warn({ ...log, status: r.status }, 'delivery failed; will retry');
        return void (await outbox.retryAt(p, claimed, Date.now() + this.opts.backoffMs * 2 ** p.attempts, p.attempts + 1));
      }
      trackIntent(p.intent, r);
      if (r.outcome === 'retry') {
        this.ctx.log.error({ ...log, status: r.status, code: 'DELIVERY.GAVE_UP' }, 'delivery given up');
        await tellUndelivered(this.ctx, p.intent);
      }
      if (r.outcome === 'gone') {
        this.ctx.log.warn({ ...log, code: r.code }, 'delivery not possible');
        // The channel refused the card for good (403/404: the app removed, the channel gone): the manager is told as for a give-up.
        if (p.intent.kind === 'escalation-card' && r.code.startsWith('DELIVERY.STALE_')) await tellUndelivered(this.ctx, p.intent);
      }
      await outbox.done(p, claimed);
    } catch (e) {
      this.ctx.log.warn({ ...log, err: (e as Error).message }, 'delivery item failed; will retry');
      await outbox.retryAt(p, claimed, Date.now() + this.opts.backoffMs, p.attempts + 1).catch(() => undefined);
    }
  }
}
