import { drain, prepare, defaultDurableOptions, type DurableOptions } from '../src/delivery/durable';
import { deliver, deliveryOptions, type OccurrenceId } from '../src/delivery/deliver';
import { occurrenceKey } from '../src/storage/deliveries.table';
import { testRecipients } from './harness/recipients';
import { startTestHost, type TestHost } from './harness/test-host';

let t: TestHost;
const opts = (extra: Partial<DurableOptions> = {}): DurableOptions => ({ ...defaultDurableOptions(), visibilityMs: 2000, pollMs: 50, leaseMs: 2000, ...extra });
beforeAll(async () => {
  t = await startTestHost({ directory: null });
  deliveryOptions.current = opts();
});
afterAll(() => t.stop());
beforeEach(() => {
  t.connector.clear();
  t.connector.attempts.length = 0;
});

let n = 0;
const occurrence = (): OccurrenceId => ({ job: 'test-job', area: 'pkc', date: `2026-11-${String(++n).padStart(2, '0')}` });
const recipients = (count: number, prefix = 'c') => testRecipients(t.connector.url, count, prefix);
const perConversation = () => {
  const m = new Map<string, number>();
  for (const r of t.connector.recorded) m.set(r.conversationId, (m.get(r.conversationId) ?? 0) + 1);
  return [...m.values()];
};

describe('durable delivery', () => {
  it('sends each recipient once, records activity ids, and a re-run sends nothing twice', async () => {
    const occ = occurrence();
    const report = await deliver(t.host.ctx, occ, recipients(12, 'a'));
    expect(report).toMatchObject({ sent: 12, stale: 0, failed: 0 });
    expect(report.outcomes.every((o) => o.activityId?.startsWith('act-'))).toBe(true);
    const again = await deliver(t.host.ctx, occ, recipients(12, 'a'));
    expect(again.sent).toBe(12);
    expect(t.connector.recorded).toHaveLength(12);
    expect(perConversation().every((c) => c === 1)).toBe(true);
  });

  it('a large card is split across properties and arrives whole', async () => {
    const occ = occurrence();
    const big = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(70_000) }] };
    const [r] = recipients(1, 'big');
    await deliver(t.host.ctx, occ, [{ ...r, message: { card: big } }]);
    expect(t.connector.cardsTo('big-conv-0')[0].body[0].text).toHaveLength(70_000);
  });

  it('two concurrent deliver() of one occurrence send each message once', async () => {
    const occ = occurrence();
    const [a, b] = await Promise.all([deliver(t.host.ctx, occ, recipients(20, 'b')), deliver(t.host.ctx, occ, recipients(20, 'b'))]);
    expect(a.sent).toBe(20);
    expect(b.sent).toBe(20);
    expect(t.connector.recorded).toHaveLength(20);
    expect(perConversation().every((c) => c === 1)).toBe(true);
  });

  it('one instance holds the preparing lease; another takes it only after it runs out', async () => {
    const table = t.host.ctx.deliveries;
    const key = occurrenceKey(occurrence());
    const now = Date.now();
    expect(await table.acquireLease(key, 'one', now, 1000)).toBe(true);
    expect(await table.acquireLease(key, 'two', now, 1000)).toBe(false);
    expect(await table.acquireLease(key, 'two', now + 1500, 1000)).toBe(true);
    expect(await table.acquireLease(key, 'one', now + 1600, 1000)).toBe(false);
    await table.markPrepared(key, 'two', 0);
    expect(await table.acquireLease(key, 'three', now + 5000, 1000)).toBe(false);
  });

  it('403/404 are recorded stale; a re-run naming them (fresh reference) and the failed one tries again, never a sent one', async () => {
    const occ = occurrence();
    t.connector.fail({ status: 404, conversationId: 's-conv-0' });
    t.connector.fail({ status: 400, conversationId: 's-conv-1' });
    const report = await deliver(t.host.ctx, occ, recipients(3, 's'));
    expect(report).toMatchObject({ sent: 1, stale: 1, failed: 1 });
    expect(report.outcomes.find((o) => o.key === 'user:s1')).toMatchObject({ outcome: 'failed', status: 400 });
    const again = await deliver(t.host.ctx, occ, recipients(3, 's'));
    expect(again).toMatchObject({ sent: 3, stale: 0, failed: 0 });
    expect(t.connector.attempts.map((a) => a.conversationId).sort()).toEqual(['s-conv-0', 's-conv-0', 's-conv-1', 's-conv-1', 's-conv-2']);
  });

  it('a message dequeued too often goes to the poison queue and its row is failed, unsent', async () => {
    const occ = occurrence();
    const o = opts({ maxDequeues: 2, visibilityMs: 1000 });
    await prepare(t.host.ctx, occ, recipients(1, 'p'), o);
    const queue = t.host.ctx.queues.of(occ);
    for (let i = 0; i < 2; i++) {
      const got = await queue.receiveMessages({ visibilityTimeout: 1 });
      expect(got.receivedMessageItems).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1100));
    }
    await drain(t.host.ctx, occ, o);
    expect(t.connector.recorded).toHaveLength(0);
    const [row] = await t.host.ctx.deliveries.all(occurrenceKey(occ));
    expect(row.state).toBe('failed');
    const poisoned = await t.host.ctx.queues.poisonOf(occ).peekMessages();
    expect(poisoned.peekedMessageItems).toHaveLength(1);
  });

  it('after a crash, a row claimed but not recorded is sent again once its claim runs out (the in-flight window)', async () => {
    const occ = occurrence();
    const o = opts({ visibilityMs: 1000 });
    await prepare(t.host.ctx, occ, recipients(3, 'k'), o);
    // the crashed instance: took one message and claimed its row, then died before recording
    const queue = t.host.ctx.queues.of(occ);
    const [m] = (await queue.receiveMessages({ visibilityTimeout: 1 })).receivedMessageItems;
    const table = t.host.ctx.deliveries;
    const key = occurrenceKey(occ);
    const row = (await table.get(key, JSON.parse(Buffer.from(m.messageText, 'base64').toString()).key))!;
    expect(await table.claim(key, row, Date.now() + 1000)).toBe(true);
    await drain(t.host.ctx, occ, o);
    expect(t.connector.recorded).toHaveLength(3);
    expect((await table.all(key)).every((r) => r.state === 'sent')).toBe(true);
  });
});
