/** One app instance of the fan-out bench: delivers one occurrence to N recipients, then exits. */
import { randomUUID } from 'node:crypto';
import { defaultDurableOptions } from '../../src/delivery/durable';
import { deliver, deliveryOptions, type Recipient } from '../../src/delivery/deliver';
import { startHost } from '../../src/host';

async function main(): Promise<void> {
  const { BENCH_CONNECTOR: connector, BENCH_RUN: run, BENCH_RECIPIENTS } = process.env;
  const total = Number(BENCH_RECIPIENTS ?? 2000);
  deliveryOptions.current = { ...defaultDurableOptions(), visibilityMs: 5000, leaseMs: 5000, pollMs: 200, ...(process.env.BENCH_WORKERS ? { workers: Number(process.env.BENCH_WORKERS) } : {}), instance: `${process.pid}-${randomUUID().slice(0, 6)}` };
  const host = await startHost({ env: process.env, port: 0 });
  const recipients: Recipient[] = Array.from({ length: total }, (_, i) => ({
    key: `user:${run}-${i}`,
    kind: 'user',
    conversationKey: `${run}-${i}`,
    reference: { serviceUrl: connector!, channelId: 'msteams', conversation: { id: `${run}-conv-${i}` }, bot: { id: 'bench-bot' } },
    message: { text: `Reminder ${i}: the huddle for your home is due today.` },
  }));
  const report = await deliver(host.ctx, { job: 'bench-fanout', area: 'bench', date: run! }, recipients, ({ done }) => {
    if (done % 200 === 0) process.stderr.write(`[${process.pid}] ${done}\n`);
  });
  process.stdout.write(`${JSON.stringify({ sent: report.sent, stale: report.stale, failed: report.failed, skipped: report.skipped })}\n`);
  await host.stop();
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`worker failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
