/**
 * R3: property-based fuzzing of every card verb through the real HTTP endpoint. Each payload is
 * invalid by construction (a wrong type, a refused value, a forged home, or no data), and must get
 * a clear answer: no crash, no 5xx, and nothing written. FUZZ_RUNS sets the count (npm run fuzz: 10,000).
 */
import fc from 'fast-check';
import type { TableName } from '../src/storage/table-names';
import { TABLE_NAMES } from '../src/storage/table-names';
import { VERBS } from '../src/teams/verbs';
import { personalChat, channel, type Conversation, type TeamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);

/** Every Action.Execute verb and the fields its card sends: the app's own list. */
const VERB_NAMES = Object.keys(VERBS);

/** Tables a refused card action must leave as they were (conversations are refreshed by any activity). */
const WATCHED: TableName[] = TABLE_NAMES.filter((t) => t !== 'conversations');

const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom("' or PartitionKey ne '", "x' or RowKey gt '", '%27%20or%201%20eq%201', '\u0000\u202e\ud800', '${homeId}', '<at>bot</at>', '0123456789', '🙂'.repeat(200), 'ongoing'),
  fc.string({ minLength: 3000, maxLength: 6000 }),
);
const anyValue = fc.oneof(oddText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
/** A home the sender may not touch or that does not exist: forged ids never pass the role check. */
const foreignHome = fc.oneof(fc.constantFrom('dg-solway', 'pkc-kinnoull', 'nowhere', "pkc-birchwood' or '1' eq '1"), anyValue);

/** Every row of every watched table, entity by entity (ETag and Timestamp included: a rewrite of the same values shows). */
async function snapshot(t: TestHost): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of WATCHED) {
    const rows: unknown[] = [];
    for await (const e of t.host.storage.table(name).listEntities()) rows.push(e);
    out[name] = rows;
  }
  return out;
}

const HOMES: Record<string, string> = { 'dg-solway': 'Solway Shore', 'pkc-kinnoull': 'Kinnoull Court' };

/**
 * The refusal each payload must get, by construction: Morag manages Birchwood House only, so a real home of
 * hers is never named except in the action.create case, whose due date "ongoing" is always refused.
 */
function expectedRefusal(verb: string, data: Record<string, unknown> | undefined, ownHome: boolean): RegExp {
  const homeId = data?.homeId;
  const foreign = typeof homeId === 'string' ? HOMES[homeId] : undefined;
  const family = verb.split('.')[0];
  if (family === 'huddle') return foreign ? new RegExp(`Only the managers of ${foreign} can answer its huddle\\. Nothing was saved\\.`) : /This card names no home in the directory\. Type \*\*huddle\*\* for a new card\. Nothing was saved\./;
  if (family === 'action' || family === 'plan') {
    if (ownHome) return /"style":"attention","items":\[\{"type":"TextBlock","text":"[^]*? Nothing was changed\."/;
    return foreign ? new RegExp(`Only the support team of the area and the managers of ${foreign} can change its plan\\. Nothing was changed\\.`) : /This card names no home that is in the directory\./;
  }
  if (family === 'notification') return foreign ? new RegExp(`Only the managers of ${foreign} can record its notifications\\. Nothing was saved\\.`) : /This card names no home in the directory\. Nothing was saved\./;
  if (verb === 'escalation.refresh') return /you cannot see it here/;
  if (verb === 'escalation.raise') {
    if (data?.submitted === undefined) return /"text":"Raise a concern"/;
    return typeof homeId === 'string' ? /Only the managers of [^"]* can raise a concern for it\. Nothing was sent\./ : /Nothing was sent yet\./;
  }
  // the other escalation verbs name no escalation of Morag's areas
  return /"text":"Not changed"/;
}

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.stop());

it(`answers ${RUNS} invalid card actions with a clear error, no 5xx, and writes nothing`, async () => {
  const morag = t.user('morag.reid@birchwood.example');
  const conv: Conversation = channel('fuzz');
  // Her first activity records her Entra object id on her directory row: that write is not the fuzz's.
  await t.teams.message(morag, personalChat(morag), 'help');
  const before = await snapshot(t);
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...VERB_NAMES),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 4 }),
      foreignHome,
      fc.oneof(fc.constant('record'), fc.constant('no-data'), fc.constant('string-data')),
      async (verb, inPersonal, extra, homeId, shape) => {
        const fields = Object.fromEntries(VERBS[verb].fields.filter((f) => f !== 'homeId').map((f) => [f, undefined]));
        const values = fc.sample(fc.record(Object.fromEntries(Object.keys(fields).map((f) => [f, anyValue])), { requiredKeys: [] }), 1)[0];
        // The sender's own home with a due date that is always refused reaches the field validation.
        const ownHome = verb === 'action.create' && typeof homeId === 'number';
        const record = ownHome ? { ...extra, ...values, homeId: 'pkc-birchwood', due: 'ongoing' } : { ...extra, ...values, homeId };
        const data = shape === 'record' ? record : shape === 'string-data' ? "' or PartitionKey ne '" : undefined;
        const who: TeamsUser = morag;
        const answer = await t.teams.invoke(who, inPersonal ? personalChat(who) : conv, verb, data as Record<string, unknown>);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        const body = answer.body as { statusCode?: number; type?: string; value?: unknown };
        expect(body?.statusCode).toBeDefined();
        expect(body.statusCode!).toBeLessThan(500);
        expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
        expect(JSON.stringify(body.value)).toMatch(expectedRefusal(verb, shape === 'record' ? record : undefined, ownHome && shape === 'record'));
      },
    ),
    { numRuns: RUNS, seed: 20261128 },
  );
  expect(await snapshot(t)).toEqual(before);
  expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
}, 600_000);

it('answers malformed invokes (no value, no action, odd verbs) without a 5xx', async () => {
  const morag = t.user('morag.reid@birchwood.example');
  const shapes = [
    {},
    { action: null },
    { action: { type: 'Action.Execute' } },
    { action: { type: 'Action.Execute', verb: 'x'.repeat(5000), data: {} } },
    { action: { type: 'Action.Execute', verb: "' or PartitionKey ne '", data: {} } },
    { action: { type: 'Action.Submit', verb: 'action.create', data: {} } },
  ];
  for (const value of shapes) {
    const answer = await t.teams.post(t.teams.activity(morag, personalChat(morag), { type: 'invoke', name: 'adaptiveCard/action', value }));
    expect(answer.status).toBeLessThan(500);
  }
  const noValue = await t.teams.post(t.teams.activity(morag, personalChat(morag), { type: 'invoke', name: 'adaptiveCard/action' }));
  expect(noValue.status).toBeLessThan(500);
});
