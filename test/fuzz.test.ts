/**
 * R3: property-based fuzzing of every card verb through the real HTTP endpoint. Each payload is
 * invalid by construction (a wrong type, a refused value, a forged home, or no data), and must get
 * a clear answer: no crash, no 5xx, and nothing written. FUZZ_RUNS sets the count (npm run fuzz: 10,000).
 */
import fc from 'fast-check';
import type { TableName } from '../src/storage/table-names';
import { TABLE_NAMES } from '../src/storage/table-names';
import { personalChat, channel, type Conversation, type TeamsUser } from './harness/teams-client';
import { startTestHost, type TestHost } from './harness/test-host';

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);

/** Every Action.Execute verb and the fields its card sends. */
const VERBS: Record<string, string[]> = {
  'action.create': ['homeId', 'theme', 'description', 'outcome', 'responsibleEmail', 'responsibleName', 'due'],
  'action.update': ['homeId', 'actionNo', 'comment_2_1', 'onTarget_2_1', 'due_2_1', 'reason_2_1'],
  'action.complete': ['homeId', 'actionNo', 'comment_2_1'],
  'plan.edit': ['homeId', 'partnershipLead', 'registeredManager', 'serviceType', 'commencementDate', 'reviewDate'],
  'huddle.submit': ['homeId', 'date', 'residents', 'bedsAvailable', 'bedsClosed', 'bedsClosedReason', 'staffingRag', 'shiftsUnfilled', 'nurseCoverGap', 'outbreakStatus', 'careInspectorateNotified', 'ppeSupply', 'unexpectedDeaths', 'deaths', 'visiting', 'supportNeeded', 'concern', 'amendsVersion', 'amendsEtag'],
  'huddle.amend': ['homeId', 'date'],
  'huddle.open': ['homeId', 'date'],
  'escalation.raise': ['homeId', 'concern', 'protection', 'submitted'],
  'escalation.refresh': ['escalationId'],
  'escalation.assign': ['escalationId', 'version', 'owner'],
  'escalation.local': ['escalationId', 'version', 'note', 'keyWorker'],
  'escalation.request': ['escalationId', 'version', 'pathway', 'rationale'],
  'escalation.approve': ['escalationId', 'version', 'externalRef'],
  'escalation.reject': ['escalationId', 'version', 'reason'],
  'escalation.close': ['escalationId', 'version', 'outcome'],
};

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

async function countAll(t: TestHost): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of WATCHED) {
    let n = 0;
    for await (const _ of t.host.storage.table(name).listEntities()) n++;
    out[name] = n;
  }
  return out;
}

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.stop());

it(`answers ${RUNS} invalid card actions with a clear error, no 5xx, and writes nothing`, async () => {
  const morag = t.user('morag.reid@birchwood.example');
  const conv: Conversation = channel('fuzz');
  const before = await countAll(t);
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...Object.keys(VERBS)),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 4 }),
      foreignHome,
      fc.oneof(fc.constant('record'), fc.constant('no-data'), fc.constant('string-data')),
      async (verb, inPersonal, extra, homeId, shape) => {
        const fields = Object.fromEntries(VERBS[verb].filter((f) => f !== 'homeId').map((f) => [f, undefined]));
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
        if (body.type === 'application/vnd.microsoft.card.adaptive') expect(JSON.stringify(body.value)).toMatch(/Nothing was changed|not|no |Only|cannot|can't|refused|problem/i);
      },
    ),
    { numRuns: RUNS, seed: 20261128 },
  );
  expect(await countAll(t)).toEqual(before);
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
