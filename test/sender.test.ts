import { Sender } from '../src/delivery/sender';
import { SharedLimits } from '../src/delivery/shared-limits';
import { SendersTable } from '../src/storage/senders.table';
import type { ConversationRef } from '../src/storage/conversations.table';
import { startTestHost, type TestHost } from './harness/test-host';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ directory: null });
});
afterAll(() => t.stop());
beforeEach(() => {
  t.connector.clear();
  t.connector.attempts.length = 0;
});

const ref = (id: string): ConversationRef => ({ serviceUrl: t.connector.url, channelId: 'msteams', conversation: { id }, bot: { id: 'bot' } });
const sendTo = (sender: Sender, id: string) => sender.send(id, () => t.host.ctx.messenger!.send(ref(id), { text: 'hello' }));
const fast = { ratePerSecond: 50, backoffBaseMs: 20, backoffMaxMs: 80 };

describe('sender rules against the fake connector', () => {
  it('429 with Retry-After pauses every sender at once, then sends once', async () => {
    const s = new Sender(fast);
    t.connector.fail({ status: 429, headers: { 'Retry-After': '1' }, conversationId: 'c-a' });
    const started = Date.now();
    const [a] = await Promise.all([sendTo(s, 'c-a'), new Promise((r) => setTimeout(r, 50)).then(() => sendTo(s, 'c-b'))]);
    expect(a).toMatchObject({ outcome: 'sent', tries: 2 });
    // the connector saw the 429 itself (no hidden SDK retry) and c-b waited out the same pause
    expect(t.connector.attempts.filter((x) => x.conversationId === 'c-a').map((x) => x.status)).toEqual([429, 200]);
    const b = t.connector.attempts.find((x) => x.conversationId === 'c-b')!;
    expect(b.at - started).toBeGreaterThanOrEqual(950);
    expect(t.connector.to('c-a')).toHaveLength(1);
  });

  it.each([412, 502, 503, 504])('retries %i with backoff and sends once', async (status) => {
    const s = new Sender(fast);
    t.connector.fail({ status, times: 2, conversationId: 'c-r' });
    expect(await sendTo(s, 'c-r')).toMatchObject({ outcome: 'sent', tries: 3 });
    expect(t.connector.to('c-r')).toHaveLength(1);
  });

  it.each([403, 404])('%i is stale at once, never retried', async (status) => {
    const s = new Sender(fast);
    t.connector.fail({ status, conversationId: 'c-s' });
    expect(await sendTo(s, 'c-s')).toEqual({ outcome: 'stale', status, tries: 1 });
    expect(t.connector.attempts).toHaveLength(1);
  });

  it('gives up after N tries', async () => {
    const s = new Sender({ ...fast, maxTries: 3 });
    t.connector.fail({ status: 503, times: 10, conversationId: 'c-f' });
    expect(await sendTo(s, 'c-f')).toEqual({ outcome: 'failed', status: 503, tries: 3 });
    expect(t.connector.attempts).toHaveLength(3);
    t.connector.fail({ status: 400, conversationId: 'c-g' });
    expect(await sendTo(s, 'c-g')).toEqual({ outcome: 'failed', status: 400, tries: 1 });
  });

  it('keeps to the per-conversation windows', async () => {
    const s = new Sender({ ...fast, windows: [{ count: 3, ms: 300 }, { count: 4, ms: 600 }] });
    // When the sender lets each request go (arrival times at the connector, in this same busy process, jitter).
    const dispatched: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, () =>
        s.send('c-w', () => {
          dispatched.push(Date.now());
          return t.host.ctx.messenger!.send(ref('c-w'), { text: 'hello' });
        }),
      ),
    );
    expect(t.connector.attempts).toHaveLength(8);
    dispatched.sort((a, b) => a - b);
    for (let i = 3; i < dispatched.length; i++) expect(dispatched[i] - dispatched[i - 3]).toBeGreaterThanOrEqual(300);
    for (let i = 4; i < dispatched.length; i++) expect(dispatched[i] - dispatched[i - 4]).toBeGreaterThanOrEqual(600);
  });

  it('keeps to the tenant-wide rate across conversations', async () => {
    const s = new Sender({ ...fast, ratePerSecond: 20 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 11 }, (_, i) => sendTo(s, `c-t${i}`)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
    expect(t.connector.recorded).toHaveLength(11);
  });
});

describe('limits shared between instances through Table storage', () => {
  let n = 0;
  const instance = () => `test-${process.pid}-${Date.now()}-${n++}`;
  const sharedSender = (rate: number, id = instance(), beatMs = 150) =>
    new Sender({ ...fast, ratePerSecond: rate, shared: new SharedLimits(new SendersTable(t.host.storage), id, { beatMs, liveMs: 600 }) });
  const arrivals = (prefix: string) => t.connector.attempts.filter((a) => a.conversationId.startsWith(prefix)).map((a) => a.at);

  it('splits the tenant rate between the instances sending', async () => {
    const [a, b] = [sharedSender(20), sharedSender(20)];
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => sendTo(a, `c-sa${i}`)),
      ...Array.from({ length: 30 }, (_, i) => sendTo(b, `c-sb${i}`)),
    ]);
    // 60 messages at 20/s between them take about 3 s (each alone at 20/s would take 1.5 s)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2400);
    // and no second held more than the rate, give or take one request an instance (timer jitter), from the start:
    // an instance that starts sending waits a beat, so that neither takes the whole rate while the other starts
    const at = [...arrivals('c-sa'), ...arrivals('c-sb')].sort((x, y) => x - y);
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i] - at[j] >= 1000) j++;
      expect(i - j + 1).toBeLessThanOrEqual(22);
    }
    expect(t.connector.recorded).toHaveLength(60);
  });

  it("pauses every instance for a 429 given to one of them, by the connector's Retry-After", async () => {
    const [a, b] = [sharedSender(50), sharedSender(50)];
    await Promise.all([sendTo(a, 'c-warm-a'), sendTo(b, 'c-warm-b')]); // both known to be sending
    t.connector.fail({ status: 429, headers: { 'Retry-After': '2' }, conversationId: 'c-pa' });
    const sentA = sendTo(a, 'c-pa');
    await new Promise((r) => setTimeout(r, 400)); // b learns of the pause at its next beat
    const sentB = Promise.all(Array.from({ length: 3 }, (_, i) => sendTo(b, `c-pb${i}`)));
    expect(await sentA).toMatchObject({ outcome: 'sent', tries: 2 });
    await sentB;
    const throttledAt = t.connector.attempts.find((x) => x.conversationId === 'c-pa' && x.status === 429)!.at;
    for (const at of arrivals('c-pb')) expect(at - throttledAt).toBeGreaterThanOrEqual(1800);
  });

  it('goes back to the whole rate when the other instance stops sending', async () => {
    const [a, b] = [sharedSender(20), sharedSender(20)];
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all([sendTo(a, 'c-qa'), sendTo(b, 'c-qb')]);
    await pause(200); // a beat: each has seen the other
    await sendTo(a, 'c-qa1');
    expect(a.intervalMs).toBe(100);
    await pause(800); // b quiet for longer than liveMs
    await sendTo(a, 'c-qa2');
    expect(a.intervalMs).toBe(50);
  });
});
