/** Writes cards/samples/*.data.json for the huddle cards (npx tsx scripts/huddle-samples.ts): the data each template is bound with. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as templating from 'adaptivecards-templating';
import { huddleFormCard, huddleSummaryCard, pickHomeCard } from '../src/cards/huddle.card';
import { formStart } from '../src/domain/huddle';
import { dailySummaryCard, dailySummaryViewerCard } from '../src/cards/daily-summary.card';
import type { DaySummary } from '../src/domain/daily-summary';
import type { Area } from '../src/domain/directory';
import { messageCard } from '../src/cards/message.card';

const out = (name: string, data: object) => writeFileSync(path.join(__dirname, '../cards/samples', `${name}.data.json`), `${JSON.stringify(data, null, 2)}\n`);

// The builders bind their templates; capture the data they pass by wrapping Template.expand once.
const seen = new Map<string, object>();
const original = templating.Template.prototype.expand;
templating.Template.prototype.expand = function (this: templating.Template, context: templating.IEvaluationContext) {
  seen.set('last', context.$root as object);
  return original.call(this, context);
};

function main(): void {
  const home = { id: 'pkc-birchwood', area: 'pkc', name: 'Birchwood House', registeredPlaces: 40, nursing: true };
  const capture = (name: string, build: () => unknown) => {
    build();
    out(name, seen.get('last')!);
  };
  // The 09:30 card as it comes on Tuesday, started from Monday's answer.
  const start = formStart('2026-11-24', { homeId: home.id, date: '2026-11-23', residents: 37, bedsAvailable: 1, bedsClosed: 2, bedsClosedReason: 'staffing' });
  capture('huddle', () => huddleFormCard(home, '2026-11-24', start.values, {}, '', undefined, start.from));
  capture('huddle.problems', () =>
    huddleFormCard(home, '2026-11-24', { ...start.values, residents: '41', bedsClosed: '1', bedsClosedReason: '', staffingRag: 'amber', concern: 'Lift out of order since Friday' }, { residents: "More than the home's 40 registered places.", bedsClosedReason: 'Say why beds are closed.', outbreakStatus: 'This answer is needed.', ppeSupply: 'This answer is needed.', visiting: 'This answer is needed.' }, '5 answers need another look: nothing was saved.'),
  );
  capture('huddle-summary', () =>
    huddleSummaryCard({
      home, date: '2026-11-23', rag: 'red', reasons: ["Staffing is red: not enough staff to meet residents' needs", 'A shift without a registered nurse'],
      answer: { residents: 37, bedsAvailable: 1, bedsClosed: 2, bedsClosedReason: 'staffing', staffingRag: 'red', shiftsUnfilled: 3, agencyShifts: 4, nurseCoverGap: true, outbreakStatus: 'none', newCasesResidents: 0, newCasesStaff: 1, careInspectorateNotified: false, ppeSupply: 'adequate', fallsWithHarm: 1, newPressureUlcers: 0, deaths: 0, unexpectedDeaths: 0, hospitalAdmissions: 1, hospitalDischarges: 0, visiting: 'open', protectionConcern: false, supportNeeded: 'staffing', concern: '' },
      answeredByName: 'Morag Reid', answeredAt: '2026-11-23T09:41:00Z', version: 1, timezone: 'Europe/London', message: 'Saved. Thank you.',
      notifications: [
        { kind: 'death', label: '1 death (1 unexpected)', flagged: true },
        { kind: 'fall', label: '1 fall with harm', flagged: false, notified: 'Recorded as notified by Morag Reid at Mon 23 Nov, 10:02' },
      ],
    }),
  );
  capture('huddle-pick-home', () => pickHomeCard([home, { ...home, id: 'pkc-tayview', name: 'Tayview Lodge', nursing: false }], '2026-11-23'));
  capture('message', () => messageCard('Not saved', 'Only the managers of Craigie Brae can answer its huddle. Nothing was saved.'));
  // The day's summary: the base card every member of the channel sees, and the support team's view (§3, §4).
  const area = { id: 'pkc', name: 'Perth and Kinross', timezone: 'Europe/London' } as Area;
  const summary: DaySummary = {
    submitted: 5, expected: 6, completion: '83%', red: 1, amber: 2, green: 2,
    reds: [{ home: 'Craigie Brae', reasons: ['PPE supply is critical', "Staffing is red: not enough staff to meet residents' needs"] }],
    missing: [{ home: 'Loch Leven View', managers: 'Eilidh Grant (not reached: has not installed the app)' }],
    unnotified: [{ home: 'Craigie Brae', events: '1 death (1 unexpected)' }],
    concerns: [
      { home: 'Birchwood House', concern: 'Lift out of order since Friday: two residents cannot reach the lounge', answeredAt: '2026-11-23T09:41:00Z' },
      { home: 'Craigie Brae', concern: 'Night nurse off sick, agency cannot cover Tuesday', answeredAt: '2026-11-23T13:05:00Z' },
    ],
  };
  const refresh = ['29:1f0e8a2b-0000-0000-0000-000000000001', '29:1f0e8a2b-0000-0000-0000-000000000002'];
  capture('daily-summary', () => dailySummaryCard({ summary, area, date: '2026-11-23', asOf: '2026-11-23T12:00:00Z' }, refresh));
  capture('daily-summary.support', () => dailySummaryViewerCard({ summary, area, date: '2026-11-23', full: true, asOf: '2026-11-23T13:20:00Z' }));
}

main();
