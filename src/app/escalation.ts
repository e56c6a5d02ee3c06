/** Escalation actions from the card (§4): the role and the version checked on the server, an ETag-guarded write, the manager told. */
import type { EscalationCardView } from '../cards/escalation.card';
import type { AppContext } from '../context';
import { hasAreaRole, type DirectoryView, type Person } from '../domain/directory';
import { whenLabel } from '../domain/calendar';
import { actorIn, apply, historySentence, parseAction, PATHWAY_NAMES, whoCanDecide, type Escalation, type EscalationVerb, type HistoryEntry, type Pathway } from '../domain/escalation';
import { isConflict } from '../storage/client';
import { toEntity, toEscalation, type EscalationEntity } from '../storage/escalations.table';
import { done, refuse, type Asker, type CardData, type Outcome } from './outcome';

type EscalationOutcome = Outcome<EscalationCardView>;

/** The escalation a card names, in one of this person's areas. */
async function find(ctx: AppContext, dir: DirectoryView, person: Person, id: unknown): Promise<EscalationEntity | undefined> {
  if (typeof id !== 'string' || !/^esc-[0-9a-f-]{36}$/.test(id)) return undefined;
  for (const areaId of dir.areasOf(person)) {
    const row = await ctx.escalations.get(areaId, id);
    if (row) return row;
  }
  return undefined;
}

const viewOf = (dir: DirectoryView, person: Person, row: EscalationEntity): EscalationCardView => {
  const area = dir.areas.get(row.partitionKey)!;
  return { file: toEscalation(row), dir, area, viewer: actorIn(person, area.id) };
};

/** The escalation a card names, in any area (for the base card only: no free text). */
async function findAnywhere(ctx: AppContext, dir: DirectoryView, id: unknown): Promise<EscalationEntity | undefined> {
  if (typeof id !== 'string' || !/^esc-[0-9a-f-]{36}$/.test(id)) return undefined;
  for (const area of dir.directory.areas) {
    const row = await ctx.escalations.get(area.id, id);
    if (row) return row;
  }
  return undefined;
}

/**
 * escalation.refresh and escalation.details ("Show details"): the area's support team and approvers get the full
 * card (concern text, notes, their buttons); anyone else the base card every member of the channel sees, never an
 * error where the card was.
 */
export async function viewEscalation(ctx: AppContext, { person, dir }: Asker, data: CardData): Promise<EscalationOutcome> {
  const row = person ? await find(ctx, dir, person, data.escalationId) : undefined;
  if (person && row) return done(viewOf(dir, person, row));
  const anywhere = await findAnywhere(ctx, dir, data.escalationId);
  if (!anywhere) return refuse('ESCALATION.NOT_VISIBLE', 'This escalation is for the support team of its area: you cannot see it here.');
  return done({ file: toEscalation(anywhere), dir, area: dir.areas.get(anywhere.partitionKey)!, viewer: undefined });
}

/** The latest change, as a sentence with its time in the area's zone: "Iain Shaw closed this at Tue 1 Dec, 07:22". */
const lastChange = (dir: DirectoryView, areaId: string, h: HistoryEntry): string =>
  `${historySentence({ ...h, note: undefined }, (email) => dir.displayName(email))} at ${whenLabel(h.at, dir.areas.get(areaId)!.timezone)}`;

/** What the person who acted is told: what they did, in words ("Kirsty Moffat is now the owner."). */
function doneSentence(e: Escalation, dir: DirectoryView): string {
  const last = e.history.at(-1)!;
  const pathway = e.pathway ? PATHWAY_NAMES[e.pathway] : 'the pathway';
  switch (last.action) {
    case 'assign':
      return last.by === e.owner ? 'You have taken this on.' : `${dir.displayName(e.owner)} is now the owner.`;
    case 'local':
      return 'Local support recorded.';
    case 'request':
      return `Sent to the approvers: escalation to ${pathway} waits for their decision.`;
    case 'referred':
      return "The adult-protection referral is recorded. The home's manager will be told.";
    case 'approve':
      return `Approved: escalated to ${pathway}. The home's manager will be told.`;
    case 'reject':
      return "Not approved: back to local support. The home's manager will be told.";
    case 'close':
      return "Closed. The home's manager will be told.";
    default:
      return 'Changed.';
  }
}

/** escalation.assign, .local, .request, .refer, .approve, .reject, .close. */
export const actOnEscalation =
  (verb: EscalationVerb) =>
  async (ctx: AppContext, { person, dir }: Asker, data: CardData): Promise<EscalationOutcome> => {
    if (!person) return refuse('ESCALATION.NOT_IN_DIRECTORY', "I can't find you in the directory, so I can't change this escalation. Nothing was changed.");
    const input = parseAction(verb, data);
    const row = await find(ctx, dir, person, data.escalationId);
    if (!row) return input.ok ? refuse('ESCALATION.NOT_FOUND', 'There is no such escalation in your areas. Nothing was changed.') : refuse(input.code, input.message);
    if (!input.ok) return refuse(input.code, input.message, viewOf(dir, person, row));
    const actor = actorIn(person, row.partitionKey);
    const at = ctx.clock();
    // An owner is a support member of the escalation's area, whatever e-mail the card sent.
    const mayOwn = (email: string) => {
      const owner = dir.personByEmail(email);
      return !!owner && hasAreaRole(owner, 'support', row.partitionKey);
    };
    const approvers = dir.peopleWithRole('approver', row.partitionKey);
    const others = whoCanDecide(toEscalation(row), approvers);
    const next = apply(toEscalation(row), input.value, actor, at, mayOwn, others);
    if (!next.ok) {
      ctx.log.info({ escalation: row.rowKey, verb, code: next.code }, 'escalation action refused');
      const seen = toEscalation(row).history.at(-1);
      const message = next.code === 'ESCALATION.STALE' && seen ? `Not changed: this escalation changed after you opened it. ${lastChange(dir, row.partitionKey, seen)}.` : next.message;
      return refuse(next.code, message, viewOf(dir, person, row));
    }
    const entity = toEntity(row, next.value, at);
    const last = next.value.history.at(-1)!;
    const home = dir.homes.get(row.homeId)?.name ?? row.homeId;
    const notice = managerNotice(verb, last.to, home, person.name, next.value);
    // The card in the channel and the manager's notice are recorded with the change, in one transaction; the delivery worker sends them.
    const notices = notice ? dir.managersOf(row.homeId).map((m) => ({ key: `note_${row.rowKey}_${next.value.version}_${m.email}`, intent: { kind: 'notice' as const, email: m.email, text: notice, about: row.rowKey } })) : [];
    // Four eyes with one approver: the lone approver's own request cannot be decided here, so the admins are told at once.
    if (last.to === 'awaiting-approval' && whoCanDecide(next.value, approvers).length === 0) {
      const area = dir.areas.get(row.partitionKey)!;
      const who = actor.approver ? `${person.name} is the only approver of ${area.name} and has asked for approval` : `${person.name} has asked for approval, and ${area.name} has no approver`;
      const text = `${who} to escalate the concern about ${home}: nobody in the area can decide it (an approver may not decide their own request). Add a second approver for ${area.name} to the directory.`;
      for (const admin of dir.admins(area.id)) notices.push({ key: `lone_${row.rowKey}_${next.value.version}_${admin.email}`, intent: { kind: 'notice' as const, email: admin.email, text, about: row.rowKey } });
    }
    try {
      await ctx.escalations.replace(entity, row.etag!, { closing: next.value.state === 'closed', notices, at });
    } catch (e) {
      if (!isConflict(e)) throw e;
      // Lost a race: someone else's decision is stored. Show it; change nothing.
      const now = (await ctx.escalations.get(row.partitionKey, row.rowKey))!;
      const latest = toEscalation(now).history.at(-1);
      const who = latest ? `${lastChange(dir, row.partitionKey, latest)}, just before you` : 'someone else changed it just before you';
      ctx.log.info({ escalation: row.rowKey, verb, code: 'ESCALATION.STALE' }, 'escalation race lost');
      return refuse('ESCALATION.STALE', `Not changed: ${who}.`, viewOf(dir, person, now));
    }
    ctx.wakeDelivery?.();
    await ctx.audit.append({ entity: 'escalation', entityId: row.rowKey, action: last.action, by: person.email, at, from: last.from, to: last.to, note: last.note });
    ctx.log.info({ escalation: row.rowKey, verb, from: last.from, to: last.to, version: next.value.version }, 'escalation changed');
    const stored = (await ctx.escalations.get(row.partitionKey, row.rowKey)) ?? entity;
    return done(viewOf(dir, person, stored), doneSentence(next.value, dir));
  };

/** What the home's managers are told of a decision (no concern text: that is for the support team). */
function managerNotice(verb: EscalationVerb, to: string, home: string, by: string, e: { pathway?: Pathway; outcome?: string }): string | undefined {
  if (to === 'escalated') return `The support team has escalated the concern about ${home} to ${PATHWAY_NAMES[e.pathway!]}. ${by} will keep you informed.`;
  if (verb === 'reject') return `The request to escalate the concern about ${home} outside the partnership was not approved; the support team continues to support you locally.`;
  if (verb === 'close') return `The escalation about ${home} is closed. Outcome: ${e.outcome}`;
  return undefined;
}
