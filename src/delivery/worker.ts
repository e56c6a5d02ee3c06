/**
 * The delivery worker: on every app instance, whatever SCHEDULER says, it sends the send intents the use
 * cases recorded (src/storage/outbox.ts). It is woken when this process records one, and scans every few
 * seconds for the rest (another instance's, or one left by a crash between the write and the send). Each
 * intent is claimed with its ETag, so two instances never send it twice; the card action that recorded it
 * has long answered the person by then.
 */
import type { AppContext } from '../context';
import type { Outbox, PendingIntent } from '../storage/outbox';
import { sendIntent } from './notices';

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
}

export const defaultWorkerOptions = (): WorkerOptions => ({ scanMs: 3000, claimMs: 120_000, maxAttempts: 5, backoffMs: 5000, width: 16 });

export class DeliveryWorker {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly ctx: AppContext, private readonly opts: WorkerOptions = defaultWorkerOptions()) {}

  private get outboxes(): Outbox[] {
    return [this.ctx.escalations.outbox, this.ctx.actions.outbox];
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
      } while (this.again && !this.stopped);
    })().finally(() => (this.pass = undefined));
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
      if (r.outcome === 'retry') this.ctx.log.error({ ...log, status: r.status, code: 'DELIVERY.GAVE_UP' }, 'delivery given up');
      if (r.outcome === 'gone') this.ctx.log.warn({ ...log, code: r.code }, 'delivery not possible');
      await outbox.done(p, claimed);
    } catch (e) {
      this.ctx.log.warn({ ...log, err: (e as Error).message }, 'delivery item failed; will retry');
      await outbox.retryAt(p, claimed, Date.now() + this.opts.backoffMs, p.attempts + 1).catch(() => undefined);
    }
  }
}
