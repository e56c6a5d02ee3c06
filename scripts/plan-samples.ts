/** Writes cards/samples/plan.data.json from the card builder, for the card preview tool. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { planCardData } from '../src/cards/plan.card';
import { createAction, updateAction, type Action } from '../src/domain/plan';

const at = new Date('2026-11-23T09:30:00Z');
const home = { id: 'pkc-birchwood', area: 'pkc', name: 'Birchwood House', registeredPlaces: 40, nursing: true };
const mk = (theme: number, seq: number, description: string, outcome: string, due: string, name: string): Action =>
  createAction({ homeId: home.id, lastNo: { [theme]: seq - 1 } }, { theme, description, outcome, due, responsible: { name } }, 'iain.shaw@nhs.example', at);
const late = mk(3, 1, 'Infection prevention e-learning for all staff', '100% of staff complete the IPC module', '2026-11-20', 'Morag Reid');
const red = updateAction(mk(2, 1, 'Weekly senior staff meeting with minutes', 'Decisions recorded and followed up', '2026-12-15', 'Morag Reid'), { comment: 'Two of four meetings held', onTarget: false }, 'morag.reid@birchwood.example', at);
const data = planCardData({
  home,
  plan: {
    homeId: home.id,
    areaId: 'pkc',
    header: { partnershipLead: 'Iain Shaw', registeredManager: 'Morag Reid', serviceName: home.name, serviceType: 'Care home with nursing', commencementDate: '2026-11-01', reviewDate: '2026-12-20' },
    contexts: { 3: 'Care Inspectorate inspection report, October 2026' },
    lastNo: { 2: 1, 3: 1, 4: 1 },
  },
  actions: [late, red.ok ? red.value : late, mk(4, 1, 'Replace flooring in the lounge', 'Safe, cleanable floor', '2027-01-31', 'Contractor')],
  today: '2026-11-23',
  people: [
    { email: 'morag.reid@birchwood.example', name: 'Morag Reid', roles: [] },
    { email: 'iain.shaw@nhs.example', name: 'Iain Shaw', roles: [] },
  ],
  notice: { kind: 'ok', text: 'Added action 4.1.' },
});
const dir = path.resolve(__dirname, '../cards/samples');
writeFileSync(path.join(dir, 'plan.data.json'), `${JSON.stringify(data, null, 2)}\n`);
writeFileSync(path.join(dir, 'plan-error.data.json'), `${JSON.stringify({ code: 'PLAN.NOT_SAVED', title: 'Not saved', message: 'Not saved: the plan could not be stored just now. Please try again.' }, null, 2)}\n`);
