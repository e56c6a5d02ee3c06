import { Sender, type SenderOptions } from '../src/delivery/sender';
import { SharedLimits } from '../src/delivery/shared-limits';
import { SendersTable } from '../src/storage/senders.table';
import type { ConversationRef } from '../src/storage/conversations.table';
import { FakeClock } from './harness/fake-clock';
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
/** Sends on the real clock (the shared-limits tests). */
const sendTo = (sender: Sender, id: string) => sender.send(id, () => t.host.ctx.messenger!.send(ref(id), { text: 'hello' }));
const fast = { ratePerSecond: 50, backoffBaseMs: 20, backoffMaxMs: 80 };

/** A sender on a fake clock, and the virtual time at which it let each request go. */
function onFakeClock(opts: Partial<SenderOptions> = {}) {
  const clock = new FakeClock();
  const sender = new Sender({ ...fast, ...opts, clock });
  const dispatched: { id: string; at: number }[] = [];
  const send = (id: string, onDispatch?: () => void) =>
    sender.send(id, () => {
      dispatched.push({ id, at: clock.now() });
      onDispatch?.();
      return t.host.ctx.messenger!.send(ref(id), { text: 'hello' });
    });
  const times = (id?: string) => dispatched.filter((d) => id === undefined || d.id === id).map((d) => d.at);
  return { clock, sender, send, times };
}
/** Real turns of the event loop until `done()` (the connector answers over real HTTP). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; !done(); i++) {
    if (i > 10_000) throw new Error('gave up waiting');
    await new Promise((r) => setImmediate(r));
  }
}

describe('sender rules against the fake connector, on a fake clock', () => {
  it('429 with Retry-After pauses every send of the sender at once, then sends once', async () => {
    const { clock, sender, send, times } = onFakeClock();
    t.connector.fail({ status: 429, headers: { 'Retry-After': '1' }, conversationId: 'c-a' });
    // Time stands still from c-a's first request until c-b is queued behind the pause c-a was given.
    let release = () => {};
    const a = send('c-a', () => (times('c-a').length === 1 ? (release = clock.hold()) : undefined));
    await until(() => sender.throttledUntil > 0);
    const b = send('c-b');
    await until(() => clock.sleeping === 2);
    release();
    expect(await a).toMatchObject({ outcome: 'sent', tries: 2 });
    expect(await b).toMatchObject({ outcome: 'sent', tries: 1 });
    // the connector saw the 429 itself (no hidden SDK retry), and c-b, queued at the instant of the 429, waited out the same second
    expect(t.connector.attempts.filter((x) => x.conversationId === 'c-a').map((x) => x.status)).toEqual([429, 200]);
    const [throttled, retried] = times('c-a');
    expect(retried - throttled).toBeGreaterThanOrEqual(1000);
    expect(times('c-b')[0] - throttled).toBeGreaterThanOrEqual(1000);
    expect(t.connector.to('c-a')).toHaveLength(1);
  });

  it.each([412, 502, 503, 504])('retries %i with jittered, doubling backoff and sends once', async (status) => {
    // a rate high enough that the waits seen are the backoff's: 10–20 ms, then 20–40 ms
    const { send, times } = onFakeClock({ ratePerSecond: 1000 });
    t.connector.fail({ status, times: 2, conversationId: 'c-r' });
    expect(await send('c-r')).toMatchObject({ outcome: 'sent', tries: 3 });
    const [first, second, third] = times('c-r');
    expect(second - first).toBeGreaterThanOrEqual(10);
    expect(second - first).toBeLessThanOrEqual(21);
    expect(third - second).toBeGreaterThanOrEqual(20);
    expect(third - second).toBeLessThanOrEqual(41);
    expect(t.connector.to('c-r')).toHaveLength(1);
  });

  it.each([403, 404])('%i is stale at once, never retried', async (status) => {
    const { send } = onFakeClock();
    t.connector.fail({ status, conversationId: 'c-s' });
    expect(await send('c-s')).toEqual({ outcome: 'stale', status, tries: 1 });
    expect(t.connector.attempts).toHaveLength(1);
  });

  it('gives up after N tries', async () => {
    const { send } = onFakeClock({ maxTries: 3 });
    t.connector.fail({ status: 503, times: 10, conversationId: 'c-f' });
    expect(await send('c-f')).toEqual({ outcome: 'failed', status: 503, tries: 3 });
    expect(t.connector.attempts).toHaveLength(3);
    t.connector.fail({ status: 400, conversationId: 'c-g' });
    expect(await send('c-g')).toEqual({ outcome: 'failed', status: 400, tries: 1 });
  });

  it('keeps to the per-conversation windows', async () => {
    const { send, times } = onFakeClock({ windows: [{ count: 3, ms: 300 }, { count: 4, ms: 600 }] });
    await Promise.all(Array.from({ length: 8 }, () => send('c-w')));
    expect(t.connector.attempts).toHaveLength(8);
    const at = times('c-w');
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeGreaterThanOrEqual(at[i - 1]);
    for (let i = 3; i < at.length; i++) expect(at[i] - at[i - 3]).toBeGreaterThanOrEqual(300);
    for (let i = 4; i < at.length; i++) expect(at[i] - at[i - 4]).toBeGreaterThanOrEqual(600);
    // and no slower than the windows make it: the eighth goes within two 600 ms windows of the first
    expect(at[7] - at[0]).toBeLessThanOrEqual(1300);
  });

  it('keeps to the tenant-wide rate across conversations', async () => {
    const { send, times } = onFakeClock({ ratePerSecond: 20 });
    await Promise.all(Array.from({ length: 11 }, (_, i) => send(`c-t${i}`)));
    const at = times();
    expect(at).toHaveLength(11);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(50);
    expect(at[10] - at[0]).toBeLessThan(600);
    expect(t.connector.recorded).toHaveLength(11);
  });
});

// These run on the real clock: the instances meet in Table storage, whose timestamps are real time.
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
