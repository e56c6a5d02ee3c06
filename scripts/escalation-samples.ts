/**
 * Writes cards/samples/escalation*.data.json from the card builder (npx tsx scripts/escalation-samples.ts):
 * an escalation waiting for an approver, as the approver sees it, and a closed one.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as templating from 'adaptivecards-templating';
import { escalationCard } from '../src/cards/escalation.card';
import { DirectoryView } from '../src/domain/directory';
import type { EscalationFile } from '../src/domain/escalation';

const out = (name: string, data: object) => writeFileSync(path.join(__dirname, '../cards/samples', `${name}.data.json`), `${JSON.stringify(data, null, 2)}\n`);

let last: object | undefined;
const original = templating.Template.prototype.expand;
templating.Template.prototype.expand = function (this: templating.Template, context: templating.IEvaluationContext) {
  last = context.$root as object;
  return original.call(this, context);
};

const area = { id: 'pkc', name: 'Perth and Kinross', timezone: 'Europe/London', huddleTime: '09:30', reminderTime: '11:00', summaryTime: '12:00', huddleDays: ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const, digest: { day: 'MON' as const, time: '08:00' } };
const dir = new DirectoryView(
  {
    areas: [{ ...area, huddleDays: [...area.huddleDays] }],
    homes: [{ id: 'pkc-craigie', area: 'pkc', name: 'Craigie Brae', registeredPlaces: 35, nursing: true }],
    people: [
      { email: 'iain.shaw@nhs.example', name: 'Iain Shaw', roles: [{ role: 'support', area: 'pkc' }, { role: 'approver', area: 'pkc' }] },
      { email: 'kirsty.moffat@nhs.example', name: 'Kirsty Moffat', roles: [{ role: 'support', area: 'pkc' }] },
      { email: 'ann.ross@council.example', name: 'Ann Ross', roles: [{ role: 'approver', area: 'pkc' }] },
      { email: 'sandeep.kaur@craigie.example', name: 'Sandeep Kaur', roles: [{ role: 'manager', home: 'pkc-craigie' }] },
    ],
  },
  new Map([['sana.iqbal@nhs.example', 'Sana Iqbal']]), // retired since: still shown by name
);
const base: EscalationFile = {
  id: 'esc-2f1c9d7a-6b1e-4c1a-9d3e-0a1b2c3d4e5f', areaId: 'pkc', homeId: 'pkc-craigie', state: 'awaiting-approval', version: 4,
  owner: 'kirsty.moffat@nhs.example', keyWorker: 'Sana Iqbal, care home liaison nurse', pathway: 'care-inspectorate', rationale: 'Staffing below safe levels two days running',
  trigger: 'huddle', openedAt: '2026-11-23T09:41:00Z', openedBy: 'sandeep.kaur@craigie.example', openedFor: '2026-11-23', daysRed: 2,
  reasons: ['PPE supply is critical', "Staffing is red: not enough staff to meet residents' needs"],
  history: [
    { at: '2026-11-23T10:02:00Z', by: 'sana.iqbal@nhs.example', action: 'assign', from: 'open', to: 'open', note: 'owner sana.iqbal@nhs.example' },
    { at: '2026-11-23T10:05:00Z', by: 'iain.shaw@nhs.example', action: 'assign', from: 'open', to: 'open', note: 'owner kirsty.moffat@nhs.example' },
    { at: '2026-11-23T11:20:00Z', by: 'kirsty.moffat@nhs.example', action: 'local', from: 'open', to: 'local-support', note: 'Bank staff arranged for the night shifts; PPE delivered from the hub' },
    { at: '2026-11-24T10:15:00Z', by: 'kirsty.moffat@nhs.example', action: 'request', from: 'local-support', to: 'awaiting-approval', note: 'Care Inspectorate: Staffing below safe levels two days running' },
  ],
};
const approver = { email: 'ann.ross@council.example', support: false, approver: true };
escalationCard(base, dir, area as never, { viewer: approver, refreshUserIds: ['29:1f0e8a2b-0000-0000-0000-000000000001', '29:1f0e8a2b-0000-0000-0000-000000000002'] });
out('escalation', last!);
const closed: EscalationFile = {
  ...base, state: 'closed', version: 6, externalRef: 'CI-2026-1182', outcome: 'Staffing back to safe levels with agency cover; Care Inspectorate satisfied with the plan',
  history: [
    ...base.history,
    { at: '2026-11-24T13:02:00Z', by: 'ann.ross@council.example', action: 'approve', from: 'awaiting-approval', to: 'escalated', note: 'reference CI-2026-1182' },
    { at: '2026-12-01T07:22:09.920Z', by: 'iain.shaw@nhs.example', action: 'close', from: 'escalated', to: 'closed', note: 'Staffing back to safe levels with agency cover; Care Inspectorate satisfied with the plan' },
  ],
};
escalationCard(closed, dir, area as never, { viewer: { email: 'iain.shaw@nhs.example', support: true, approver: true }, message: "Closed. The home's manager will be told.", tone: 'good', refreshUserIds: [] });
out('escalation.closed', last!);
