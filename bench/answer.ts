import { benchObjectId } from './fixtures';

/** A green answer with every field, as Teams sends Action.Execute data (numbers and toggles as strings). */
export const validAnswer = (homeId: string, date: string) => ({
  homeId,
  date,
  residents: '35',
  bedsAvailable: '2',
  bedsClosed: '0',
  staffingRag: 'green',
  shiftsUnfilled: '0',
  agencyShifts: '1',
  nurseCoverGap: 'false',
  outbreakStatus: 'none',
  newCasesResidents: '0',
  newCasesStaff: '0',
  careInspectorateNotified: 'false',
  ppeSupply: 'good',
  fallsWithHarm: '0',
  newPressureUlcers: '0',
  deaths: '0',
  unexpectedDeaths: '0',
  hospitalAdmissions: '0',
  hospitalDischarges: '0',
  visiting: 'open',
  protectionConcern: 'false',
  supportNeeded: '',
  concern: '',
});

/** A `huddle.submit` invoke from bench manager `i` (bench/fixtures.ts), as Teams posts it to /api/messages. */
export function huddleSubmit(i: number, data: object, id = `bench-${i}-${Math.random()}`): string {
  const oid = benchObjectId(i);
  return JSON.stringify({
    type: 'invoke',
    name: 'adaptiveCard/action',
    id,
    serviceUrl: 'http://127.0.0.1:9/',
    channelId: 'msteams',
    from: { id: `29:${oid}`, name: `Manager ${i}`, aadObjectId: oid },
    recipient: { id: '28:bench-bot', name: 'Care Home Huddle' },
    conversation: { id: `a:personal-${oid}`, conversationType: 'personal', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } },
    value: { action: { type: 'Action.Execute', verb: 'huddle.submit', data }, trigger: 'manual' },
  });
}
