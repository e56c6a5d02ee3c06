import { apply, capHistory, historySentence, HISTORY_KEEP, HISTORY_MAX_CHARS, NOTE_MAX, parseAction, RULES, STATES, VERBS, allowedVerbs, type ActionInput, type Actor, type Escalation, type EscalationState, type EscalationVerb } from './escalation';

const ID = 'esc-00000000-0000-4000-8000-000000000001';
const now = new Date('2026-11-23T10:00:00Z');
const support: Actor = { email: 's@x.example', support: true, approver: false };
const approver: Actor = { email: 'a@x.example', support: false, approver: true };
const both: Actor = { email: 'b@x.example', support: true, approver: true };
const nobody: Actor = { email: 'n@x.example', support: false, approver: false };

const supportTeam = (email: string) => email === 's@x.example';
const esc = (state: EscalationState): Escalation => ({ id: ID, areaId: 'pkc', homeId: 'pkc-birchwood', state, version: 3, history: [] });
const NEEDS: Record<EscalationVerb, Record<string, unknown>> = {
  assign: { owner: 'S@X.example' },
  local: { note: 'Daily calls from the nurse', keyWorker: 'Kirsty' },
  request: { pathway: 'care-inspectorate', rationale: 'Staffing below safe levels' },
  refer: { reference: 'AP-2026-77' },
  approve: { externalRef: 'CI-1' },
  reject: { reason: 'Support locally first' },
  close: { outcome: 'Staffing restored' },
};
const input = (verb: EscalationVerb, version = 3): ActionInput => {
  const r = parseAction(verb, { escalationId: ID, version: String(version), ...NEEDS[verb] });
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('every move of §4, by state and role', () => {
  const cases = VERBS.flatMap((verb) => STATES.flatMap((state) => [support, approver, nobody].map((actor) => [verb, state, actor] as const)));
  it.each(cases)('%s from %s by %o', (verb, state, actor) => {
    const rule = RULES[verb];
    const r = apply(esc(state), input(verb), actor, now, supportTeam);
    const roleOk = actor[rule.role];
    if (!roleOk) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('ESCALATION.NOT_ALLOWED');
    } else if (!rule.from.includes(state)) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('ESCALATION.BAD_STATE');
    } else {
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.value.state).toBe(rule.to === 'same' ? state : rule.to);
        expect(r.value.version).toBe(4);
        expect(r.value.history.at(-1)).toMatchObject({ by: actor.email, action: verb === 'refer' ? 'referred' : verb, from: state });
      }
    }
  });
});

describe('the owner, free text and the history kept on the row', () => {
  it('refuses an owner who is not a support member of the area (and any owner when nobody is named)', () => {
    const outsider = parseAction('assign', { escalationId: ID, version: '3', owner: 'outsider@evil.example' });
    if (!outsider.ok) throw new Error(outsider.message);
    const r = apply(esc('open'), outsider.value, support, now, supportTeam);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.fields?.owner]).toEqual(['ESCALATION.BAD_OWNER', 'not a support member of this area']);
    const unchecked = apply(esc('open'), input('assign'), support, now);
    expect(!unchecked.ok && unchecked.code).toBe('ESCALATION.BAD_OWNER');
  });

  it.each([
    ['local', 'note', '010190 1234'],
    ['local', 'keyWorker', '010.190.1234'],
    ['request', 'rationale', '010190\u20131234'],
    ['approve', 'externalRef', '0101901234'],
    ['reject', 'reason', '010190\u00a01234'],
    ['close', 'outcome', '\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14'],
  ] as const)('refuses a CHI-like number in %s.%s', (verb, field, chi) => {
    const r = parseAction(verb, { escalationId: ID, version: '3', ...NEEDS[verb], [field]: `seen ${chi} today` });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('ESCALATION.BAD_INPUT');
      expect(r.fields?.[field]).toMatch(/CHI number/);
    }
  });

  it('allows a phone number and a date and time in free text', () => {
    expect(parseAction('local', { escalationId: ID, version: '3', note: 'Call 123-456-7890 at 03/11/2025 14:00' }).ok).toBe(true);
  });

  it(`keeps the latest ${HISTORY_KEEP} entries on the row, well within a property's limit`, () => {
    let e: Escalation = esc('open');
    const note = 'n'.repeat(NOTE_MAX);
    for (let i = 0; i < 40; i++) {
      const r = apply(e, { verb: 'local', escalationId: ID, version: e.version, note } as ActionInput, support, now);
      if (!r.ok) throw new Error(r.message);
      e = { ...r.value, state: 'open' };
    }
    expect(e.history.length).toBeLessThanOrEqual(HISTORY_KEEP);
    expect(JSON.stringify(e.history).length).toBeLessThanOrEqual(HISTORY_MAX_CHARS);
    expect(e.version).toBe(43);
    const long = Array.from({ length: 30 }, (_, i) => ({ at: String(i), by: 'x', action: 'local', from: 'open' as const, to: 'open' as const, note: 'y'.repeat(5000) }));
    expect(capHistory(long).at(-1)?.at).toBe('29');
    expect(JSON.stringify(capHistory(long)).length).toBeLessThanOrEqual(HISTORY_MAX_CHARS);
  });
});

describe('what each action needs and records', () => {
  it('sets the owner (lower case), the pathway and rationale, the reference, the outcome', () => {
    const assigned = apply(esc('open'), input('assign'), support, now, supportTeam);
    expect(assigned.ok && assigned.value.owner).toBe('s@x.example');
    const requested = apply(esc('local-support'), input('request'), support, now);
    expect(requested.ok && [requested.value.state, requested.value.pathway]).toEqual(['awaiting-approval', 'care-inspectorate']);
    const approved = apply(esc('awaiting-approval'), input('approve'), approver, now);
    expect(approved.ok && approved.value.externalRef).toBe('CI-1');
    const closed = apply(esc('escalated'), input('close'), support, now);
    expect(closed.ok && closed.value.outcome).toBe('Staffing restored');
  });

  it('refers adult protection at once: escalated without approval, with who and when', () => {
    const r = parseAction('request', { escalationId: ID, version: 3, pathway: 'adult-protection', rationale: 'Unexplained bruising' });
    if (!r.ok) throw new Error(r.message);
    const next = apply(esc('open'), r.value, support, now);
    expect(next.ok && next.value).toMatchObject({ state: 'escalated', referredBy: 's@x.example', referredAt: now.toISOString() });
    expect(next.ok && next.value.history.at(-1)?.action).toBe('referred');
  });

  it('refuses a stale version, pointing to the history (no e-mail address or raw time: the app names who)', () => {
    const e = { ...esc('awaiting-approval'), history: [{ at: '2026-11-23T09:59:00Z', by: 'a@x.example', action: 'approve', from: 'awaiting-approval' as const, to: 'escalated' as const }] };
    const r = apply(e, input('reject', 2), approver, now);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('ESCALATION.STALE');
      expect(r.message).toContain('has changed since you saw it');
      expect(r.message).not.toMatch(/@|2026-11-23T/);
    }
  });

  it('words history as sentences about people', () => {
    const names: Record<string, string> = { 'iain.shaw@nhs.example': 'Iain Shaw', 'kirsty.moffat@nhs.example': 'Kirsty Moffat' };
    const nameOf = (email?: string) => names[email ?? ''] ?? 'someone no longer in the directory';
    const h = (action: string, by: string, note?: string) => ({ at: '2026-11-23T09:59:00Z', by, action, from: 'open' as const, to: 'open' as const, ...(note ? { note } : {}) });
    expect(historySentence(h('assign', 'iain.shaw@nhs.example', 'owner iain.shaw@nhs.example'), nameOf)).toBe('Iain Shaw took this on');
    expect(historySentence(h('assign', 'iain.shaw@nhs.example', 'owner kirsty.moffat@nhs.example'), nameOf)).toBe('Kirsty Moffat was made owner by Iain Shaw');
    expect(historySentence(h('close', 'iain.shaw@nhs.example', 'Staffing safe again'), nameOf)).toBe('Iain Shaw closed this. Outcome: Staffing safe again');
    expect(historySentence(h('reject', 'gone@nhs.example', 'Not yet'), nameOf)).toBe('someone no longer in the directory did not approve the escalation: Not yet');
  });

  it.each<[EscalationVerb, Record<string, unknown>, string]>([
    ['assign', {}, 'Choose the owner'],
    ['local', { note: '' }, 'A note is needed'],
    ['local', { note: 'x'.repeat(1001) }, 'longer than 1000'],
    ['request', { pathway: 'press', rationale: 'x' }, 'Choose a pathway'],
    ['request', { pathway: 'care-inspectorate' }, 'The rationale is needed'],
    ['reject', { reason: 5 }, 'must be text'],
    ['close', {}, 'The outcome is needed'],
  ])('%s refuses %o', (verb, data, message) => {
    const r = parseAction(verb, { escalationId: ID, version: 3, ...data });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it.each([[{ version: 3 }], [{ escalationId: 'esc-1', version: 3 }], [{ escalationId: ID }], [{ escalationId: ID, version: 'three' }], [{ escalationId: ID, version: -1 }]])('refuses a bad id or version %o', (data) => {
    expect(parseAction('approve', data).ok).toBe(false);
  });

  it('shows each role only its buttons', () => {
    expect(allowedVerbs(esc('open'), support)).toEqual(['assign', 'local', 'request', 'refer', 'close']);
    expect(allowedVerbs(esc('awaiting-approval'), support)).toEqual([]);
    expect(allowedVerbs(esc('awaiting-approval'), approver)).toEqual(['approve', 'reject']);
    expect(allowedVerbs(esc('awaiting-approval'), both)).toEqual(['approve', 'reject']);
    expect(allowedVerbs(esc('closed'), both)).toEqual([]);
  });
});

describe('four eyes and the adult-protection referral', () => {
  it('refuses the approver who asked, names who can decide, and lets another approver decide', () => {
    const requested = apply(esc('open'), input('request'), both, now);
    if (!requested.ok) throw new Error(requested.message);
    expect(requested.value).toMatchObject({ state: 'awaiting-approval', requestedBy: both.email });
    expect(allowedVerbs(requested.value, both)).toEqual([]);
    expect(allowedVerbs(requested.value, approver)).toEqual(['approve', 'reject']);
    for (const verb of ['approve', 'reject'] as const) {
      const own = apply(requested.value, input(verb, 4), both, now, supportTeam, ['Helen Bruce']);
      expect(!own.ok && [own.code, own.message]).toEqual(['ESCALATION.OWN_REQUEST', `You asked for this approval, so you cannot ${verb} it yourself: Helen Bruce (the other approver of this area) can decide it. Nothing was changed.`]);
    }
    expect(apply(requested.value, input('approve', 4), approver, now).ok).toBe(true);
  });

  it('records a referral with its reference, at once, with no approval step', () => {
    const r = apply(esc('local-support'), input('refer'), support, now);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ state: 'escalated', pathway: 'adult-protection', externalRef: 'AP-2026-77', referredBy: support.email, referredAt: now.toISOString() });
    expect(parseAction('refer', { escalationId: ID, version: 3 }).ok).toBe(false);
    expect(apply(esc('awaiting-approval'), input('refer'), support, now).ok).toBe(false);
  });
});
