/** The weekly digest end to end: a week of answers in the agreed `huddles` shape, the job over HTTP, the cards at the connector. */
import { storedAnswerRow } from './harness/answers';
import { SendError } from '../src/messaging';
import { DigestsTable } from '../src/storage/digests.table';
import { personalChat } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const KEY = 'digest-test-key-0123456789abcdefghij';
const WEEK = ['16', '17', '18', '19', '20', '21', '22'].map((d) => `2026-11-${d}`);
const PREVIOUS = ['09', '10', '11', '12', '13', '14', '15'].map((d) => `2026-11-${d}`);
const PKC = ['pkc-birchwood', 'pkc-tayview', 'pkc-kinnoull', 'pkc-balhousie', 'pkc-craigie', 'pkc-loch-leven'];

let t: TestHost;
let now = new Date('2026-11-23T09:30:00Z');
beforeAll(async () => {
  t = await startTestHost({ clock: () => now, env: { JOBS_API_KEY: KEY } });
});
afterAll(() => t.stop());

const runJob = async (body: object) => {
  const res = await fetch(`${t.host.url}/api/jobs/weekly-digest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { sent: number; skipped: number; failed: number; details: { officer?: string; outcome?: string; note?: string }[] } };
};

/** A stored answer as the huddle feature writes it (§3 fields; reasons as JSON). */
const answer = storedAnswerRow;

describe('weekly digest', () => {
  beforeAll(async () => {
    const huddles = t.host.storage.table('huddles');
    const rows = [
      // Kinnoull never answers; Tayview misses the weekend; Birchwood is red on Monday with a private note.
      ...PKC.filter((h) => h !== 'pkc-kinnoull').flatMap((h) => WEEK.filter((d, i) => h !== 'pkc-tayview' || i < 5).map((d) => answer(h, d))),
      ...PKC.flatMap((h) => PREVIOUS.map((d) => answer(h, d))),
    ];
    rows[0] = answer('pkc-birchwood', WEEK[0], { rag: 'red', reasons: JSON.stringify(['Staffing is red']), staffingRag: 'red', concern: 'PRIVATE-NOTE-Mrs-Smith' });
    for (let i = 0; i < rows.length; i += 100) await huddles.submitTransaction(rows.slice(i, i + 100).map((r) => ['create', r]));
    await t.host.storage.table('escalations').createEntity({
      partitionKey: 'pkc', rowKey: 'esc-e2e', homeId: 'pkc-birchwood', state: 'open', trigger: 'huddle', openedAt: '2026-11-16T09:45:00.000Z',
      openedBy: 'manager@home.example', openedFor: '2026-11-16', reasons: '[]', daysRed: 1, lastRedDate: '2026-11-16', version: 2, owner: 'iain.shaw@nhs.example', updatedAt: '2026-11-16T10:00:00.000Z',
    });
    await t.host.storage.table('actions').createEntity({ partitionKey: 'pkc-birchwood', rowKey: 'action_2.001', theme: 2, seq: 1, no: '2.1', status: 'open', onTarget: true, due: '2026-11-20' });
  });

  it('skips a chief officer who has not installed the app, without claiming their digest', async () => {
    const { status, body } = await runJob({ area: 'pkc', date: '2026-11-23' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ sent: 0, skipped: 2 });
    expect(body.details[0].note).toContain('has not installed');
  });

  it('sends one card to every chief officer of the area, 1:1, for the week that ended', async () => {
    const ann = t.user('ann.ross@council.example');
    const john = t.user('john.fraser@nhs.example');
    await t.teams.install(ann);
    await t.teams.install(john);
    t.connector.clear();

    const { status, body } = await runJob({ area: 'pkc', date: '2026-11-23' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ sent: 2, skipped: 0, failed: 0 });
    for (const who of [ann, john]) {
      const cards = t.connector.cardsTo(personalChat(who).id);
      expect(cards).toHaveLength(1);
      const text = JSON.stringify(cards[0]);
      expect(text).toContain('Weekly digest: Perth and Kinross');
      expect(text).toContain('Week of Monday 16 November to Sunday 22 November 2026');
      // 5 homes × 7 days − Tayview's weekend = 33 of 42; the week before 42 of 42
      expect(text).toContain('79%');
      expect(text).toContain('Down 21.4 points on the week before (100%, 42 of 42)');
      expect(text).toContain('Birchwood House, Red on Mon 16 Nov: Staffing is red');
      expect(text).toContain('Birchwood House: Open, owner Iain Shaw, open 6 days');
      expect(text).toContain('Birchwood House: action 2.1, due Fri 20 Nov');
      expect(text).not.toContain('PRIVATE-NOTE');
    }
    expect(t.connector.cardsTo(personalChat(t.user('moira.hendry@dg.example')).id)).toHaveLength(0);
  });

  it('sends nothing at a second run, nor at a run later in the same week', async () => {
    t.connector.clear();
    const again = await runJob({ area: 'pkc', date: '2026-11-23' });
    expect(again.body).toMatchObject({ sent: 0, skipped: 2 });
    expect(again.body.details.map((d) => d.note)).toEqual(['already sent', 'already sent']);
    const later = await runJob({ area: 'pkc', date: '2026-11-26' });
    expect(later.body).toMatchObject({ sent: 0, skipped: 2 });
    expect(t.connector.recorded.filter((r) => r.kind === 'send')).toHaveLength(0);
  });

  it('refuses a week that has not ended, with a clear message, and does not count it as that week\'s send', async () => {
    now = new Date('2026-11-27T10:00:00Z'); // Friday: the week of 23 November is still running
    t.connector.clear();
    const { status, body } = await runJob({ area: 'pkc', date: '2026-11-30' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ sent: 0, failed: 0 });
    expect(body.details).toEqual([expect.objectContaining({ outcome: 'refused', note: expect.stringContaining('The week 2026-11-23 to 2026-11-29 has not ended yet') })]);
    expect(body.details[0].note).toContain("the week's one send is still to come");
    expect(t.connector.cardsTo(personalChat(t.user('ann.ross@council.example')).id)).toHaveLength(0);
    const claims = new DigestsTable(t.host.storage.table('digests'));
    expect(await claims.get('pkc', '2026-11-23', t.user('ann.ross@council.example').aadObjectId)).toBeUndefined();
  });

  it('sends each officer one card when two runs for a new week start at once', async () => {
    now = new Date('2026-11-30T09:30:00Z'); // the week refused above has ended: its one send is still there
    t.connector.clear();
    const [a, b] = await Promise.all([runJob({ area: 'pkc', date: '2026-11-30' }), runJob({ area: 'pkc', date: '2026-11-30' })]);
    expect(a.body.sent + b.body.sent).toBe(2);
    expect(t.connector.cardsTo(personalChat(t.user('ann.ross@council.example')).id)).toHaveLength(1);
    expect(t.connector.cardsTo(personalChat(t.user('john.fraser@nhs.example')).id)).toHaveLength(1);
  });

  it('never resends a digest claimed by a run that crashed before the send (at most once)', async () => {
    const ann = t.user('ann.ross@council.example');
    const claims = new DigestsTable(t.host.storage.table('digests'));
    now = new Date('2026-12-14T09:30:00Z');
    await claims.claim('pkc', { weekStart: '2026-12-07', weekEnd: '2026-12-13', officer: 'ann.ross@council.example', objectId: ann.aadObjectId, claimedAt: '2026-12-14T08:00:01.000Z' });
    t.connector.clear();
    const { body } = await runJob({ area: 'pkc', date: '2026-12-14' });
    expect(body).toMatchObject({ sent: 1, skipped: 1 });
    expect(body.details.find((d) => d.officer === 'ann.ross@council.example')?.note).toBe('claimed earlier (claimed), not sent again');
    expect(t.connector.cardsTo(personalChat(ann).id)).toHaveLength(0);
    expect((await claims.get('pkc', '2026-12-07', t.user('john.fraser@nhs.example').aadObjectId))?.state).toBe('sent');
  });

  it('gives the claim back when Teams refuses the send, so a later run delivers it once', async () => {
    // The connector's refusal as the Messenger reports it (SendError with the HTTP status), once, for Ann.
    const ann = t.user('ann.ross@council.example');
    const real = t.host.ctx.messenger!;
    let refuse = true;
    t.host.ctx.messenger = {
      send: async (ref, message) => {
        if (refuse && ref.conversation.id === personalChat(ann).id) {
          refuse = false;
          throw new SendError(400, 'connector answered 400');
        }
        return real.send(ref, message);
      },
      update: (ref, id, message) => real.update(ref, id, message),
    };
    now = new Date('2026-12-21T09:30:00Z');
    try {
      t.connector.clear();
      const first = await runJob({ area: 'pkc', date: '2026-12-21' });
      expect(first.body).toMatchObject({ sent: 1, failed: 1 });
      const second = await runJob({ area: 'pkc', date: '2026-12-21' });
      expect(second.body).toMatchObject({ sent: 1, skipped: 1 });
      expect(t.connector.cardsTo(personalChat(ann).id)).toHaveLength(1);
      expect(t.connector.cardsTo(personalChat(t.user('john.fraser@nhs.example')).id)).toHaveLength(1);
    } finally {
      t.host.ctx.messenger = real;
    }
  });
});
